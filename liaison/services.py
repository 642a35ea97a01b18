"""Liaison rounds: opening a round, the councils' reports (figures, corrections, submit and
return), the compiled figures, and the conclusions turned into tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from councilportal.dashboard.board import Period, build_dashboard, since_last_liaison
from councilportal.deadlines import Deadline, due_date
from councilportal.follow_ups.reminders import clerks_of
from councilportal.follow_ups.services import follow_up_open
from councilportal.models import Council, FollowUp, FollowUpStatus, Organ, OrganKind
from councilportal.notifications.services import notify
from councilportal.typing import User
from sessions.models import Meeting, MeetingKind

from .models import (
    Conclusion,
    CouncilReport,
    FigureCorrection,
    Proposal,
    ReportingRound,
    ReportStatus,
    RoundScope,
)

# How long before the meeting the lower councils' reports are due (a rule: the province's own
# working rules may set another lead time).
DEADLINE_RULE = "liaison.report_lead"


# The round ------------------------------------------------------------------------------------


def round_default_period(*, council: Council, today: dt.date | None = None) -> Period:
    """Since the previous liaison meeting (the dashboard's own period), to today."""
    return since_last_liaison(council, today or timezone.localdate())


def round_deadline(*, council: Council, meeting_date: dt.date) -> Deadline:
    """The day the reports are due: the rule's working days before the meeting."""
    return due_date(DEADLINE_RULE, meeting_date, council=council, before=True)


def asked_councils(*, council: Council, scope: str, on: dt.date) -> list[Council]:
    """The councils asked to report: those directly below, or every council below, in office
    on the day."""
    below = Council.objects.valid_on(on).exclude(pk=council.pk)  # type: ignore[attr-defined]
    if scope == RoundScope.SUBTREE:
        below = below.filter(path__subtree=council.path)
    else:
        below = below.filter(parent=council)
    return list(below.order_by("path"))


def round_open(
    *,
    council: Council,
    title: str,
    meeting_date: dt.date,
    venue: str,
    topic: str,
    period_start: dt.date,
    period_end: dt.date,
    scope: str,
    questions: str,
    by: User | None,
) -> ReportingRound:
    """Open a round: the liaison meeting it prepares, the deadline from the rule, an empty
    report for every council asked, and a notification to their clerks."""
    if period_end < period_start:
        raise ValidationError(_("The end of the period cannot be before its start."))
    if meeting_date < period_end:
        raise ValidationError(_("The meeting cannot be before the end of the period."))
    deadline = round_deadline(council=council, meeting_date=meeting_date)
    councils = asked_councils(council=council, scope=scope, on=meeting_date)
    if not councils:
        raise ValidationError(_("There is no council below this one to ask for a report."))
    with transaction.atomic():
        standing = (
            Organ.objects.filter(council=council, kind=OrganKind.STANDING_COMMITTEE)
            .order_by("-term__start_date")
            .first()
        )
        meeting = Meeting.objects.create(
            council=council,
            organ=standing,
            kind=MeetingKind.LIAISON,
            title=title,
            date=meeting_date,
            venue=venue,
            topic=topic,
        )
        meeting.participant_councils.set(councils)
        liaison_round = ReportingRound.objects.create(
            council=council,
            meeting=meeting,
            period_start=period_start,
            period_end=period_end,
            topic=topic,
            scope=scope,
            questions=questions,
            deadline=deadline.date,
            deadline_explanation=deadline.explanation[:300],
            created_by=by,
        )
        reports = [CouncilReport(round=liaison_round, council=c) for c in councils]
        for report in reports:
            report.save()
        _notify_councils(
            liaison_round,
            [(report.council, report) for report in reports],
            key="liaison-asked",
            title=_("Report for the liaison meeting of %(date)s due on %(deadline)s")
            % {
                "date": date_format(meeting_date, "d/m/Y"),
                "deadline": date_format(deadline.date, "d/m/Y"),
            },
        )
    return liaison_round


def _notify_councils(
    liaison_round: ReportingRound,
    targets: list[tuple[Council, Any]],
    *,
    key: str,
    title: str,
    body: str = "",
) -> None:
    clerks = clerks_of({council.pk for council, _record in targets})
    for council, record in targets:
        for user in clerks.get(council.pk, []):
            notify(
                user=user,
                key=f"{key}:{record.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
                title=title,
                body=body,
                link=record.get_absolute_url(),
                council=council,
            )


# Figures -------------------------------------------------------------------------------------


@dataclass
class ReportFigure:
    key: str  # "section.figure"
    label: Any
    computed: int
    url: str = ""
    correction: FigureCorrection | None = None

    @property
    def value(self) -> int:
        return self.correction.corrected if self.correction else self.computed


@dataclass
class FigureSection:
    key: str
    title: Any
    figures: list[ReportFigure] = field(default_factory=list)


def council_figures(*, council: Council, period: Period) -> list[FigureSection]:
    """Every §8 figure of a council's own records for a period: exactly the dashboard's
    computation (the same function, the council alone, the same period), with its links."""
    board = build_dashboard(root=council, include_below=False, period=period, user=None)
    return [
        FigureSection(
            key=result.key,
            title=result.title,
            figures=[
                ReportFigure(f"{result.key}.{f.key}", f.label, f.value, f.url)
                for f in result.figures
            ],
        )
        for result in board.results
    ]


def round_period(liaison_round: ReportingRound) -> Period:
    return Period(liaison_round.period_start, liaison_round.period_end, "custom")


def report_figures(report: CouncilReport) -> list[FigureSection]:
    """The report's figures: computed now while a draft, as submitted once submitted, each with
    its correction."""
    sections = council_figures(council=report.council, period=round_period(report.round))
    corrections = {c.key: c for c in report.corrections.all()}
    for section in sections:
        for figure in section.figures:
            if report.figures and figure.key in report.figures:
                figure.computed = int(report.figures[figure.key])
            figure.correction = corrections.get(figure.key)
    return sections


def figure_keys(sections: list[FigureSection]) -> dict[str, ReportFigure]:
    return {f.key: f for s in sections for f in s.figures}


# The report ----------------------------------------------------------------------------------


def _editable(report: CouncilReport) -> None:
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("The report has been submitted: it is locked."))


def _lock(report: CouncilReport) -> CouncilReport:
    """The report's row, locked, with its stored state (another clerk may have submitted)."""
    return CouncilReport.objects.select_for_update().select_related("round").get(pk=report.pk)


def report_save(
    *,
    report: CouncilReport,
    assessment: str,
    difficulties: str,
    good_practices: str,
    answers: dict[str, str],
    proposals: list[tuple[str, str]],
    by: User,
) -> CouncilReport:
    """Save the text of a draft or returned report (never a submitted one)."""
    with transaction.atomic():
        stored = _lock(report)
        _editable(stored)
        stored.assessment = assessment
        stored.difficulties = difficulties
        stored.good_practices = good_practices
        stored.answers = {k: v for k, v in answers.items() if v.strip()}
        stored.started_at = stored.started_at or timezone.now()
        stored.save()
        stored.proposals.all().delete()
        for field_name, text in proposals:
            if text.strip():
                Proposal.objects.create(report=stored, field=field_name, text=text.strip())
    return stored


def report_correct(
    *, report: CouncilReport, key: str, corrected: int | None, reason: str, by: User
) -> FigureCorrection | None:
    """Correct a computed figure, with a reason; `corrected` None takes the correction back."""
    with transaction.atomic():
        stored = _lock(report)
        _editable(stored)
        figures = figure_keys(report_figures(stored))
        if key not in figures:
            raise ValidationError(_("There is no such figure."))
        if corrected is None:
            FigureCorrection.objects.filter(report=stored, key=key).delete()
            return None
        if not reason.strip():
            raise ValidationError(_("Give the reason for the correction."))
        correction, _created = FigureCorrection.objects.update_or_create(
            report=stored,
            key=key,
            defaults={
                "computed": figures[key].computed,
                "corrected": corrected,
                "reason": reason.strip(),
            },
        )
        stored.started_at = stored.started_at or timezone.now()
        stored.save(update_fields=["started_at"])
    return correction


def report_submit(*, report: CouncilReport, by: User) -> CouncilReport:
    """Submit: the figures are frozen as computed now, and the report is locked."""
    with transaction.atomic():
        stored = _lock(report)
        _editable(stored)
        figures = figure_keys(
            council_figures(council=stored.council, period=round_period(stored.round))
        )
        stored.figures = {key: figure.computed for key, figure in figures.items()}
        for correction in stored.corrections.all():
            if correction.key in figures:
                correction.computed = figures[correction.key].computed
                correction.save(update_fields=["computed"])
        stored.status = ReportStatus.SUBMITTED
        stored.submitted_at = timezone.now()
        stored.submitted_by = by
        stored.started_at = stored.started_at or stored.submitted_at
        stored.save()
        province = stored.round.council
        _notify_councils(
            stored.round,
            [(province, stored)],
            key="liaison-submitted",
            title=_("%(council)s submitted its report") % {"council": stored.council},
        )
    return stored


def report_return(*, report: CouncilReport, reason: str, by: User) -> CouncilReport:
    """The province returns a submitted report with a reason: it is unlocked for changes."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for returning the report."))
    with transaction.atomic():
        stored = _lock(report)
        if stored.status != ReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be returned."))
        stored.status = ReportStatus.RETURNED
        stored.returned_reason = reason.strip()
        stored.figures = {}
        stored.save()
        _notify_councils(
            stored.round,
            [(stored.council, stored)],
            key="liaison-returned",
            title=_("Your report was returned: %(reason)s") % {"reason": reason.strip()[:200]},
        )
    return stored


# Previous meeting's tasks --------------------------------------------------------------------


def previous_round(liaison_round: ReportingRound) -> ReportingRound | None:
    return (
        ReportingRound.objects.filter(
            council=liaison_round.council, meeting__date__lt=liaison_round.meeting.date
        )
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )


def previous_tasks(liaison_round: ReportingRound, council: Council | None = None) -> list[FollowUp]:
    """The tasks the previous meeting's conclusions gave (to one council, or to all)."""
    previous = previous_round(liaison_round)
    if previous is None:
        return []
    conclusions = list(previous.conclusions.values_list("pk", flat=True))
    tasks = FollowUp.objects.of(Conclusion).filter(source_id__in=conclusions)
    if council is not None:
        tasks = tasks.filter(to_council=council)
    return list(tasks.select_related("to_council").order_by("to_council__path", "due_date"))


# Conclusions ---------------------------------------------------------------------------------


def conclusion_add(
    *,
    liaison_round: ReportingRound,
    text: str,
    councils: list[Council],
    due: dt.date,
    by: User,
) -> Conclusion:
    """Record a conclusion of the chair and give it as a task to each council named (a core
    follow-up owned by the council that must do it, so its dashboard and reminders count it)."""
    meeting = liaison_round.meeting
    if due < meeting.date:
        raise ValidationError(_("The deadline cannot be before the meeting."))
    if not councils:
        raise ValidationError(_("Choose at least one council."))
    with transaction.atomic():
        conclusion = Conclusion.objects.create(round=liaison_round, text=text.strip())
        explanation = _("Set at the liaison meeting of %(day)s.") % {
            "day": date_format(meeting.date, "d/m/Y")
        }
        for council in councils:
            follow_up_open(
                source=conclusion,
                council=council,
                to=council,
                content=conclusion.text,
                sent_on=meeting.date,
                due=due,
                explanation=explanation,
            )
        _notify_councils(
            liaison_round,
            [(c, conclusion) for c in councils],
            key="liaison-task",
            title=_("A task from the liaison meeting, due on %(date)s")
            % {"date": date_format(due, "d/m/Y")},
            body=conclusion.text[:500],
        )
    return conclusion


def task_counts(tasks: list[FollowUp], on: dt.date) -> dict[str, int]:
    done = sum(1 for t in tasks if t.status == FollowUpStatus.DONE)
    overdue = sum(1 for t in tasks if t.is_overdue(on))
    return {"total": len(tasks), "done": done, "overdue": overdue, "open": len(tasks) - done}


def rounds_of_term(council: Council, on: dt.date) -> list[ReportingRound]:
    """The council's rounds within the term in office on a day (oldest first)."""
    term = council.terms.filter(start_date__lte=on).order_by("-start_date").first()  # type: ignore[attr-defined]
    rounds = ReportingRound.objects.filter(council=council).select_related("meeting")
    if term is not None:
        rounds = rounds.filter(
            Q(meeting__date__gte=term.start_date) & Q(meeting__date__lte=term.end_date)
        )
    return list(rounds.order_by("meeting__date"))


# The compiled figures ------------------------------------------------------------------------


@dataclass
class Cell:
    key: str
    label: Any
    value: int
    computed: int
    correction: FigureCorrection | None = None
    note: int = 0  # the footnote's number when corrected


@dataclass
class Row:
    council: Council
    report: CouncilReport
    status_label: str
    cells: list[Cell]

    @property
    def corrected(self) -> list[Cell]:
        return [c for c in self.cells if c.correction]

    def section(self, keys: list[str]) -> list[Cell]:
        by_key = {c.key: c for c in self.cells}
        return [by_key[k] for k in keys]


@dataclass
class RoundTable:
    """Every asked council's figures side by side (the consolidated report and its .xlsx),
    and the province's own."""

    province: list[FigureSection]
    figures: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    rows: list[Row]
    notes: list[dict[str, Any]]


def round_table(liaison_round: ReportingRound) -> RoundTable:
    period = round_period(liaison_round)
    province = council_figures(council=liaison_round.council, period=period)
    reports = list(
        liaison_round.reports.select_related("council")
        .prefetch_related("corrections")
        .order_by("council__path")
    )
    figures = [
        {"key": f.key, "label": f.label, "section": s.key} for s in province for f in s.figures
    ]
    rows: list[Row] = []
    notes: list[dict[str, Any]] = []
    for report in reports:
        values = figure_keys(report_figures(report))
        cells = []
        for spec in figures:
            figure = values[spec["key"]]
            cell = Cell(
                spec["key"], spec["label"], figure.value, figure.computed, figure.correction
            )
            if figure.correction is not None:
                cell.note = len(notes) + 1
                notes.append(
                    {
                        "n": cell.note,
                        "council": report.council,
                        "label": spec["label"],
                        "value": figure.value,
                        "computed": figure.computed,
                        "reason": figure.correction.reason,
                    }
                )
            cells.append(cell)
        status = report.get_status_display()
        if report.board_status == "not_started":
            status = _("Not started")
        rows.append(Row(report.council, report, str(status), cells))
    sections = [
        {
            "title": s.title,
            "headers": [f.label for f in s.figures],
            "keys": [f.key for f in s.figures],
            "own": [f.computed for f in s.figures],
            "rows": [
                {"row": row, "cells": row.section([f.key for f in s.figures])} for row in rows
            ],
        }
        for s in province
    ]
    return RoundTable(province, figures, sections, rows, notes)


@dataclass
class History:
    rounds: list[ReportingRound]
    figures: list[dict[str, Any]]
    figure: dict[str, Any] | None
    rows: list[dict[str, Any]]


def round_history(council: Council, figure_key: str, on: dt.date | None = None) -> History:
    """The rounds of the term in office on a day (today by default) side by side: for one
    figure, each council's value in each round (as submitted, corrected where it was), so the
    province sees the trend."""
    rounds = rounds_of_term(council, on or timezone.localdate())
    figures: list[dict[str, Any]] = []
    if rounds:
        figures = [
            {"key": f.key, "label": f.label}
            for s in council_figures(council=council, period=round_period(rounds[-1]))
            for f in s.figures
        ]
    figure = next((f for f in figures if f["key"] == figure_key), figures[0] if figures else None)
    reports = CouncilReport.objects.filter(round__in=rounds).select_related("council")
    corrections = {
        (c.report_id, c.key): c.corrected
        for c in FigureCorrection.objects.filter(report__round__in=rounds)
    }
    table: dict[int, dict[str, Any]] = {}
    for report in reports.order_by("council__path"):
        row = table.setdefault(
            report.council_id, {"council": report.council, "values": {r.pk: None for r in rounds}}
        )
        if figure is not None and report.status == ReportStatus.SUBMITTED:
            key = figure["key"]
            value = corrections.get((report.pk, key), report.figures.get(key))
            row["values"][report.round_id] = value
    rows = [
        {"council": row["council"], "values": [row["values"][r.pk] for r in rounds]}
        for row in table.values()
    ]
    return History(rounds, figures, figure, rows)
