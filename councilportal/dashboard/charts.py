"""Charts drawn on the server as SVG: the same markup on the dashboard and in the printed
report (WeasyPrint runs no JavaScript). Text inherits the page's font; colours are few and
every bar carries its number, so nothing is told by colour alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from councilportal.dashboard.board import Dashboard

INK = "#0b3d6b"
GRID = "#c8c8c8"


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def _font(font: str) -> str:
    # WeasyPrint draws SVG text with the SVG's own font (it does not inherit the page's).
    return f' font-family="{escape(font)}"' if font else ""


def _nice_max(value: int, ticks: int = 4) -> int:
    """The top of the axis: a whole multiple of a round step (1, 2, 5 × 10ⁿ), so that every
    grid line falls on a whole number."""
    step = 1
    while step * ticks < value:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * factor)
            if step * ticks >= value:
                break
    return step * ticks


def column_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    font: str = "",
) -> SafeString:
    """Vertical columns, one per label (months of the trend)."""
    count = max(len(values), 1)
    top = _nice_max(max(values, default=0))
    left, right, upper, lower = 36, 8, 18, 34
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / count
    bar = max(min(slot * 0.7, 40), 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart"{_font(font)}>',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        y = upper + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end">'
            f"{_n(top * i // 4)}</text>"
        )
    every = max(1, round(count / 12))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top if top else 0
        x = left + slot * i + (slot - bar) / 2
        y = upper + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{INK}">'
            f"<title>{escape(label)}: {_n(value)}</title></rect>"
        )
        if value:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="9" '
                f'text-anchor="middle">{_n(value)}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - lower + 14}" font-size="9" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label is escaped above


def bar_chart(
    labels: Sequence[str], values: Sequence[int], *, title: str, width: int = 640, font: str = ""
) -> SafeString:
    """Horizontal bars, one per label (the councils below, compared)."""
    row = 18
    left = min(240, 8 + 6 * max((len(label) for label in labels), default=10))
    right = 48
    height = max(row * len(labels), row) + 8
    top = max(values, default=0) or 1
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart"{_font(font)}>',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + row * i
        w = plot_w * value / top
        parts.append(
            f'<text x="{left - 6}" y="{y + 12}" font-size="10" text-anchor="end">'
            f"{escape(label[:40])}</text>"
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{INK}">'
            f"<title>{escape(label)}: {_n(value)}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + 12}" font-size="10">{_n(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label is escaped above


def charts_of(dashboard: Dashboard, *, font: str = "", width: int = 640) -> list[dict[str, Any]]:
    """For each section: the monthly trend of its first figure and, with councils below, the
    comparison of that figure between them. `width` is in the units of the labels' font size:
    the printed report passes the text width in points, so a 9-unit label prints at 9 pt."""
    board = dashboard.board
    months = board.period.months()
    labels = [date_format(m, "m/Y") for m in months]
    charts = []
    for result in dashboard.results:
        if not result.figures:
            continue
        headline = result.figures[0]
        chart: dict[str, Any] = {"title": result.title, "figure": headline}
        series = result.trend.get(headline.key)
        if series is not None and len(months) > 1:
            chart["trend_title"] = _("%(figure)s by month") % {"figure": headline.label}
            chart["trend"] = column_chart(
                labels, series, title=chart["trend_title"], font=font, width=width
            )
        if board.rows:
            names = [c.name for c in board.rows]
            values = [result.per_row.get(c.pk, {}).get(headline.key, 0) for c in board.rows]
            if any(values):
                chart["compare_title"] = _("%(figure)s by council below") % {
                    "figure": headline.label
                }
                chart["compare"] = bar_chart(
                    names, values, title=chart["compare_title"], font=font, width=width
                )
        charts.append(chart)
    return charts
