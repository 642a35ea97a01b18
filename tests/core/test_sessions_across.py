"""The one "carried across sessions" computation (`follow_ups.services.sessions_across` and its
SQL form `carried_across`): the sessions opening between the day a follow-up was sent and the
day it was closed, both included, or up to the day asked while it is open."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from councilportal.follow_ups.services import carried_across, sessions_across
from councilportal.models import FollowUp, FollowUpAnswer

from .. import factories as f

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def council_sessions() -> dict[str, Any]:
    council = f.CouncilFactory()
    term = f.TermFactory(council=council)
    made = {
        name: f.SessionFactory(
            council=council, term=term, ordinal=n, kind=kind, planned_start=day, planned_end=day
        )
        for n, (name, kind, day) in enumerate(
            [
                ("mid", "regular_mid", D(2023, 7, 10)),
                ("thematic", "thematic", D(2023, 9, 15)),
                ("end", "regular_end", D(2023, 12, 7)),
                ("next_mid", "regular_mid", D(2024, 7, 10)),
            ],
            start=1,
        )
    }
    # Another council's session on the same day is not counted.
    f.SessionFactory(planned_start=D(2023, 12, 7), planned_end=D(2023, 12, 7))
    return {"council": council, **made}


def _follow_up(council: Any, sent_on: dt.date, closed_on: dt.date | None = None) -> FollowUp:
    follow_up = f.FollowUpFactory(
        source=council,
        council=council,
        sent_on=sent_on,
        closed_on=closed_on,
        status="done" if closed_on else "open",
    )
    return FollowUp.objects.get(pk=follow_up.pk)


def _ordinals(record: Any) -> list[int]:
    return [s.ordinal for s in record.sessions_across]


def test_a_follow_up_closed_on_the_day_of_a_session_was_carried_across_it(
    council_sessions: dict[str, Any],
) -> None:
    council = council_sessions["council"]
    on_the_day = _follow_up(council, D(2023, 7, 20), closed_on=D(2023, 12, 7))
    the_day_before = _follow_up(council, D(2023, 7, 20), closed_on=D(2023, 12, 6))
    sessions_across([on_the_day, the_day_before], on=D(2025, 1, 1))
    assert _ordinals(on_the_day) == [2, 3]
    assert _ordinals(the_day_before) == [2]


def test_a_follow_up_sent_on_the_day_of_a_session_counts_it(
    council_sessions: dict[str, Any],
) -> None:
    follow_up = _follow_up(council_sessions["council"], D(2023, 7, 10), closed_on=D(2023, 8, 1))
    sessions_across([follow_up], on=D(2025, 1, 1))
    assert _ordinals(follow_up) == [1]


def test_a_follow_up_still_open_is_carried_up_to_the_day_asked(
    council_sessions: dict[str, Any],
) -> None:
    council = council_sessions["council"]
    still_open = _follow_up(council, D(2023, 7, 20))
    sessions_across([still_open], on=D(2024, 7, 9))
    assert _ordinals(still_open) == [2, 3]
    sessions_across([still_open], on=D(2024, 7, 10))
    assert _ordinals(still_open) == [2, 3, 4]
    sessions_across([still_open], on=D(2024, 7, 10), regular_only=True)
    assert _ordinals(still_open) == [3, 4]


def test_a_record_without_a_follow_up_was_carried_across_none(
    council_sessions: dict[str, Any],
) -> None:
    class Record:
        follow_up = None

    record = Record()
    sessions_across([record], on=D(2025, 1, 1))
    assert record.sessions_across == []  # type: ignore[attr-defined]


def test_the_sql_form_agrees_open_and_carried_only(council_sessions: dict[str, Any]) -> None:
    council = council_sessions["council"]
    still_open = _follow_up(council, D(2023, 7, 20))
    closed = _follow_up(council, D(2023, 7, 20), closed_on=D(2023, 12, 7))
    not_yet = _follow_up(council, D(2024, 8, 1))

    # The condition is written from a record owning the follow-up: here, an answer of each
    # follow-up stands in for such a record.
    for row in (still_open, closed, not_yet):
        row.answers.create(received_on=row.sent_on, content="x")

    def carried(on: dt.date) -> set[int]:
        query = carried_across("follow_up", on=on)
        return set(FollowUpAnswer.objects.filter(query).values_list("follow_up_id", flat=True))

    assert carried(D(2025, 1, 1)) == {still_open.pk}
    assert carried(D(2023, 7, 19)) == set()
