"""The leaders' dashboard and the activity report: figures computed from the records.

A dashboard is a council (the root), whether the councils below it are included, and a period.
Each app contributes a `Section` (its `dashboard.py`, registered with `register_section`): a
few aggregation queries over its records, each grouped by council so that one query gives the
total, the row of every council below and nothing else. Query counts therefore depend on the
number of sections, never on the number of records or councils.

Figures are never entered by hand; each one links to the filtered list behind it (the list's
`within`, `date_from` and `date_to` filters reproduce exactly the rows that were counted).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councilportal.typing import User

if TYPE_CHECKING:
    from councilportal.models import Council


PERIOD_CHOICES = [
    ("year", gettext_lazy("This year")),
    ("quarter", gettext_lazy("Last quarter")),
    ("since_liaison", gettext_lazy("Since the last liaison meeting")),
    ("custom", gettext_lazy("Custom dates")),
]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = "custom"

    @property
    def label(self) -> str:
        return _("from %(start)s to %(end)s") % {
            "start": date_format(self.start, "d/m/Y"),
            "end": date_format(self.end, "d/m/Y"),
        }

    def months(self) -> list[dt.date]:
        """First days of the months the period touches (the trend chart's x axis)."""
        months: list[dt.date] = []
        day = self.start.replace(day=1)
        while day <= self.end and len(months) < 240:
            months.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return months


def last_quarter(today: dt.date) -> Period:
    quarter = (today.month - 1) // 3  # 0..3, the current quarter
    year = today.year if quarter else today.year - 1
    first_month = (quarter - 1) % 4 * 3 + 1
    start = dt.date(year, first_month, 1)
    end = (dt.date(year, first_month + 2, 28) + dt.timedelta(days=4)).replace(day=1)
    return Period(start, end - dt.timedelta(days=1), "quarter")


# The day of the last liaison meeting (họp liên tịch) held before a day by any of the councils
# named by their codes: declared by the app that keeps the meetings (sessions, from its
# AppConfig.ready), so that the core imports no app.
_last_liaison: list[Callable[[list[str], dt.date], dt.date | None]] = []


def last_liaison_provide(source: Callable[[list[str], dt.date], dt.date | None]) -> None:
    _last_liaison[:] = [source]


def since_last_liaison(council: Council, today: dt.date) -> Period:
    """From the day after the last liaison meeting held by this council or one above it (the
    province's Standing Committee holds them) to today; this year when there was none."""
    codes = [code for code in council.path.split("/") if code]
    last = _last_liaison[0](codes, today) if _last_liaison else None
    if last is None:
        return Period(dt.date(today.year, 1, 1), today, "year")
    return Period(last + dt.timedelta(days=1), today, "since_liaison")


def resolve_period(
    kind: str, council: Council | None, *, start: Any = None, end: Any = None
) -> Period:
    today = timezone.localdate()
    if kind == "quarter":
        return last_quarter(today)
    if kind == "since_liaison" and council is not None:
        return since_last_liaison(council, today)
    if kind == "custom" and start and end:
        return Period(start, end, "custom")
    return Period(dt.date(today.year, 1, 1), today, "year")


@dataclass
class Figure:
    """One counted figure: its words, its number and the list behind it."""

    key: str
    label: Any
    value: int = 0
    url: str = ""
    tone: str = ""  # "danger" for overdue figures


@dataclass
class Board:
    """What every section computes against: the councils, the period, the user."""

    root: Council | None  # None: every council the user reads (the whole country)
    include_below: bool
    period: Period
    user: User | None
    rows: list[Council] = field(default_factory=list)  # the councils below (table rows)

    def scope(self, queryset: QuerySet[Any], lookup: str = "council") -> QuerySet[Any]:
        """Restrict a queryset to the board's councils and the user's visibility."""
        # No user: the command line, run by the operator, sees everything.
        qs = queryset if self.user is None else queryset.visible_to(self.user)  # type: ignore[attr-defined]
        if self.root is None:
            return qs
        if self.include_below:
            return qs.filter(**{f"{lookup}__path__subtree": self.root.path})
        return qs.filter(**{lookup: self.root})

    def link(self, url_name: str, *, date: bool = True, **params: Any) -> str:
        """The list page behind a figure, filtered to exactly what was counted."""
        query: dict[str, Any] = {}
        if self.root is None:
            pass
        elif self.include_below:
            query["within"] = self.root.pk
        else:
            query["council"] = self.root.pk
        if date:
            query["date_from"] = self.period.start.strftime("%d/%m/%Y")
            query["date_to"] = self.period.end.strftime("%d/%m/%Y")
        query.update({k: v for k, v in params.items() if v is not None})
        return f"{reverse(url_name)}?{urlencode(query)}"

    def council_paths(self) -> dict[int, str]:
        """{council id: path} of every council the board may count (one query, cached)."""
        cached = getattr(self, "_paths_cache", None)
        if cached is None:
            from councilportal.models import Council

            qs = (
                Council.objects.all()
                if self.user is None
                else Council.objects.visible_to(self.user)
            )
            if self.root is not None:
                qs = qs.filter(path__subtree=self.root.path)
            cached = dict(qs.values_list("pk", "path"))
            self._paths_cache = cached
        return cached

    def row_of(self, council_path: str) -> int | None:
        """The table row (a council directly below the root) that a council's records roll up
        to; None for the root's own records."""
        if not council_path:
            return -1  # a council the board does not count: not shown
        rest = council_path[len(self.root.path) :] if self.root else council_path
        if not rest:
            return None
        code = rest.split("/", 1)[0]
        return self._row_by_code.get(code, -1)  # a council outside the rows: not shown

    @property
    def _row_by_code(self) -> dict[str, int]:
        cached = getattr(self, "_rows_cache", None)
        if cached is None:
            cached = {c.code: c.pk for c in self.rows}
            self._rows_cache = cached
        return cached


@dataclass
class SectionResult:
    key: str
    title: Any
    figures: list[Figure]
    per_row: dict[int | None, dict[str, int]]  # row council id (None: the root) -> key -> n
    trend: dict[str, list[int]] = field(default_factory=dict)  # key -> counts per month
    # Further figures shown as a list (e.g. by field), not as columns of the councils' table.
    breakdown: list[Figure] = field(default_factory=list)
    breakdown_title: Any = ""
    # A table of the section's own (e.g. one row per agency): a title, headers, rows of cells.
    table_title: Any = ""
    table_headers: list[Any] = field(default_factory=list)
    table_rows: list[list[Any]] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@dataclass(frozen=True)
class Section:
    """An app's part of the dashboard: `compute(board) -> SectionResult`."""

    key: str
    order: int
    compute: Callable[[Board], SectionResult]


_SECTIONS: dict[str, Section] = {}

# Every row counts: COUNT(1), not COUNT(id), so that a covering index without the id answers
# a count on its own (an index-only scan). Django allows no filter on COUNT(*).
ROW = Value(1)


def register_section(section: Section) -> Section:
    _SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def grouped_counts(
    board: Board,
    queryset: QuerySet[Any],
    counts: dict[str, Q],
    *,
    lookup: str = "council",
) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """One query: conditional counts grouped by council, rolled up into the totals and the
    rows of the councils below. `counts` maps a figure key to the condition of its rows."""
    aggregates = {key: Count(ROW, filter=condition) for key, condition in counts.items()}
    totals: dict[str, int] = dict.fromkeys(counts, 0)
    per_row: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counts, 0))
    # Grouped by the council's id (an integer, and no join when nothing else needs one); the
    # paths of the board's councils are read once per board.
    paths = board.council_paths()
    for row in queryset.values(lookup).annotate(**aggregates).order_by():
        target = board.row_of(paths.get(row[lookup], ""))
        for key in counts:
            totals[key] += row[key]
            per_row[target][key] += row[key]
    return totals, dict(per_row)


def monthly_counts(
    board: Board, queryset: QuerySet[Any], date_field: str, counts: dict[str, Q]
) -> dict[str, list[int]]:
    """One query: counts per month of the period, for the trend chart."""
    months = board.period.months()
    index = {month: i for i, month in enumerate(months)}
    series = {key: [0] * len(months) for key in counts}
    aggregates = {key: Count(ROW, filter=condition) for key, condition in counts.items()}
    rows = (
        queryset.annotate(month=TruncMonth(date_field))
        .values("month")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        if month in index:
            for key in counts:
                series[key][index[month]] += row[key]
    return series


def merge_rows(*parts: dict[int | None, dict[str, int]]) -> dict[int | None, dict[str, int]]:
    """Join the per-council counts of several grouped queries (missing counts are 0)."""
    names = {name for part in parts for values in part.values() for name in values}
    merged: dict[int | None, dict[str, int]] = {}
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, dict.fromkeys(names, 0)).update(values)
    return merged


def counts_by(queryset: QuerySet[Any], field_name: str) -> dict[str, int]:
    """One query: how many rows per value of a field (a breakdown by field, by kind…)."""
    return {
        row[field_name]: row["n"]
        for row in queryset.values(field_name).annotate(n=Count(ROW)).order_by()
    }


def in_period(board: Board, date_field: str) -> Q:
    return Q(**{f"{date_field}__gte": board.period.start, f"{date_field}__lte": board.period.end})


@dataclass
class Dashboard:
    board: Board
    results: list[SectionResult]

    @property
    def table(self) -> list[dict[str, Any]]:
        """One row per council below (the root's own records first), every figure."""
        tables = self.section_tables()
        if not tables:
            return []
        return [
            {
                "council": row["council"],
                "own": row["own"],
                "values": [value for table in tables for value in table["rows"][i]["values"]],
            }
            for i, row in enumerate(tables[0]["rows"])
        ]

    @property
    def table_headers(self) -> list[Figure]:
        return [f for result in self.results for f in result.figures]

    def section_tables(self) -> list[dict[str, Any]]:
        """Per section: its figures as columns and one row per council below (the report's
        annex), the root's own records first, then the total."""
        owners: list[tuple[int | None, Any]] = []
        if self.board.root is not None:
            owners.append((None, self.board.root))
        owners += [(c.pk, c) for c in self.board.rows]
        tables = []
        for result in self.results:
            rows = []
            for key, council in owners:
                counts = result.per_row.get(key, {})
                rows.append(
                    {
                        "council": council,
                        "own": key is None,
                        "values": [counts.get(f.key, 0) for f in result.figures],
                    }
                )
            tables.append(
                {
                    "title": result.title,
                    "headers": result.figures,
                    "rows": rows,
                    "totals": [f.value for f in result.figures],
                }
            )
        return tables


def build_dashboard(
    *,
    root: Council | None,
    include_below: bool,
    period: Period,
    user: User | None,
    only: Iterable[str] = (),
) -> Dashboard:
    from councilportal.models import Council

    rows: list[Council] = []
    if root is None:
        include_below = True
    if include_below:
        rows = list(
            (Council.objects.all() if user is None else Council.objects.visible_to(user))
            .filter(parent=root)
            # Councils that existed during the period (districts ended on 30/06/2025).
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
            .only("pk", "code", "name", "path", "level")
            .order_by("path")
        )
    board = Board(root=root, include_below=include_below, period=period, user=user, rows=rows)
    wanted = set(only)
    results = [
        section.compute(board) for section in sections() if not wanted or section.key in wanted
    ]
    return Dashboard(board=board, results=results)
