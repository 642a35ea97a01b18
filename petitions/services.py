"""Writes of the petitions app: intake, triage (forward / guide / file away / monitor), answers,
reminder letters, duplicates, and the due dates that follow the holiday calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from councilportal.deadlines import RuleBook
from councilportal.documents.services import document_request
from councilportal.follow_ups.services import carried_across, follow_up_answer, follow_up_open
from councilportal.models import (
    Agency,
    Council,
    FollowUp,
    FollowUpAnswer,
    FollowUpStatus,
    GeneratedDocument,
    Role,
    RoleAssignment,
    RuleMissing,
)
from councilportal.typing import User
from councilportal.web.text import search_normalise

from .access import is_handler
from .crypto import blind_index
from .documents import FORWARDING_SLIP, REMINDER_LETTER
from .models import (
    ArchiveReason,
    ForwardingSlip,
    ItemKind,
    Outcome,
    Petition,
    Petitioner,
    PetitionItem,
    RecommendationOutcome,
    ReminderLetter,
    VoterRecommendation,
)

# The rule counting the council's own handling of an item, by kind (DOMAIN.md §2): a
# denunciation the council is not competent for is forwarded within 5 working days (Law on
# Denunciations 2018, art. 24(2)); every other petition is triaged within 10 working days
# (Circular 05/2021/TT-TTCP).
TRIAGE_RULE = {
    ItemKind.DENUNCIATION: "petition.denunciation.forward",
    ItemKind.COMPLAINT: "petition.triage",
    ItemKind.RECOMMENDATION: "petition.triage",
    ItemKind.REFLECTION: "petition.triage",
}
# The rule counting the agency's answer to a forwarded item, from the forwarding date.
ANSWER_RULE = {
    ItemKind.DENUNCIATION: "petition.denunciation.result",  # art. 26(2): 20 days
    ItemKind.COMPLAINT: "petition.complaint.accept",  # Law on Complaints art. 27: 10 days
    ItemKind.RECOMMENDATION: "petition.recommendation.answer",  # Law 42/2013 art. 28
    ItemKind.REFLECTION: "petition.recommendation.answer",
}


@dataclass
class PersonData:
    full_name: str = ""
    address: str = ""
    phone: str = ""
    id_number: str = ""
    is_representative: bool = False


@dataclass
class ItemData:
    kind: str
    field: str
    content: str
    locality: str = ""
    accused: str = ""


def _next_number(model: Any, council: Council, year: int) -> int:
    # The council row is the lock: two clerks numbering at once get consecutive numbers.
    Council.objects.select_for_update().filter(pk=council.pk).first()
    last = model.objects.filter(council=council, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def triage_due_for(
    kind: str, received_on: dt.date, council: Council, *, book: RuleBook | None = None
) -> tuple[dt.date | None, str, str]:
    """An item's triage due date, the rule's key and the explanation (in the site's language:
    pages in English build it again), from the rule in force on the day received; (None, "",
    "") when none is. `book`: the rules already loaded (a bulk import)."""
    key = TRIAGE_RULE[ItemKind(kind)]
    try:
        deadline, explanation = (book or RuleBook([key])).stored_explanation(
            key, received_on, council=council
        )
    except RuleMissing:
        return None, "", ""
    return deadline.date, key, explanation


def _set_triage_due(item: PetitionItem, council: Council) -> None:
    item.triage_due, item.triage_rule, item.triage_explanation = triage_due_for(
        item.kind, item.petition.received_on, council
    )


def petition_search_text(subject: str, forwarded_by: str, items: Iterable[Any]) -> str:
    """The petition's search key: its subject, who forwarded it, and its items' content,
    locality and accused. Identity is never part of it: searching a denouncer's name finds
    nothing."""
    parts = [subject, forwarded_by]
    parts += [f"{i.content} {i.locality} {i.accused}" for i in items]
    return search_normalise(" ".join(parts))


def may_import_identity(*, kind: str, council: Council, handled: set[int], by: Any) -> bool:
    """Whether a row of an import may carry its petitioner's identity: a denouncer's only for
    the council's confidential petition handlers (`handled`: the councils where `by` holds that
    role) or the machine's operator (the command line, no pk) (Law on Denunciations 2018,
    art. 47)."""
    return kind != ItemKind.DENUNCIATION or getattr(by, "pk", None) is None or council.pk in handled


def handled_councils(by: Any) -> set[int]:
    """The councils where `by` is a confidential petition handler (one query)."""
    return set(
        RoleAssignment.objects.filter(user_id=by.pk or 0, role=Role.HANDLER).values_list(
            "council_id", flat=True
        )
    )


def petition_receive(
    *,
    council: Council,
    channel: str,
    received_on: dt.date,
    subject: str,
    items: list[ItemData],
    people: list[PersonData],
    is_group: bool = False,
    is_anonymous: bool = False,
    forwarded_by: str = "",
    reception: Any = None,
    duplicate_of: Petition | None = None,
    by: User | None,
) -> Petition:
    """Register a petition with its items and petitioners; each item gets its triage due
    date from the rules. A repeated petition links to the first one and increments its count."""
    if not items:
        raise ValidationError(_("A petition has at least one item."))
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot be in the future."))
    if is_group and people and not any(p.is_representative for p in people):
        raise ValidationError(_("A group petition names its representative."))
    if not is_anonymous and not any(p.full_name.strip() for p in people):
        raise ValidationError(_("Enter the petitioner's name, or mark the petition as anonymous."))
    confidential = any(data.kind == ItemKind.DENUNCIATION for data in items)
    with transaction.atomic():
        first = None
        if duplicate_of is not None:
            first = duplicate_of.duplicate_of or duplicate_of
            first = Petition.objects.select_for_update().get(pk=first.pk)
            if first.council_id != council.pk:
                raise ValidationError(_("A petition can only repeat one of the same council."))
            if first.is_confidential != confidential:
                # Every clerk reads the links of a petition: a named complaint listing a
                # denunciation as its repeat (or the reverse) would say who denounced
                # (Law on Denunciations 2018, art. 47).
                raise ValidationError(
                    _(
                        "A denunciation can only repeat a denunciation, and another petition "
                        "only a petition without a denunciation: the link would reveal who "
                        "denounced."
                    )
                )
        petition = Petition(
            council=council,
            year=received_on.year,
            number=_next_number(Petition, council, received_on.year),
            channel=channel,
            received_on=received_on,
            subject=subject,
            is_group=is_group,
            is_anonymous=is_anonymous,
            forwarded_by=forwarded_by,
            reception=reception,
            duplicate_of=first,
            created_by=by,
        )
        petition.search_text = petition_search_text(subject, forwarded_by, items)
        petition.save()
        for n, data in enumerate(items, start=1):
            item = PetitionItem(
                petition=petition,
                position=n,
                kind=data.kind,
                field=data.field,
                content=data.content,
                locality=data.locality,
                accused=data.accused,
            )
            _set_triage_due(item, council)
            item.save()
        for n, person in enumerate(people, start=1):
            if not any([person.full_name, person.address, person.phone, person.id_number]):
                continue
            Petitioner.objects.create(
                petition=petition,
                position=n,
                is_representative=person.is_representative,
                full_name=person.full_name.strip(),
                address=person.address.strip(),
                phone=person.phone.strip(),
                id_number=person.id_number.strip(),
                name_index=blind_index(person.full_name),
                phone_index=blind_index(person.phone),
                id_index=blind_index(person.id_number),
            )
        if first is not None:
            first.repeat_count = Petition.objects.filter(duplicate_of=first).count() + 1
            first.save(update_fields=["repeat_count"])
    return petition


def petition_scan_attach(*, petition: Petition, upload: Any, by: User | None) -> Any:
    """Store a scan or a file sent with a petition. A denunciation's carries the denouncer's
    handwriting and signature: it belongs to the petitioner record, which only handlers reach
    (the core download asks). Its file name, often the denouncer's own name, is neither kept
    nor used for the stored file: the columns and the path on disk hold no plaintext identity,
    and the file is stored encrypted with the field keys (every petition's file: it names its
    petitioner)."""
    from pathlib import PurePath

    from councilportal.documents.attachments import attachment_add

    owner: Any = petition
    if petition.is_confidential:
        owner = petition.petitioners.order_by("-is_representative", "position").first() or petition
        suffix = "".join(ch for ch in PurePath(upload.name or "").suffix.lower() if ch.isalnum())
        upload.name = f"don-{petition.number:02d}-{petition.year}.{suffix or 'pdf'}"
    return attachment_add(
        owner=owner,
        council=petition.council,
        upload=upload,
        title=_("Scan"),
        by=by,
        confidential=True,  # a petitioner's signature and handwriting: encrypted at rest
    )


def duplicate_candidates(
    *,
    council: Council,
    people: list[PersonData],
    subject: str,
    by: User,
    exclude: int | None = None,
    confidential: bool | None = None,
) -> list[Petition]:
    """Earlier petitions of the council by the same petitioner (blind index of the identity
    number, phone, or name) or with the same subject, accent- and case-insensitive. Only first
    petitions of a series are offered (a repeat links to the first).

    A denunciation is matched by its denouncer's identity for the council's confidential
    handlers only (`by` None: the operator): offering it to anyone else who typed a name would
    tell them who denounced (Law on Denunciations 2018, art. 47).

    `confidential` says whether the new petition has a denunciation item: only petitions of
    the same kind are offered, the only ones it may be linked to (`petition_receive`)."""
    ids = [blind_index(p.id_number) for p in people if p.id_number.strip()]
    phones = [blind_index(p.phone) for p in people if p.phone.strip()]
    names = [blind_index(p.full_name) for p in people if p.full_name.strip()]
    same_person = Q(pk__in=[])
    if ids:
        same_person |= Q(petitioners__id_index__in=ids)
    if phones:
        same_person |= Q(petitioners__phone_index__in=phones)
    if names:
        same_person |= Q(petitioners__name_index__in=names)
    if by is not None and not is_handler(by, council):
        same_person &= ~Q(items__kind=ItemKind.DENUNCIATION)
    needle = search_normalise(subject)
    same_subject = Q(search_text__contains=needle) if len(needle) >= 8 else Q(pk__in=[])
    qs = (
        Petition.objects.filter(council=council, duplicate_of__isnull=True)
        .filter(same_person | same_subject)
        .distinct()
        .order_by("-received_on")
    )
    if confidential is not None:
        denunciations = PetitionItem.objects.filter(kind=ItemKind.DENUNCIATION).values(
            "petition_id"
        )
        qs = qs.filter(pk__in=denunciations) if confidential else qs.exclude(pk__in=denunciations)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return list(qs[:10])


def forwarding_agencies(*, council: Council, by: User | None) -> QuerySet[Agency]:
    """The agencies an item of `council` may be forwarded to, among those `by` may see (None:
    the operator, all of them): the council's own, those of the councils below it (a
    denunciation of a commune official goes to that commune's People's Committee or a
    department below), of the councils above it (a denunciation of a commune's chairman is
    resolved above the commune, Law on Denunciations 2018, art. 13) and of the councils it was
    merged into."""
    line = (
        Q(council__path__startswith=council.path)
        | Q(council__in=council.ancestors())
        | Q(council__in=council.successors.all())
    )
    agencies = Agency.objects.all() if by is None else Agency.objects.visible_to(by)
    return (
        agencies.filter(line, is_active=True)
        .select_related("council")
        .order_by("council__depth", "council__path", "name")
    )


def _check_pending(item: PetitionItem) -> None:
    if item.outcome != Outcome.PENDING:
        raise ValidationError(_("This item has already been triaged."))


def _check_day(item: PetitionItem, day: dt.date) -> None:
    if day < item.petition.received_on:
        raise ValidationError(_("The triage cannot be dated before the petition was received."))
    if day > timezone.localdate():
        raise ValidationError(_("The triage cannot be dated in the future."))


def item_forward(
    *, item: PetitionItem, agency: Agency, on: dt.date, note: str = "", by: User | None
) -> ForwardingSlip:
    """Forward an item to the competent agency: a numbered forwarding slip and a follow-up
    whose due date (the agency's answer) comes from the rules."""
    _check_pending(item)
    _check_day(item, on)
    petition = item.petition
    council = petition.council
    if not forwarding_agencies(council=council, by=by).filter(pk=agency.pk).exists():
        raise ValidationError(
            _("Choose an active agency of this council or of a council above or below it.")
        )
    if petition.is_anonymous and item.kind == ItemKind.DENUNCIATION and not note.strip():
        # Law on Denunciations 2018, art. 25(2): an anonymous denunciation is not processed as
        # a denunciation; it may be forwarded only when it names the violator with concrete,
        # verifiable evidence. The clerk says why.
        raise ValidationError(
            _(
                "An anonymous denunciation is forwarded only when it clearly names the violator "
                "with concrete, verifiable evidence: say so in the note."
            )
        )
    with transaction.atomic():
        try:
            follow_up = follow_up_open(
                source=petition,
                council=council,
                to=agency,
                # No identity here: the follow-up shows in lists, reminders and notifications.
                content=_("Petition %(number)s, item %(n)d (%(kind)s): %(subject)s")
                % {
                    "number": f"{petition.number:02d}/{petition.year}",
                    "n": item.position,
                    "kind": item.get_kind_display().lower(),
                    "subject": petition.subject,
                },
                sent_on=on,
                due=ANSWER_RULE[ItemKind(item.kind)],
            )
        except RuleMissing as exc:
            raise ValidationError(
                _("No rule sets the agency's answer period on that date.")
            ) from exc
        slip = ForwardingSlip.objects.create(
            item=item,
            council=council,
            year=on.year,
            number=_next_number(ForwardingSlip, council, on.year),
            issued_on=on,
        )
        item.outcome = Outcome.FORWARD
        item.agency = agency
        item.follow_up = follow_up
        item.triaged_on = on
        item.triaged_by = by
        item.triage_note = note
        item.save()
    return slip


def item_guide(*, item: PetitionItem, on: dt.date, note: str, by: User | None) -> PetitionItem:
    """Guide the citizen to the competent body (guidance letter)."""
    _check_pending(item)
    _check_day(item, on)
    if not note.strip():
        raise ValidationError(_("Say where the citizen is guided to."))
    item.outcome, item.triaged_on, item.triaged_by, item.triage_note = Outcome.GUIDE, on, by, note
    item.closed_on = on
    item.save()
    return item


def item_archive(
    *, item: PetitionItem, on: dt.date, reason: str, note: str = "", by: User | None
) -> PetitionItem:
    _check_pending(item)
    _check_day(item, on)
    if reason not in ArchiveReason.values:
        raise ValidationError(_("Give the reason for filing the item away."))
    item.outcome, item.archive_reason = Outcome.ARCHIVE, reason
    item.triaged_on, item.triaged_by, item.triage_note, item.closed_on = on, by, note, on
    item.save()
    return item


def item_monitor(
    *, item: PetitionItem, on: dt.date, note: str = "", by: User | None
) -> PetitionItem:
    _check_pending(item)
    _check_day(item, on)
    item.outcome, item.triaged_on, item.triaged_by, item.triage_note = Outcome.MONITOR, on, by, note
    item.save()
    return item


def item_answer(
    *,
    item: PetitionItem,
    received_on: dt.date,
    content: str,
    reference: str = "",
    final: bool = True,
    by: User | None,
) -> PetitionItem:
    """Record the agency's reply (or its result) on a forwarded item."""
    if item.follow_up is None:
        raise ValidationError(_("A reply can only be recorded for an item forwarded to an agency."))
    if received_on > timezone.localdate():
        raise ValidationError(_("The reply cannot be dated in the future."))
    with transaction.atomic():
        follow_up_answer(
            follow_up=item.follow_up,
            received_on=received_on,
            content=content,
            reference=reference,
            progress=100 if final else 50,
            status=FollowUpStatus.DONE if final else FollowUpStatus.PARTLY_DONE,
            by=by,
        )
        item.answered_on = item.answered_on or received_on
        item.save(update_fields=["answered_on"])
    return item


def item_close(*, item: PetitionItem, on: dt.date, by: User) -> PetitionItem:
    if item.outcome == Outcome.PENDING:
        raise ValidationError(_("Triage the item before closing it."))
    if item.closed_on:
        raise ValidationError(_("This item is already closed."))
    if on < (item.triaged_on or item.petition.received_on):
        raise ValidationError(_("The item cannot be closed before it was triaged."))
    item.closed_on = on
    item.save(update_fields=["closed_on"])
    return item


def reminder_send(*, item: PetitionItem, on: dt.date, by: User) -> ReminderLetter:
    """A reminder letter (đôn đốc) to the agency whose answer is late."""
    follow_up = item.follow_up
    if follow_up is None or follow_up.status not in (
        FollowUpStatus.OPEN,
        FollowUpStatus.PARTLY_DONE,
    ):
        raise ValidationError(_("Only a forwarded item still awaiting an answer can be urged."))
    if follow_up.due_date >= on:
        raise ValidationError(
            _("The agency still has until %(date)s to answer: urge it only once late.")
            % {"date": follow_up.due_date.strftime("%d/%m/%Y")}
        )
    council = item.petition.council
    with transaction.atomic():
        return ReminderLetter.objects.create(
            item=item,
            council=council,
            year=on.year,
            number=_next_number(ReminderLetter, council, on.year),
            sent_on=on,
            by=by,
        )


def letter_print(*, letter: ForwardingSlip | ReminderLetter, by: Any) -> GeneratedDocument:
    """Queue the PDF of a numbered letter (a forwarding slip, a reminder letter). The actions
    that number a letter print it at once: the clerk is sending it (imports of past letters
    and the demo number them without printing)."""
    kind = FORWARDING_SLIP if isinstance(letter, ForwardingSlip) else REMINDER_LETTER
    return document_request(kind=kind.key, source=letter, by=by)


def triage_due_recompute(day: dt.date) -> int:
    """Recompute the triage due dates of items still awaiting triage whose period may include
    `day` (registered with the deadline engine: a holiday added moves them)."""
    moved = 0
    candidates = (
        PetitionItem.objects.filter(outcome=Outcome.PENDING, petition__received_on__lte=day)
        .exclude(triage_rule="")
        .select_related("petition__council")
    )
    for item in candidates:
        if item.triage_due and item.triage_due < day - dt.timedelta(days=15):
            continue
        old = item.triage_due
        _set_triage_due(item, item.petition.council)
        if item.triage_due != old:
            item.save(update_fields=["triage_due", "triage_explanation", "triage_rule"])
            moved += 1
    return moved


# Voters' recommendations ---------------------------------------------------------------------


def recommendation_merge(
    *, keep: VoterRecommendation, others: list[VoterRecommendation]
) -> VoterRecommendation:
    """Merge duplicates into one: their meetings join it and the count adds up."""
    with transaction.atomic():
        for other in others:
            if other.pk == keep.pk or other.merged_into_id:
                continue
            if other.council_id != keep.council_id or other.session_id != keep.session_id:
                raise ValidationError(
                    _("Only recommendations of the same council and session can be merged.")
                )
            keep.meetings.add(*other.meetings.all())
            keep.times_raised += other.times_raised
            other.merged_into = keep
            other.save(update_fields=["merged_into"])
        keep.save(update_fields=["times_raised"])
    return keep


# The follow-up's status for each outcome: resolved or explained closes it; being resolved is
# partly done; not resolved stays open (carried over to the next sessions).
OUTCOME_STATUS = {
    RecommendationOutcome.OPEN: FollowUpStatus.OPEN,
    RecommendationOutcome.IN_PROGRESS: FollowUpStatus.PARTLY_DONE,
    RecommendationOutcome.NOT_RESOLVED: FollowUpStatus.OPEN,
    RecommendationOutcome.RESOLVED: FollowUpStatus.DONE,
    RecommendationOutcome.EXPLAINED: FollowUpStatus.DONE,
}


def recommendation_due(*, council: Council, on: dt.date) -> tuple[dt.date, str]:
    """When a forwarded recommendation is due, and why: the agency reports its results at the
    council's next regular session (DOMAIN.md §6: "before and after session N", at N+1); while
    none is planned yet, by the end of the year (the year-end session)."""
    from sessions.models import Session, SessionKind

    following = (
        Session.objects.filter(
            council=council,
            kind__in=[SessionKind.REGULAR_MID_YEAR, SessionKind.REGULAR_YEAR_END],
            planned_start__gt=on,
        )
        .select_related("term")
        .order_by("planned_start", "pk")
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        if following is not None and following.opening >= on:
            return following.opening, _(
                "Reported at the next regular session, %(session)s, opening %(day)s"
            ) % {"session": following, "day": f"{following.opening:%d/%m/%Y}"}
        return dt.date(on.year, 12, 31), _(
            "By the end of the year: no later regular session is planned yet"
        )


def carried_over(on: dt.date | None = None) -> Q:
    """A recommendation carried over (SQL): its follow-up still open, and a regular session
    besides its own held since it was forwarded (the core's `carried_across`)."""
    return carried_across(
        "follow_up", on=on or timezone.localdate(), regular_only=True, besides="session_id"
    )


def answered() -> Q:
    """A recommendation whose agency has answered (SQL): its follow-up has an answer."""
    return Q(Exists(FollowUpAnswer.objects.filter(follow_up=OuterRef("follow_up"))))


def recommendation_track(
    *,
    recommendation: VoterRecommendation,
    forwarded_on: dt.date | None,
    answered_on: dt.date | None = None,
    reference: str = "",
    summary: str = "",
    by: User | None = None,
) -> FollowUp | None:
    """Forward a voters' recommendation to its agency and record the answer: forwarding opens
    its core follow-up (`follow_up_open`, due at the next regular session); the answer is the
    follow-up's latest `FollowUpAnswer`; the outcome moves the follow-up's status. A later
    edit moves the same follow-up and answer; the forwarding and the answer cleared withdraw
    the follow-up. The form checks the same rules first (`RecommendationForm.clean`)."""
    rec = recommendation
    follow_up = rec.follow_up
    answered = bool(answered_on or reference.strip() or summary.strip())
    if forwarded_on is None:
        if answered:
            raise ValidationError(_("Record the forwarding date before the answer."))
        if follow_up is not None:  # its answers go with it
            rec.follow_up = None
            rec.save(update_fields=["follow_up"])
            follow_up.delete()
        return None
    if rec.agency is None:
        raise ValidationError(_("Choose the agency the recommendation is forwarded to."))
    if answered and answered_on is None:
        raise ValidationError(_("Give the date of the answer."))
    if answered_on is not None and answered_on < forwarded_on:
        raise ValidationError(_("The answer cannot be dated before the forwarding."))
    with transaction.atomic():
        if follow_up is None:
            due, explanation = recommendation_due(council=rec.council, on=forwarded_on)
            follow_up = follow_up_open(
                source=rec,
                council=rec.council,
                to=rec.agency,
                content=rec.content,
                sent_on=forwarded_on,
                due=due,
                explanation=explanation,
            )
            rec.follow_up = follow_up
            rec.save(update_fields=["follow_up"])
        else:
            if follow_up.sent_on != forwarded_on:
                follow_up.sent_on = forwarded_on
                follow_up.due_date, follow_up.due_explanation = recommendation_due(
                    council=rec.council, on=forwarded_on
                )
            follow_up.to_agency = rec.agency
            follow_up.content = rec.content
        answer = rec.answer
        if answered_on is None:  # (and nothing else written: checked above)
            if answer is not None:
                answer.delete()
        elif answer is None:
            FollowUpAnswer.objects.create(
                follow_up=follow_up,
                received_on=answered_on,
                content=summary,
                reference=reference,
                recorded_by=by,
            )
        else:
            answer.received_on, answer.content, answer.reference = answered_on, summary, reference
            answer.save()
        status = OUTCOME_STATUS[RecommendationOutcome(rec.outcome)]
        follow_up.status = status
        follow_up.progress = 100 if status == FollowUpStatus.DONE else 0
        follow_up.closed_on = (
            (answered_on or timezone.localdate()) if status == FollowUpStatus.DONE else None
        )
        if follow_up.closed_on and follow_up.closed_on < follow_up.sent_on:
            follow_up.closed_on = follow_up.sent_on
        follow_up.full_clean(exclude={"council", "source_type"}, validate_unique=False)
        follow_up.save()
        # The answers read afresh by the pages that follow.
        if hasattr(follow_up, "_prefetched_objects_cache"):
            follow_up._prefetched_objects_cache.clear()
    return follow_up
