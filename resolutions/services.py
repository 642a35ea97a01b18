"""Writes of the resolutions app: number allocation, the submission workflow, adoption,
relations between documents and implementation tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from councilportal.follow_ups.services import follow_up_open
from councilportal.models import FollowUp, Organ, OrganKind, RuleMissing, rule
from councilportal.typing import User

from .models import (
    LAPSING,
    Issuer,
    Kind,
    NumberCounter,
    RelationKind,
    Resolution,
    ResolutionRelation,
    Submission,
    SubmissionStatus,
    VerificationReport,
)

EFFECTIVE_RULE = "resolution.normative_min_effective_days"


# Numbering ----------------------------------------------------------------------------------


def number_allocate(*, council: Any, issuer: str, kind: str, year: int) -> int:
    """The next free number of a series. Must run inside the transaction that saves the
    resolution: the counter row stays locked until it commits, so a concurrent allocation
    waits and then takes the following number. Numbers taken by hand (imports) are skipped."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_allocate must run inside a transaction")
    counter, _created = NumberCounter.objects.get_or_create(
        council=council, issuer=issuer, kind=kind, year=year
    )
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    series = Resolution.objects.filter(council=council, issuer=issuer, kind=kind, year=year)
    candidate = counter.last_number + 1
    taken = set(series.filter(number__gte=candidate).values_list("number", flat=True))
    while candidate in taken:
        candidate += 1
    counter.last_number = candidate
    counter.save(update_fields=["last_number"])
    return candidate


def _note_manual_number(resolution: Resolution) -> None:
    """Keep the counter at or above a number entered by hand, under the same lock."""
    counter, _created = NumberCounter.objects.get_or_create(
        council=resolution.council,
        issuer=resolution.issuer,
        kind=resolution.kind,
        year=resolution.year,
    )
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    if resolution.number > counter.last_number:
        counter.last_number = resolution.number
        counter.save(update_fields=["last_number"])


# Dates --------------------------------------------------------------------------------------


def lapse_refresh(ids: Any) -> int:
    """Recompute the stored lapse dates of these resolutions and of those detailing them (the
    register's status filter reads them). Call after any change of dates or relations."""
    ids = set(ids)
    if not ids:
        return 0
    ids |= set(
        ResolutionRelation.objects.filter(target_id__in=ids, kind=RelationKind.DETAILS).values_list(
            "source_id", flat=True
        )
    )
    changed = 0
    ordered = sorted(ids)
    for start in range(0, len(ordered), 1000):
        chunk = (
            Resolution.objects.filter(pk__in=ordered[start : start + 1000])
            .only("pk", "expires_on", "lapsed_on", "partly_lapsed_on")
            .prefetch_related("relations_in", "relations_out__target__relations_in")
        )
        for res in chunk:
            lapsed, partly = res.lapse_dates()
            if (lapsed, partly) != (res.lapsed_on, res.partly_lapsed_on):
                Resolution.objects.filter(pk=res.pk).update(
                    lapsed_on=lapsed, partly_lapsed_on=partly
                )
                changed += 1
    return changed


def earliest_effective_date(resolution: Resolution) -> tuple[dt.date, str]:
    """The earliest date a resolution may take effect, and the rule that says so. Legal
    normative resolutions: not earlier than n days after adoption (Law 64/2025 art. 57), unless
    adopted under the shortened procedure; individual ones: on adoption."""
    adopted = resolution.adopted_on
    if resolution.kind != Kind.NORMATIVE or resolution.shortened_procedure:
        return adopted, ""
    try:
        row = rule(EFFECTIVE_RULE, on=adopted, council=resolution.council)
    except RuleMissing:
        return adopted, ""
    return adopted + dt.timedelta(days=row.days), row.legal_basis


def resolution_check(resolution: Resolution) -> None:
    """The rules a resolution must meet before it is saved, as form errors in Vietnamese."""
    errors: dict[str, Any] = {}
    if resolution.kind == Kind.NORMATIVE and resolution.issuer != Issuer.COUNCIL:
        errors["issuer"] = _(
            "Only the People's Council adopts legal normative resolutions, "
            "not its Standing Committee."
        )
    if resolution.adopted_on and resolution.effective_from:
        earliest, basis = earliest_effective_date(resolution)
        if resolution.effective_from < earliest:
            if resolution.effective_from < resolution.adopted_on:
                errors["effective_from"] = _("A resolution cannot take effect before its adoption.")
            else:
                errors["effective_from"] = _(
                    "A legal normative resolution takes effect no earlier than %(date)s "
                    "(%(basis)s), unless the shortened procedure is marked."
                ) % {"date": earliest.strftime("%d/%m/%Y"), "basis": basis}
    if (
        resolution.signed_on
        and resolution.adopted_on
        and resolution.signed_on < resolution.adopted_on
    ):
        errors["signed_on"] = _("A resolution cannot be signed before it is adopted.")
    session = resolution.session if resolution.session_id else None
    if session is not None and session.council_id != resolution.council_id:
        errors["session"] = _("The session must be of the same council.")
    if errors:
        raise ValidationError(errors)


def _duplicate_number_error(resolution: Resolution) -> ValidationError:
    return ValidationError(
        {
            "number": _("Number %(symbol)s is already used in %(year)s by %(issuer)s.")
            % {
                "symbol": resolution.symbol,
                "year": resolution.year,
                "issuer": resolution.get_issuer_display(),
            }
        }
    )


@transaction.atomic
def resolution_save(
    *, resolution: Resolution, manual_number: int | None = None, by: User | None = None
) -> Resolution:
    """Create or update a register entry. A new entry gets the next number of its series unless
    a number is given by hand (an imported historical document), which is still checked for
    uniqueness; the database constraint is the last word on concurrent writes."""
    resolution_check(resolution)
    year = resolution.adopted_on.year
    is_new = resolution.pk is None
    if manual_number is not None:
        resolution.number = manual_number
        resolution.year = year
        resolution.is_manual_number = True
        clash = Resolution.objects.filter(
            council=resolution.council,
            issuer=resolution.issuer,
            kind=resolution.kind,
            year=year,
            number=manual_number,
        ).exclude(pk=resolution.pk)
        if clash.exists():
            raise _duplicate_number_error(resolution)
    elif is_new or (
        not resolution.is_manual_number
        and _series_of(resolution.pk) != (resolution.kind, resolution.issuer, year)
    ):
        resolution.year = year
        resolution.number = number_allocate(
            council=resolution.council, issuer=resolution.issuer, kind=resolution.kind, year=year
        )
    try:
        with transaction.atomic():
            resolution.save()
    except IntegrityError as exc:
        if "resolution_unique_number" in str(exc) or "UNIQUE" in str(exc).upper():
            raise _duplicate_number_error(resolution) from None
        raise
    if manual_number is not None:
        _note_manual_number(resolution)
    lapse_refresh([resolution.pk])
    resolution.refresh_from_db(fields=["lapsed_on", "partly_lapsed_on"])
    return resolution


def _series_of(pk: int | None) -> tuple[str, str, int] | None:
    if pk is None:
        return None
    row = Resolution.objects.filter(pk=pk).values_list("kind", "issuer", "year").first()
    return (row[0], row[1], row[2]) if row else None


# Submissions --------------------------------------------------------------------------------


def _require(submission: Submission, *allowed: str) -> None:
    if submission.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the submission is “%(status)s”.")
            % {"status": submission.get_status_display()}
        )


@transaction.atomic
def submission_start_verification(
    *, submission: Submission, organ: Organ, due: dt.date | None
) -> Submission:
    _require(submission, SubmissionStatus.RECEIVED, SubmissionStatus.VERIFYING)
    if organ.council_id != submission.council_id or organ.kind not in OrganKind.committees():
        raise ValidationError(_("Choose a committee of the same council."))
    if due is not None and due < submission.received_on:
        raise ValidationError(
            _("The verification deadline cannot be before the submission was received.")
        )
    submission.verifying_organ = organ
    submission.verification_due = due
    submission.status = SubmissionStatus.VERIFYING
    submission.save()
    return submission


@transaction.atomic
def verification_report_add(
    *, submission: Submission, report: VerificationReport
) -> VerificationReport:
    _require(submission, SubmissionStatus.VERIFYING, SubmissionStatus.VERIFIED)
    if report.reported_on < submission.received_on:
        raise ValidationError(
            _("A verification report cannot be dated before the submission was received.")
        )
    report.submission = submission
    if report.organ_id is None and submission.verifying_organ_id:
        report.organ_id = submission.verifying_organ_id
    report.save()
    submission.status = SubmissionStatus.VERIFIED
    submission.save()
    return report


@transaction.atomic
def submission_put_on_agenda(*, submission: Submission, item: Any) -> Submission:
    _require(
        submission,
        SubmissionStatus.RECEIVED,
        SubmissionStatus.VERIFYING,
        SubmissionStatus.VERIFIED,
        SubmissionStatus.ON_AGENDA,
    )
    if item.session.council_id != submission.council_id:
        raise ValidationError(_("The agenda item must be of a session of the same council."))
    submission.agenda_item = item
    submission.status = SubmissionStatus.ON_AGENDA
    submission.save()
    return submission


@transaction.atomic
def submission_adopt(
    *,
    submission: Submission,
    vote: Any,
    issuer: str = Issuer.COUNCIL,
    effective_from: dt.date | None = None,
    shortened_procedure: bool = False,
    by: User | None = None,
) -> Resolution:
    """Adopt a submission from a vote that passed: the resolution enters the register with the
    next number of its series. A vote that did not pass cannot adopt anything."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(submission, SubmissionStatus.ON_AGENDA)
    if vote is None or vote.item_id != submission.agenda_item_id:
        raise ValidationError(_("Choose the vote held on the submission's agenda item."))
    if not vote.passed:
        raise ValidationError(
            _(
                "The vote did not pass (%(for)s of %(total)s delegates in favour): "
                "the submission cannot be adopted."
            )
            % {"for": vote.votes_for, "total": vote.total_delegates}
        )
    item = submission.agenda_item
    assert item is not None  # the on-agenda status requires it (database constraint)
    resolution = Resolution(
        council=submission.council,
        issuer=issuer,
        kind=submission.kind,
        title=_strip_prefix(submission.title),
        field=submission.field,
        session=item.session,
        agenda_item=item,
        vote=vote,
        submission=submission,
        adopted_on=vote.held_on,
        shortened_procedure=shortened_procedure,
        effective_from=vote.held_on,
        body=submission.draft_text,
    )
    if effective_from is None:
        effective_from, _basis = earliest_effective_date(resolution)
    resolution.effective_from = effective_from
    resolution_save(resolution=resolution, by=by)
    submission.vote = vote
    submission.status = SubmissionStatus.ADOPTED
    submission.save()
    return resolution


def _strip_prefix(title: str) -> str:
    for prefix in ("Tờ trình về ", "Tờ trình ", "Dự thảo nghị quyết "):
        if title.startswith(prefix):
            return title[len(prefix) :][:1].upper() + title[len(prefix) + 1 :]
    return title


@transaction.atomic
def submission_close(*, submission: Submission, status: str, note: str = "") -> Submission:
    """Reject (after a vote that did not pass) or withdraw a submission."""
    if status == SubmissionStatus.REJECTED:
        _require(submission, SubmissionStatus.ON_AGENDA)
        if submission.vote is not None and submission.vote.passed:
            raise ValidationError(_("The vote passed: adopt the submission instead."))
    elif status == SubmissionStatus.WITHDRAWN:
        if submission.is_final:
            _require(submission)  # always raises: a closed submission stays closed
    else:
        raise ValidationError(_("Unknown step."))
    submission.status = status
    submission.status_note = note[:300]
    submission.save()
    return submission


# Relations ----------------------------------------------------------------------------------


def _replacement_reaches(start: int, goal: int) -> bool:
    """Whether `start` already replaces or repeals `goal`, directly or through a chain."""
    seen: set[int] = set()
    frontier = {start}
    while frontier:
        if goal in frontier:
            return True
        seen |= frontier
        frontier = (
            set(
                ResolutionRelation.objects.filter(
                    source_id__in=frontier, kind__in=LAPSING
                ).values_list("target_id", flat=True)
            )
            - seen
        )
    return False


@transaction.atomic
def relation_add(
    *,
    source: Resolution,
    target: Resolution,
    kind: str,
    effective_from: dt.date | None = None,
    partial: bool = False,
    articles: str = "",
    by: User | None = None,
) -> ResolutionRelation:
    if source.pk == target.pk:
        raise ValidationError({"target": _("A document cannot be related to itself.")})
    if kind in LAPSING and _replacement_reaches(target.pk, source.pk):
        raise ValidationError(
            {
                "target": _(
                    "%(target)s already replaces or repeals %(source)s (directly or through "
                    "other documents): this relation would make a cycle."
                )
                % {"target": target.symbol, "source": source.symbol}
            }
        )
    day = effective_from or source.effective_from
    if day < source.adopted_on:
        raise ValidationError(
            {"effective_from": _("A relation cannot take effect before the document acting.")}
        )
    if ResolutionRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError(_("This relation is already recorded."))
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Unknown relation.")})
    relation = ResolutionRelation.objects.create(
        source=source,
        target=target,
        kind=kind,
        effective_from=day,
        partial=partial and kind in LAPSING,
        articles=articles,
        created_by=by,
    )
    lapse_refresh([source.pk, target.pk])
    return relation


@transaction.atomic
def relation_delete(*, relation: ResolutionRelation) -> None:
    ids = [relation.source_id, relation.target_id]
    relation.delete()
    lapse_refresh(ids)


# Implementation tasks -----------------------------------------------------------------------


def task_add(
    *,
    resolution: Resolution,
    content: str,
    due_date: dt.date,
    to_agency: Any = None,
    to_council: Any = None,
    to_organ: Any = None,
    sent_on: dt.date | None = None,
) -> FollowUp:
    """An implementation task of a resolution, as a core follow-up owned by it."""
    start = sent_on or resolution.signed_on or resolution.adopted_on
    if due_date < start:
        raise ValidationError(
            {"due_date": _("The deadline cannot be before the task was assigned.")}
        )
    return follow_up_open(
        source=resolution,
        council=resolution.council,
        to=[to_agency, to_council, to_organ],
        content=content,
        sent_on=start,
        due=due_date,
        explanation=_("Set by resolution %(symbol)s.") % {"symbol": resolution.symbol},
    )


def tasks_of(resolution: Resolution) -> Any:
    return FollowUp.objects.of(resolution).select_related("to_agency", "to_council", "to_organ")


def resolution_tasks() -> Any:
    """Every implementation task of the register (follow-ups owned by a resolution)."""
    return FollowUp.objects.of(Resolution)
