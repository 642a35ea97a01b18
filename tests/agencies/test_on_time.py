"""The on-time arithmetic at the due-date boundary: answered on the due day is on time, the day
after is late, and an accepted extension moves the boundary from the day it was accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from agencies.responsiveness import agency_rows, answered_on_time, due_in_force, facts
from agencies.services import agency_answer_accept, agency_answer_submit, extension_accept
from agencies.services import extension_request as ask_for_time

DUE = dt.date(2024, 3, 15)


@dataclass
class Ext:
    decided_on: dt.date
    old_due: dt.date
    new_due: dt.date


def test_answered_on_the_due_day_is_on_time_and_the_day_after_is_late() -> None:
    assert answered_on_time(DUE, DUE)
    assert answered_on_time(DUE - dt.timedelta(days=1), DUE)
    assert not answered_on_time(DUE + dt.timedelta(days=1), DUE)


def test_without_extension_the_due_date_in_force_is_the_due_date() -> None:
    assert due_in_force(DUE, [], DUE + dt.timedelta(days=30)) == DUE


def test_an_accepted_extension_moves_the_boundary_from_the_day_it_was_accepted() -> None:
    extension = Ext(decided_on=dt.date(2024, 3, 10), old_due=DUE, new_due=dt.date(2024, 4, 15))
    current = extension.new_due
    # Before the decision the old date was in force; from the decision day the new one.
    assert due_in_force(current, [extension], dt.date(2024, 3, 9)) == DUE
    assert due_in_force(current, [extension], dt.date(2024, 3, 10)) == dt.date(2024, 4, 15)
    # Answered the day after the old due date, once extended: on time; on the new due day: on
    # time; the day after it: late.
    for answered, on_time in (
        (dt.date(2024, 3, 16), True),
        (dt.date(2024, 4, 15), True),
        (dt.date(2024, 4, 16), False),
    ):
        assert answered_on_time(answered, due_in_force(current, [extension], answered)) is on_time


def test_two_extensions_apply_in_the_order_they_were_accepted() -> None:
    first = Ext(dt.date(2024, 3, 10), DUE, dt.date(2024, 4, 1))
    second = Ext(dt.date(2024, 3, 30), dt.date(2024, 4, 1), dt.date(2024, 5, 2))
    current = second.new_due
    assert due_in_force(current, [second, first], dt.date(2024, 3, 1)) == DUE
    assert due_in_force(current, [second, first], dt.date(2024, 3, 20)) == dt.date(2024, 4, 1)
    assert due_in_force(current, [second, first], dt.date(2024, 4, 20)) == dt.date(2024, 5, 2)


@pytest.mark.parametrize(
    "answered,expected",
    [
        (DUE, "on_time"),
        (DUE + dt.timedelta(days=1), "late"),
        (DUE - dt.timedelta(days=3), "on_time"),
    ],
)
def test_the_recorded_answer_is_counted_on_time_or_late(
    office: Any, answered: dt.date, expected: str
) -> None:
    item = office.item(sent=dt.date(2024, 3, 1), due=DUE)
    answer = agency_answer_submit(
        follow_up=item, by=office.officer, text="Đã xử lý", proposed_status="done", on=answered
    )
    agency_answer_accept(answer=answer, by=office.clerk)
    (row,) = agency_rows([item], on=dt.date(2024, 6, 1))
    assert (row.on_time, row.late) == ((1, 0) if expected == "on_time" else (0, 1))
    assert row.median_days == (answered - item.sent_on).days


def test_an_accepted_extension_makes_a_later_answer_on_time_in_the_records(office: Any) -> None:
    item = office.item(sent=dt.date(2024, 3, 1), due=DUE)
    request = ask_for_time(
        follow_up=item,
        by=office.officer,
        reason="Cần xác minh thực địa",
        proposed_date=dt.date(2024, 4, 15),
        on=dt.date(2024, 3, 12),
    )
    extension_accept(request=request, by=office.clerk, on=dt.date(2024, 3, 13))
    item.refresh_from_db()
    assert item.due_date == dt.date(2024, 4, 15)
    late_before = DUE + dt.timedelta(days=1)
    answer = agency_answer_submit(
        follow_up=item, by=office.officer, text="Đã xong", proposed_status="done", on=late_before
    )
    agency_answer_accept(answer=answer, by=office.clerk)
    (fact,) = facts([item], on=dt.date(2024, 6, 1))
    assert fact.on_time is True and fact.due == dt.date(2024, 4, 15)


def test_an_unanswered_item_past_its_due_date_is_overdue(office: Any) -> None:
    item = office.item(sent=dt.date(2024, 3, 1), due=DUE)
    (row,) = agency_rows([item], on=DUE)
    assert row.overdue_unanswered == 0  # on the due day, not yet overdue
    (row,) = agency_rows([item], on=DUE + dt.timedelta(days=1))
    assert row.overdue_unanswered == 1 and row.median_days is None
