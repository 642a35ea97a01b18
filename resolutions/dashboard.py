"""The resolutions app's part of the dashboard: resolutions adopted (legal normative and
individual, by field), documents of the Standing Committee, submissions verified, overdue
implementation tasks. Five queries whatever the size of the register."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councilportal.dashboard.board import (
    Board,
    Figure,
    Section,
    SectionResult,
    counts_by,
    grouped_counts,
    in_period,
    merge_rows,
    monthly_counts,
    register_section,
)
from councilportal.models import FollowUp

from .models import Field, Issuer, Kind, Resolution, VerificationReport


def compute(board: Board) -> SectionResult:
    adopted = board.scope(Resolution.objects.all()).filter(in_period(board, "adopted_on"))
    by_council = Q(issuer=Issuer.COUNCIL)
    counts = {
        "resolutions": by_council,
        "resolutions_normative": by_council & Q(kind=Kind.NORMATIVE),
        "resolutions_individual": by_council & Q(kind=Kind.INDIVIDUAL),
        "resolutions_standing": Q(issuer=Issuer.STANDING),
    }
    totals, per_row = grouped_counts(board, adopted, counts)
    verified = board.scope(VerificationReport.objects.all(), "submission__council").filter(
        in_period(board, "reported_on")
    )
    verified_totals, verified_rows = grouped_counts(
        board, verified, {"verification_reports": Q()}, lookup="submission__council"
    )
    tasks = board.scope(FollowUp.objects.of(Resolution).overdue())
    task_totals, task_rows = grouped_counts(board, tasks, {"tasks_overdue": Q()})
    per_row = merge_rows(per_row, verified_rows, task_rows)
    fields = counts_by(adopted.filter(by_council), "field")
    register = "resolutions:resolution-list"
    figures = [
        Figure(
            "resolutions",
            _("Resolutions adopted"),
            totals["resolutions"],
            board.link(register, issuer=Issuer.COUNCIL),
        ),
        Figure(
            "resolutions_normative",
            _("Legal normative resolutions"),
            totals["resolutions_normative"],
            board.link(register, issuer=Issuer.COUNCIL, kind=Kind.NORMATIVE),
        ),
        Figure(
            "resolutions_individual",
            _("Individual resolutions"),
            totals["resolutions_individual"],
            board.link(register, issuer=Issuer.COUNCIL, kind=Kind.INDIVIDUAL),
        ),
        Figure(
            "resolutions_standing",
            _("Documents of the Standing Committee"),
            totals["resolutions_standing"],
            board.link(register, issuer=Issuer.STANDING),
        ),
        Figure(
            "verification_reports",
            _("Verification reports of the committees"),
            verified_totals["verification_reports"],
            board.link("resolutions:submission-list", date=False),
        ),
        Figure(
            "tasks_overdue",
            _("Implementation tasks overdue today"),
            task_totals["tasks_overdue"],
            board.link("resolutions:task-overdue", date=False),
            tone="danger",
        ),
    ]
    breakdown = [
        Figure(
            f"field_{value}",
            label,
            fields.get(value, 0),
            board.link(register, issuer=Issuer.COUNCIL, field=value),
        )
        for value, label in Field.choices
        if fields.get(value)
    ]
    trend = monthly_counts(board, adopted, "adopted_on", {"resolutions": by_council})
    return SectionResult(
        "resolutions",
        _("Resolutions"),
        figures,
        per_row,
        trend,
        breakdown=breakdown,
        breakdown_title=_("Resolutions adopted by field"),
    )


register_section(Section("resolutions", 20, compute))
