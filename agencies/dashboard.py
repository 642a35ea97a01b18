"""The agencies' responsiveness on the dashboard and in the activity report: per council row,
items sent to agencies in the period, answered on time, late, overdue without an answer; and a
table with one row per agency (the report prints it)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.dashboard.board import Board, Figure, Section, SectionResult, register_section
from councilportal.models import FollowUp

from .responsiveness import AgencyRow, facts, received_in

KEYS = ("received", "on_time", "late", "overdue_unanswered")


def compute(board: Board) -> SectionResult:
    follow_ups = list(
        received_in(board.scope(FollowUp.objects.all()), board.period.start, board.period.end)
    )
    paths = board.council_paths()
    totals = dict.fromkeys(KEYS, 0)
    per_row: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    agencies: dict[int, AgencyRow] = {}
    for item in facts(follow_ups):
        follow_up = item.follow_up
        target = board.row_of(paths.get(follow_up.council_id, ""))
        counts = {
            "received": 1,
            "on_time": int(item.on_time is True),
            "late": int(item.on_time is False),
            "overdue_unanswered": int(item.on_time is None and item.overdue),
        }
        row = agencies.setdefault(follow_up.to_agency_id, AgencyRow(agency=None))
        row.received += 1
        row.on_time += counts["on_time"]
        row.late += counts["late"]
        row.overdue_unanswered += counts["overdue_unanswered"]
        if item.answered_on is not None:
            row.days.append((item.answered_on - follow_up.sent_on).days)
        for key, value in counts.items():
            totals[key] += value
            per_row[target][key] += value
    from councilportal.models import Agency

    names = Agency.objects.in_bulk(list(agencies))
    ordered = sorted(agencies.items(), key=lambda kv: (-kv[1].received, str(names.get(kv[0]))))
    link = board.link("agencies:responsiveness")
    figures = [
        Figure("received", _("items sent to agencies"), totals["received"], link),
        Figure("on_time", _("answered on time"), totals["on_time"], link),
        Figure("late", _("answered late"), totals["late"], link),
        Figure(
            "overdue_unanswered",
            _("overdue, unanswered"),
            totals["overdue_unanswered"],
            link,
            tone="danger",
        ),
    ]
    return SectionResult(
        "agencies",
        _("Agencies' responsiveness"),
        figures,
        dict(per_row),
        table_title=_("By agency"),
        table_headers=[
            _("Agency"),
            _("Received"),
            _("On time"),
            _("Late"),
            _("Overdue, unanswered"),
            _("Median days"),
        ],
        table_rows=[
            [
                str(names.get(pk, "—")),
                row.received,
                row.on_time,
                row.late,
                row.overdue_unanswered,
                _median(row),
            ]
            for pk, row in ordered[:50]
        ],
    )


def _median(row: AgencyRow) -> Any:
    median = row.median_days
    if median is None:
        return "—"
    return f"{median:g}".replace(".", ",")


register_section(Section("agencies", 70, compute))
