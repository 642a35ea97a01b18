"""The daily reminder job (Celery beat).

The task keeps its old name "councilportal.tasks.daily_reminders" (CELERY_BEAT_SCHEDULE and
jobs already queued use it)."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

log = logging.getLogger("councilportal.tasks")


@shared_task(
    name="councilportal.tasks.daily_reminders", acks_late=True, soft_time_limit=600, time_limit=900
)
def daily_reminders(on: str | None = None) -> dict[str, int]:
    """Every morning: notify what is due soon or overdue (follow-ups and each app's sources).
    Running it twice on one day notifies nobody twice (keys per item and threshold)."""
    from django.utils import timezone

    from councilportal.follow_ups.reminders import run_reminders

    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    counts = run_reminders(day)
    log.info("daily reminders for %s: %s", day, counts)
    return counts
