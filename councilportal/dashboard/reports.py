"""The activity report: who may read it, and its printable kind (a frozen dashboard)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.dashboard.board import Period, build_dashboard
from councilportal.dashboard.charts import charts_of
from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line
from councilportal.models import ActivityReport
from councilportal.typing import AnyUser


def report_can_read(user: AnyUser, report: Any) -> bool:
    """A report with the councils below is for those who read that whole subtree (leaders,
    province clerks, administrators); otherwise for those who read the council."""
    from councilportal.access import scopes

    if not ActivityReport.objects.visible_to(user).filter(pk=report.pk).exists():
        return False
    if not report.include_below:
        return True
    read = scopes(user)[0]
    return read.everything or any(report.council.path.startswith(p) for p in read.subtrees)


def _scope(report: Any, rows: list[Any]) -> list[dict[str, Any]]:
    """The councils the report covers below its own, each with the councils below it (the
    communes of a district), from one query: those in office during the period and readable
    by whoever asked for the report."""
    from councilportal.models import Council

    if not report.include_below or not rows:
        return []
    period_start, period_end = report.period_start, report.period_end
    below = (
        Council.objects.all()
        if report.requested_by is None
        else Council.objects.visible_to(report.requested_by)
    )
    below = (
        below.filter(path__subtree=report.council.path, depth__gt=report.council.depth + 1)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period_end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period_start))
        .only("pk", "name", "path")
        .order_by("path")
    )
    under: dict[int, list[Any]] = {row.pk: [] for row in rows}
    by_path = {row.path: row.pk for row in rows}
    for council in below:
        for path, pk in by_path.items():
            if council.path.startswith(path):
                under[pk].append(council)
                break
    return [{"council": row, "below": under[row.pk]} for row in rows]


def activity_report_context(report: Any) -> dict[str, Any]:
    council = report.council
    period = Period(report.period_start, report.period_end)
    board = build_dashboard(
        root=council,
        include_below=report.include_below,
        period=period,
        user=report.requested_by,
    )
    term = council.terms.filter(start_date__lte=report.period_end).order_by("-start_date").first()
    # Printed at the text width (165 mm = 468 pt): one unit of the charts is one point, so their
    # 9–10 unit labels print at 9–10 pt. Numbered in the order they are printed.
    charts = charts_of(board, font="Portal Serif", width=468)
    number = 0
    for chart in charts:
        for part in ("trend", "compare"):
            if chart.get(part):
                number += 1
                chart[f"{part}_no"] = number
    return {
        "report": report,
        "council": council,
        "period": period,
        "dashboard": board,
        "charts": charts,
        "scope": _scope(report, board.board.rows),
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(term) if term else None,
        "symbol": "BC-HĐND",
        "parent_issuer": "",
    }


ACTIVITY_REPORT = register(
    DocumentKind(
        key="core.activity-report",
        label=_("Activity report"),
        model=ActivityReport,
        template="core/pdf/activity_report.html",
        build_context=activity_report_context,
        title=lambda report: (
            f"Báo cáo kết quả hoạt động {report.council.name} "
            f"{report.period_start:%d/%m/%Y}–{report.period_end:%d/%m/%Y}"
        ),
        can_read=report_can_read,
        can_request=report_can_read,
        queryset=ActivityReport.objects.select_related("council", "requested_by"),
    )
)
