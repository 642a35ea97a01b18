"""The demo's supervision part: a programme with activities, questioning at a session, and
recommendations in every status; running it again duplicates nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from councilportal.councils.demo import seed_core
from sessions import demo as sessions_demo
from supervision import demo
from supervision.models import Activity, Programme, Question, Recommendation


def test_the_demo_has_every_status_and_runs_twice(db: Any) -> None:
    lines: list[str] = []
    councils = seed_core(lines.append)
    sessions_demo.seed(lines.append, councils)
    demo.seed(lines.append, councils)
    counts = [Programme.objects.count(), Activity.objects.count(), Recommendation.objects.count()]
    demo.seed(lines.append, councils)
    assert [
        Programme.objects.count(),
        Activity.objects.count(),
        Recommendation.objects.count(),
    ] == counts
    # On the day the demo was written (its dates are realistic, so "today" would drift).
    day = dt.date(2026, 12, 1)
    statuses = {r.status_on(day) for r in Recommendation.objects.select_related("follow_up")}
    assert {"open", "partly_done", "done", "overdue"} <= statuses
    assert Question.objects.filter(questioning__session__isnull=False).count() == 3
    programme = Programme.objects.get(owner="council", year=2023)
    assert programme.progress() == (3, 5)
