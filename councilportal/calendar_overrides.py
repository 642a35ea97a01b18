"""Days off and swapped working days: saving one recomputes the open due dates it affects."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from councilportal.deadlines import calendar_changed
from councilportal.models import CalendarOverride


def calendar_override_save(*, override: CalendarOverride, old_date: Any = None) -> dict[str, int]:
    """Save a day off or a swapped working day, then recompute the open due dates it affects
    (the core's follow-ups and every app that registered a recomputer)."""
    with transaction.atomic():
        override.save()
        moved = calendar_changed(override.date)
        if old_date and old_date != override.date:
            for name, count in calendar_changed(old_date).items():
                moved[name] = moved.get(name, 0) + count
    return moved


def calendar_override_delete(*, override: CalendarOverride) -> dict[str, int]:
    with transaction.atomic():
        day = override.date
        override.delete()
        return calendar_changed(day)
