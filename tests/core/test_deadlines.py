"""The deadline engine: calendar and working days, Vietnamese holidays, overrides, recomputing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from councilportal.calendar_overrides import calendar_override_delete, calendar_override_save
from councilportal.deadlines import WorkingCalendar, count_days, due_date
from councilportal.follow_ups.reminders import remind_follow_ups
from councilportal.follow_ups.services import follow_up_set_due
from councilportal.follow_ups.tasks import daily_reminders
from councilportal.models import CalendarOverride, FollowUp, Notification, Rule, RuleMissing
from councilportal.notifications.services import notify

D = dt.date
# The working calendar reads the administrator's overrides from the database.
pytestmark = pytest.mark.django_db


def test_working_days_skip_the_whole_of_tet_2023() -> None:
    # Tết Quý Mão: 20/01 (29 Tết) to 26/01/2023; the period starts the day after receipt.
    deadline = count_days(D(2023, 1, 16), 10, "working_days")
    assert deadline.date == D(2023, 2, 6)
    skipped = {day for day, _reason in deadline.skipped}
    assert {D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 26)} <= skipped
    assert "Tết" in deadline.explanation
    assert "16/01/2023" in deadline.explanation


def test_a_compensatory_day_off_is_skipped_and_a_swapped_saturday_is_worked() -> None:
    # 2024: Monday 29/04 was a day off in lieu of Saturday 04/05, which was worked.
    deadline = count_days(D(2024, 4, 25), 3, "working_days")
    assert deadline.date == D(2024, 5, 3)
    assert D(2024, 4, 29) in {day for day, _ in deadline.skipped}
    assert count_days(D(2024, 5, 3), 1, "working_days").date == D(2024, 5, 4)


def test_calendar_days_count_every_day_but_the_last_rolls_past_a_holiday() -> None:
    # 10 days from 13/01/2023 ends on Monday 23/01, inside Tết: it moves to Friday 27/01.
    deadline = count_days(D(2023, 1, 13), 10, "calendar_days")
    assert deadline.date == D(2023, 1, 27)
    assert deadline.rolled_from == D(2023, 1, 23)
    # An ordinary period ending on a working day does not move.
    assert count_days(D(2023, 3, 1), 10, "calendar_days").date == D(2023, 3, 13)  # Sat 11 -> Mon 13
    assert count_days(D(2023, 3, 6), 10, "calendar_days").date == D(2023, 3, 16)


def test_a_lead_time_before_an_event_moves_earlier_never_later() -> None:
    # 40 days before Thursday 07/12/2023 is Saturday 28/10: the milestone is Friday 27/10.
    deadline = count_days(D(2023, 12, 7), 40, "calendar_days", before=True)
    assert deadline.date == D(2023, 10, 27)
    assert count_days(D(2023, 12, 7), 45, "calendar_days", before=True).date == D(2023, 10, 23)
    assert count_days(D(2023, 12, 7), 2, "working_days", before=True).date == D(2023, 12, 5)


def test_zero_days_is_the_start_and_negative_is_refused() -> None:
    assert count_days(D(2023, 1, 21), 0, "calendar_days").date == D(2023, 1, 21)
    with pytest.raises(ValueError):
        count_days(D(2023, 1, 21), -1, "working_days")


def test_due_date_uses_the_rule_in_force_on_the_start_day() -> None:
    Rule.objects.create(
        key="test.period",
        description="Old law",
        value="5",
        unit="calendar_days",
        valid_from=D(2016, 1, 1),
        valid_to=D(2025, 12, 31),
        legal_basis="Luật cũ",
    )
    Rule.objects.create(
        key="test.period",
        description="New law",
        value="10",
        unit="working_days",
        valid_from=D(2026, 1, 1),
        legal_basis="Luật mới",
    )
    old = due_date("test.period", D(2025, 3, 3))
    new = due_date("test.period", D(2026, 3, 2))
    assert old.date == D(2025, 3, 8 + 2)  # Sat 08/03 rolls to Mon 10/03
    assert "Luật cũ" in old.explanation
    assert new.date == D(2026, 3, 16)
    assert "Luật mới" in new.explanation
    with pytest.raises(RuleMissing):
        due_date("test.period", D(2015, 1, 1))


def test_an_override_day_off_is_skipped_and_a_worked_day_is_counted() -> None:
    CalendarOverride.objects.create(date=D(2023, 3, 2), kind="day_off", name="Nghỉ đột xuất")
    CalendarOverride.objects.create(date=D(2023, 3, 4), kind="working_day", name="Làm bù")
    deadline = count_days(D(2023, 3, 1), 2, "working_days", calendar=WorkingCalendar())
    assert deadline.date == D(2023, 3, 4)
    assert "Nghỉ đột xuất" in deadline.explanation


def _follow_up_with_rule(world: Any, start: dt.date, status: str = "open") -> FollowUp:
    Rule.objects.get_or_create(
        key="test.answer",
        valid_from=D(2016, 1, 1),
        council=None,
        defaults={
            "description": "Trả lời",
            "value": "10",
            "unit": "working_days",
            "legal_basis": "Quy định thử",
        },
    )
    session = world.own_objects[FollowUp].source
    follow_up = FollowUp(
        council=world.province,
        source_type=ContentType.objects.get_for_model(session),
        source_id=session.pk,
        content="Trả lời kiến nghị",
        to_council=world.province,
        sent_on=start,
        due_date=start,
        status=status,
    )
    follow_up_set_due(follow_up=follow_up, rule_key="test.answer", start=start)
    follow_up.save()
    return follow_up


def test_adding_a_holiday_recomputes_open_due_dates(world: Any) -> None:
    follow_up = _follow_up_with_rule(world, D(2030, 3, 1))  # Friday
    closed = _follow_up_with_rule(world, D(2030, 3, 1), status="done")
    assert follow_up.due_date == D(2030, 3, 15)
    override = CalendarOverride(date=D(2030, 3, 6), kind="day_off", name="Nghỉ bù thử nghiệm")
    moved = calendar_override_save(override=override)
    assert moved["follow-ups"] == 1
    follow_up.refresh_from_db()
    assert follow_up.due_date == D(2030, 3, 18)
    assert "Nghỉ bù thử nghiệm" in follow_up.due_explanation
    closed.refresh_from_db()
    assert closed.due_date == D(2030, 3, 15)  # closed items keep their date
    calendar_override_delete(override=override)
    follow_up.refresh_from_db()
    assert follow_up.due_date == D(2030, 3, 15)


def test_notify_once_per_key_in_the_list_and_by_mail(world: Any) -> None:
    user = world.users["province_clerk"]
    user.email = "clerk@example.org"
    user.save()
    first = notify(user=user, key="x:1:overdue", title="Quá hạn", link="/", council=world.province)
    again = notify(user=user, key="x:1:overdue", title="Quá hạn", link="/", council=world.province)
    assert first is not None and again is None
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    assert "Quá hạn" in mail.outbox[0].subject


def test_the_daily_job_reminds_the_clerks_once(world: Any) -> None:
    session = world.own_objects[FollowUp].source
    overdue = FollowUp.objects.create(
        council=world.province,
        source_type=ContentType.objects.get_for_model(session),
        source_id=session.pk,
        content="Báo cáo kết quả giải quyết",
        to_council=world.province,
        sent_on=D(2023, 1, 2),
        due_date=D(2023, 2, 1),
    )
    clerk = world.users["province_clerk"]
    assert remind_follow_ups(D(2023, 2, 10)) >= 1
    assert remind_follow_ups(D(2023, 2, 10)) == 0
    assert daily_reminders("2023-02-10")["follow-ups"] == 0
    rows = Notification.objects.filter(user=clerk, key=f"follow-up:{overdue.pk}:overdue")
    assert rows.count() == 1
    # The leader and the outsider are not the responsible clerks.
    assert not Notification.objects.filter(user=world.users["leader"]).exists()
    assert not Notification.objects.filter(user=world.users["outsider"]).exists()


def test_due_soon_then_overdue_are_two_thresholds(world: Any) -> None:
    session = world.own_objects[FollowUp].source
    item = FollowUp.objects.create(
        council=world.province,
        source_type=ContentType.objects.get_for_model(session),
        source_id=session.pk,
        content="Nhiệm vụ sắp đến hạn",
        to_council=world.province,
        sent_on=D(2023, 3, 1),
        due_date=D(2023, 3, 8),
    )
    remind_follow_ups(D(2023, 3, 6))
    remind_follow_ups(D(2023, 3, 9))
    keys = set(
        Notification.objects.filter(user=world.users["province_clerk"]).values_list(
            "key", flat=True
        )
    )
    assert {f"follow-up:{item.pk}:due-soon", f"follow-up:{item.pk}:overdue"} <= keys


def test_a_user_reads_and_marks_only_their_own_notifications(world: Any, login: Any) -> None:
    clerk, leader = world.users["province_clerk"], world.users["leader"]
    mine = notify(user=clerk, key="a", title="Việc của tôi", link="/", email="")
    theirs = notify(user=leader, key="b", title="Việc của lãnh đạo", link="/", email="")
    client = login(clerk)
    page = client.get(reverse("core:notification-list")).content.decode()
    assert "Việc của tôi" in page and "Việc của lãnh đạo" not in page
    assert client.get(reverse("core:notification-read")).status_code == 405
    response = client.post(reverse("core:notification-read"), {"id": theirs.pk})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("core:notification-read"), {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
