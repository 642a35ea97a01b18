"""The deadline engine: due dates counted from effective-dated rules (ARCHITECTURE.md §3).

Counting follows the Civil Code 2015, arts 147-148 (DOMAIN.md §2, §9):
- a period starts the day *after* the event: the day of receipt is not counted;
- a period in calendar days ("ngày") counts every day, and only its last day is moved to the
  next working day when it falls on a weekend or a public holiday;
- a period in working days ("ngày làm việc") counts working days only.
Working days skip Saturdays, Sundays and Vietnamese public holidays (the `holidays` package,
country VN: Tết and Hùng Kings' day by the lunar calendar, compensatory days off and swapped
working Saturdays), then the administrator's `CalendarOverride` rows, which win.

A lead time counted *before* an event (a milestone "45 days before the opening") is the mirror
image: counted backwards, and a last day that is not a working day moves to the working day
before it, so the milestone is never later than the rule allows.

`due_date()` returns the date with how it was computed; every page that shows a due date shows
the explanation too. When an administrator adds or changes a day off, `calendar_changed()` asks
every registered recomputer (the core's follow-ups, and each app's own due dates) to recompute
open items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from councilportal.models import Council, Rule

ONE_DAY = dt.timedelta(days=1)
# No legal period in this portal runs longer than a few years; a guard against runaway loops.
MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """(holidays with their Vietnamese names, weekend days that are working days) of a year."""
    import holidays

    calendar = holidays.country_holidays("VN", years=year, language="vi")
    days = {day: str(name) for day, name in calendar.items() if day.year == year}
    workdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return days, workdays


@dataclass
class WorkingCalendar:
    """Which days are working days, for a span of years: weekends, public holidays and the
    administrator's overrides, loaded once (one query) and then answered from memory."""

    days_off: dict[dt.date, str] = field(default_factory=dict)
    working: set[dt.date] = field(default_factory=set)
    _years: set[int] = field(default_factory=set)
    _overrides_loaded: bool = False

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        holidays_of_year, workdays = _public_holidays(year)
        for day, name in holidays_of_year.items():
            self.days_off.setdefault(day, name)
        self.working |= set(workdays)
        self._years.add(year)
        if not self._overrides_loaded:
            self._load_overrides()

    def _load_overrides(self) -> None:
        from councilportal.models import CalendarOverride

        self._overrides_loaded = True
        for row in CalendarOverride.objects.all():
            if row.is_day_off:
                self.working.discard(row.date)
                self.days_off[row.date] = row.name
            else:
                self.days_off.pop(row.date, None)
                self.working.add(row.date)

    def reason_off(self, day: dt.date) -> str | None:
        """Why a day is not a working day (a holiday's name, "Thứ Bảy"…), or None."""
        self._load_year(day.year)
        if day in self.working:
            return None
        if day in self.days_off:
            return self.days_off[day]
        if day.weekday() == 5:
            return _("Saturday")
        if day.weekday() == 6:
            return _("Sunday")
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.reason_off(day) is None


@dataclass(frozen=True)
class Deadline:
    """A computed due date and how it was computed (rule, start, days counted, days skipped)."""

    date: dt.date
    start: dt.date
    days: int
    unit: str
    before: bool = False
    rule_key: str = ""
    legal_basis: str = ""
    skipped: tuple[tuple[dt.date, str], ...] = ()
    rolled_from: dt.date | None = None

    @property
    def explanation(self) -> str:
        """ "10 ngày làm việc kể từ 16/01/2023, không tính 20/01–26/01 (Tết Nguyên Đán)…"."""
        start = date_format(self.start, "d/m/Y")
        if self.unit == "working_days":
            count = ngettext("%(n)d working day", "%(n)d working days", self.days) % {
                "n": self.days
            }
        else:
            count = ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        if self.before:
            text = _("%(count)s before %(start)s") % {"count": count, "start": start}
        else:
            text = _("%(count)s from %(start)s") % {"count": count, "start": start}
        parts = [text]
        if self.skipped:
            parts.append(_("not counting %(days)s") % {"days": describe_days(self.skipped)})
        if self.rolled_from is not None:
            parts.append(
                _("%(day)s is not a working day, so the period ends on %(end)s")
                % {
                    "day": date_format(self.rolled_from, "d/m/Y"),
                    "end": date_format(self.date, "d/m/Y"),
                }
            )
        if self.legal_basis:
            parts.append(_("rule: %(basis)s") % {"basis": self.legal_basis})
        return "; ".join(parts)

    def __str__(self) -> str:
        return date_format(self.date, "d/m/Y")


def describe_days(skipped: Iterable[tuple[dt.date, str]]) -> str:
    """Group consecutive skipped days with the same reason: "20/01–26/01 (Tết), 28/01 (Thứ Bảy)"."""
    runs: list[list[Any]] = []
    for day, reason in sorted(skipped):
        if runs and runs[-1][2] == reason and runs[-1][1] + ONE_DAY == day:
            runs[-1][1] = day
        else:
            runs.append([day, day, reason])
    # Weekends are many and obvious: name them once at the end instead of one by one.
    weekend_names = {_("Saturday"), _("Sunday")}
    named = []
    weekend_count = 0
    for first, last, reason in runs:
        if reason in weekend_names:
            weekend_count += (last - first).days + 1
            continue
        span = (
            date_format(first, "d/m")
            if first == last
            else f"{date_format(first, 'd/m')}–{date_format(last, 'd/m')}"
        )
        named.append(f"{span} ({reason})")
    if weekend_count:
        named.append(
            ngettext("%(n)d weekend day", "%(n)d weekend days", weekend_count)
            % {"n": weekend_count}
        )
    return ", ".join(named)


def count_days(
    start: dt.date,
    days: int,
    unit: str,
    *,
    before: bool = False,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Count `days` calendar or working days from (after, or before) `start`."""
    if days < 0:
        raise ValueError("A period cannot be negative.")
    calendar = calendar or WorkingCalendar()
    step = -ONE_DAY if before else ONE_DAY
    skipped: list[tuple[dt.date, str]] = []
    rolled_from = None
    day = start
    if unit == "working_days":
        counted = 0
        while counted < days:
            day += step
            reason = calendar.reason_off(day)
            if reason is None:
                counted += 1
            else:
                skipped.append((day, reason))
            if abs((day - start).days) > MAX_SPAN_DAYS:
                raise ValueError("The period is too long to count.")
    elif unit == "calendar_days":
        day = start + step * days
        if days and calendar.reason_off(day) is not None:
            rolled_from = day
            while (reason := calendar.reason_off(day)) is not None:
                skipped.append((day, reason))
                day += step
    else:
        raise ValueError(f"A rule in {unit!r} is not a period of days.")
    return Deadline(
        date=day,
        start=start,
        days=days,
        unit=unit,
        before=before,
        skipped=tuple(skipped),
        rolled_from=rolled_from,
    )


class RuleBook:
    """The rules of some keys in memory: loaded once (one query), then `in_force()` answers
    which row is in force for a key on a day for a council: the council's own row before the
    general one, the latest valid_from first. This is the one place that precedence is written:
    `rule()` and `due_date()` ask a book of one key, a bulk import one book for all its rows.
    Due dates are kept too (the same key, start and council give the same date)."""

    def __init__(self, keys: Iterable[str], *, calendar: WorkingCalendar | None = None) -> None:
        from councilportal.models import Rule

        self.rows: dict[str, list[Rule]] = {}
        for row in Rule.objects.filter(key__in=set(keys)).order_by("-valid_from", "pk"):
            self.rows.setdefault(row.key, []).append(row)
        self.calendar = calendar or WorkingCalendar()
        self._due: dict[tuple[str, dt.date, int | None, bool], Deadline] = {}
        self._explained: dict[tuple[str, dt.date, int | None, bool], str] = {}

    def in_force(self, key: str, on: dt.date, council: Council | None = None) -> Rule | None:
        """The row in force for `key` on a day (None: none is)."""
        council_id = council.pk if council is not None else None
        general = None
        for row in self.rows.get(key, ()):  # the latest valid_from first
            if row.valid_from > on or (row.valid_to is not None and row.valid_to < on):
                continue
            if council_id is not None and row.council_id == council_id:
                return row
            if row.council_id is None and general is None:
                general = row
        return general

    def rule(self, key: str, *, on: dt.date, council: Council | None = None) -> Rule:
        """The row in force for `key` on a day, or `RuleMissing`."""
        from councilportal.models import RuleMissing

        found = self.in_force(key, on, council)
        if found is None:
            raise RuleMissing(f"No rule {key!r} is in force on {on:%d/%m/%Y}.")
        return found

    def due_date(
        self, key: str, start: dt.date, *, council: Council | None = None, before: bool = False
    ) -> Deadline:
        """`due_date()` answered from this book (raises `RuleMissing`)."""
        memo = (key, start, council.pk if council is not None else None, before)
        if memo not in self._due:
            row = self.rule(key, on=start, council=council)
            counted = count_days(start, row.days, row.unit, before=before, calendar=self.calendar)
            self._due[memo] = Deadline(
                date=counted.date,
                start=start,
                days=counted.days,
                unit=counted.unit,
                before=before,
                rule_key=key,
                legal_basis=row.legal_basis,
                skipped=counted.skipped,
                rolled_from=counted.rolled_from,
            )
        return self._due[memo]

    def stored_explanation(
        self, key: str, start: dt.date, *, council: Council | None = None
    ) -> tuple[Deadline, str]:
        """The due date and its explanation as records store it (the site's language, at most
        300 characters; pages in another language build it again), kept like the date."""
        from django.conf import settings
        from django.utils import translation

        memo = (key, start, council.pk if council is not None else None, False)
        deadline = self.due_date(key, start, council=council)
        if memo not in self._explained:
            with translation.override(settings.LANGUAGE_CODE):
                self._explained[memo] = deadline.explanation[:300]
        return deadline, self._explained[memo]


def due_date(
    rule_key: str,
    start: dt.date,
    *,
    council: Council | None = None,
    before: bool = False,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """The due date of `rule_key` counted from `start`, by the rule in force on `start`.

    Raises `councilportal.models.RuleMissing` when no rule is in force that day."""
    return RuleBook([rule_key], calendar=calendar).due_date(
        rule_key, start, council=council, before=before
    )


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


# Recomputers: called with the changed day when the calendar changes. Each recomputes the open
# items whose period may include that day and returns how many due dates moved.
Recomputer = Callable[[dt.date], int]
_recomputers: dict[str, Recomputer] = {}


def register_recomputer(name: str, function: Recomputer) -> None:
    """Let an app's open items follow calendar changes (call from AppConfig.ready())."""
    _recomputers[name] = function


def calendar_changed(day: dt.date) -> dict[str, int]:
    """Recompute every open due date whose period may include `day`; returns counts by name."""
    _public_holidays.cache_clear()
    return {name: function(day) for name, function in sorted(_recomputers.items())}
