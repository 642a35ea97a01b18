"""Triage within the legal periods: due dates in working days across Tết and compensatory days,
recomputed when a holiday is added; forwarding with a numbered slip and a core follow-up;
guidance, filing away, monitoring; answers, reminders, status on any date; the daily job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from councilportal.calendar_overrides import calendar_override_save
from councilportal.follow_ups.tasks import daily_reminders
from councilportal.models import CalendarOverride, FollowUp, Notification
from petitions.models import ForwardingSlip, Outcome, PetitionItem, Status
from petitions.services import (
    ItemData,
    PersonData,
    item_answer,
    item_archive,
    item_close,
    item_forward,
    item_guide,
    item_monitor,
    petition_receive,
    reminder_send,
)

from .. import factories as f
from .conftest import Desk, receive_denunciation


def _receive(council: Any, day: dt.date, kind: str = "complaint") -> Any:
    return petition_receive(
        council=council,
        channel="post",
        received_on=day,
        subject=f"Đơn {kind} ngày {day:%d/%m/%Y}",
        items=[ItemData(kind=kind, field="land", content="Nội dung đơn")],
        people=[PersonData(full_name="Phạm Văn Đơn")],
        by=None,
    )


def test_triage_counts_ten_working_days_across_tet(world: Any) -> None:
    petition = _receive(world.province, dt.date(2023, 1, 16))
    item = petition.items.get()
    # 17, 18, 19/01; Tết 20–26/01 skipped; 27, 30, 31/01, 01, 02, 03, 06/02.
    assert item.triage_due == dt.date(2023, 2, 6)
    assert "Tết" in item.triage_explanation
    assert item.triage_rule == "petition.triage"


def test_a_denunciation_is_forwarded_within_five_working_days_skipping_compensatory_days(
    world: Any,
) -> None:
    petition = receive_denunciation(world.province, dt.date(2023, 4, 27))
    item = petition.items.get()
    # 28/04; 29/04–03/05 Hùng Kings, 30/4, 1/5 and their compensatory days; 04, 05, 08, 09/05.
    assert item.triage_due == dt.date(2023, 5, 9)
    assert "nghỉ bù" in item.triage_explanation
    assert item.triage_rule == "petition.denunciation.forward"


def test_a_holiday_added_moves_open_due_dates(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    pending = _receive(desk.world.province, dt.date(2023, 3, 1)).items.get()
    assert pending.triage_due == dt.date(2023, 3, 15)
    forwarded = _receive(desk.world.province, dt.date(2023, 3, 1), kind="recommendation")
    forwarded_item = forwarded.items.get()
    item_forward(item=forwarded_item, agency=desk.agency, on=dt.date(2023, 3, 2), by=clerk)
    follow_up = FollowUp.objects.get(pk=forwarded_item.follow_up_id)
    # 10 calendar days from 02/03: 12/03 is a Sunday, so 13/03.
    assert follow_up.due_date == dt.date(2023, 3, 13)
    moved = calendar_override_save(
        override=CalendarOverride(date=dt.date(2023, 3, 8), kind="day_off", name="Nghỉ bù")
    )
    assert moved["petitions"] >= 1
    pending.refresh_from_db()
    assert pending.triage_due == dt.date(2023, 3, 16)
    assert "Nghỉ bù" in pending.triage_explanation
    calendar_override_save(
        override=CalendarOverride(date=dt.date(2023, 3, 13), kind="day_off", name="Nghỉ thêm")
    )
    follow_up.refresh_from_db()
    assert follow_up.due_date == dt.date(2023, 3, 14)


def test_forwarding_numbers_the_slip_per_council_and_year(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    first = item_forward(
        item=desk.denunciation.items.get(), agency=desk.agency, on=dt.date(2023, 1, 18), by=clerk
    )
    second = item_forward(
        item=desk.complaint.items.get(), agency=desk.agency, on=dt.date(2023, 2, 7), by=clerk
    )
    assert (first.number, second.number) == (1, 2)
    other_year = _receive(desk.world.province, dt.date(2024, 1, 3)).items.get()
    third = item_forward(item=other_year, agency=desk.agency, on=dt.date(2024, 1, 4), by=clerk)
    assert (third.year, third.number) == (2024, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ForwardingSlip.objects.create(
            item=_receive(desk.world.province, dt.date(2024, 1, 5)).items.get(),
            council=desk.world.province,
            year=2024,
            number=1,
            issued_on=dt.date(2024, 1, 5),
        )


def test_forwarding_creates_the_core_follow_up_with_the_legal_period(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.denunciation.items.get()
    item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 1), by=clerk)
    item.refresh_from_db()
    follow_up = item.follow_up
    assert item.outcome == Outcome.FORWARD and item.agency == desk.agency
    assert follow_up.to_agency == desk.agency and follow_up.source == desk.denunciation
    # Law on Denunciations art. 26(2): the result within 20 days; 21/02/2023 is a Tuesday.
    assert follow_up.due_rule == "petition.denunciation.result"
    assert follow_up.due_date == dt.date(2023, 2, 21)
    with pytest.raises(ValidationError):
        item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 2), by=clerk)


def test_bad_dates_and_foreign_agencies_are_refused(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.complaint.items.get()
    with pytest.raises(ValidationError, match="trước ngày nhận đơn"):
        item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 1), by=clerk)
    foreign = f.AgencyFactory(council=desk.world.foreign)
    with pytest.raises(ValidationError):
        item_forward(item=item, agency=foreign, on=dt.date(2023, 2, 7), by=clerk)
    with pytest.raises(ValidationError):
        item_forward(item=item, agency=desk.agency, on=dt.date(2100, 1, 1), by=clerk)


def test_a_reply_before_forwarding_is_refused(desk: Desk) -> None:
    item = desk.complaint.items.get()
    with pytest.raises(ValidationError, match="đã chuyển"):
        item_answer(item=item, received_on=dt.date(2023, 2, 10), content="Đã thụ lý", by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PetitionItem.objects.filter(pk=item.pk).update(answered_on=dt.date(2023, 2, 10))


def test_an_anonymous_denunciation_needs_a_reason_to_be_forwarded(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    anonymous = receive_denunciation(desk.world.province, dt.date(2023, 3, 1), anonymous=True)
    item = anonymous.items.get()
    with pytest.raises(ValidationError, match="nặc danh"):
        item_forward(item=item, agency=desk.agency, on=dt.date(2023, 3, 2), by=clerk)
    item_forward(
        item=item,
        agency=desk.agency,
        on=dt.date(2023, 3, 2),
        note="Nêu rõ người vi phạm, kèm chứng từ chi tiền.",
        by=clerk,
    )
    assert item.outcome == Outcome.FORWARD


def test_guide_archive_and_monitor(desk: Desk, world: Any) -> None:
    clerk = world.users["province_clerk"]
    guided = _receive(world.province, dt.date(2023, 3, 1)).items.get()
    with pytest.raises(ValidationError):
        item_guide(item=guided, on=dt.date(2023, 3, 2), note=" ", by=clerk)
    item_guide(item=guided, on=dt.date(2023, 3, 2), note="Gửi Tòa án nhân dân huyện.", by=clerk)
    assert guided.closed_on == dt.date(2023, 3, 2)
    archived = _receive(world.province, dt.date(2023, 3, 1)).items.get()
    with pytest.raises(ValidationError):
        item_archive(item=archived, on=dt.date(2023, 3, 2), reason="", by=clerk)
    item_archive(item=archived, on=dt.date(2023, 3, 2), reason="duplicate", by=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        PetitionItem.objects.filter(pk=archived.pk).update(archive_reason="")
    monitored = _receive(world.province, dt.date(2023, 3, 1)).items.get()
    item_monitor(item=monitored, on=dt.date(2023, 3, 2), by=clerk)
    assert monitored.status_on(dt.date(2023, 3, 3)) == Status.TRIAGED
    with pytest.raises(ValidationError):
        item_guide(item=monitored, on=dt.date(2023, 3, 3), note="x", by=clerk)


def test_status_on_any_date(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    petition = desk.complaint  # received 06/02/2023, triage due 20/02/2023
    item = petition.items.get()
    assert petition.status_on(dt.date(2023, 2, 10)) == Status.RECEIVED
    assert petition.status_on(dt.date(2023, 2, 21)) == Status.OVERDUE
    item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 9), by=clerk)
    item.refresh_from_db()
    petition = type(petition).objects.get(pk=petition.pk)
    assert petition.status_on(dt.date(2023, 2, 8)) == Status.RECEIVED
    assert petition.status_on(dt.date(2023, 2, 10)) == Status.FORWARDED
    # Answer due 19/02 (a Sunday) -> 20/02; late from the 21st.
    assert item.follow_up.due_date == dt.date(2023, 2, 20)
    assert petition.status_on(dt.date(2023, 2, 21)) == Status.OVERDUE
    item_answer(item=item, received_on=dt.date(2023, 2, 25), content="Đã thụ lý", by=clerk)
    petition = type(petition).objects.get(pk=petition.pk)
    assert petition.status_on(dt.date(2023, 2, 24)) == Status.OVERDUE
    assert petition.status_on(dt.date(2023, 2, 26)) == Status.ANSWERED
    item_close(item=item, on=dt.date(2023, 3, 1), by=clerk)
    petition = type(petition).objects.get(pk=petition.pk)
    assert petition.status_on(dt.date(2023, 3, 2)) == Status.CLOSED


def test_a_reminder_letter_only_once_the_answer_is_late(desk: Desk) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.complaint.items.get()
    with pytest.raises(ValidationError):
        reminder_send(item=item, on=dt.date(2023, 2, 21), by=clerk)
    item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 9), by=clerk)
    with pytest.raises(ValidationError, match="20/02/2023"):
        reminder_send(item=item, on=dt.date(2023, 2, 20), by=clerk)
    first = reminder_send(item=item, on=dt.date(2023, 2, 21), by=clerk)
    second = reminder_send(item=item, on=dt.date(2023, 3, 1), by=clerk)
    assert (first.number, second.number) == (1, 2)


def test_the_daily_job_run_twice_notifies_once(desk: Desk) -> None:
    f.RoleFactory(user=f.UserFactory(username="clerk2"), council=desk.world.province, role="clerk")
    first = daily_reminders("2023-02-01")
    assert first["petitions"] == 2  # the denunciation's triage is overdue, two clerks
    count = Notification.objects.count()
    assert daily_reminders("2023-02-01")["petitions"] == 0
    assert daily_reminders("2023-02-02")["petitions"] == 0  # still overdue: not repeated
    assert Notification.objects.count() == count
    # The complaint (due 20/02) is due soon on the 16th, then overdue on the 21st: two
    # thresholds, each notified once per clerk.
    assert daily_reminders("2023-02-16")["petitions"] == 2
    assert daily_reminders("2023-02-16")["petitions"] == 0
    assert daily_reminders("2023-02-21")["petitions"] == 2
    titles = list(
        Notification.objects.filter(user__username="clerk2").values_list("title", flat=True)
    )
    assert any("Quá hạn xử lý" in t for t in titles)
