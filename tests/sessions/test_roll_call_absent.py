"""A delegate marked absent on a sitting day casts no roll-call ballot that day (issue 14.6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.models import Majority, Sitting, Vote
from sessions.services import attendance_record, vote_record

from .. import factories as f
from .conftest import assembly

DAY = dt.date(2023, 12, 8)


def _with_absentee(size: int = 4) -> Any:
    council = assembly(size)
    sitting = Sitting.objects.create(session=council.session, date=DAY)
    rows = {d.pk: ("present", "") for d in council.delegates}
    rows[council.delegates[1].pk] = ("absent", "")
    rows[council.delegates[2].pk] = ("excused", "Ốm")
    attendance_record(sitting=sitting, rows=rows)
    return council


def test_the_service_refuses_a_ballot_from_a_delegate_marked_absent(db: Any) -> None:
    council = _with_absentee()
    d = council.delegates
    with pytest.raises(ValidationError) as raised:
        vote_record(
            item=council.item,
            subject="Biểu quyết điểm danh",
            majority=Majority.ORDINARY,
            held_on=DAY,
            ballots={d[0].pk: "for", d[1].pk: "for", d[2].pk: "not_voting", d[3].pk: "for"},
        )
    assert d[1].full_name in str(raised.value)
    assert not Vote.objects.exists()
    # The absentees recorded as not voting: accepted.
    vote = vote_record(
        item=council.item,
        subject="Biểu quyết điểm danh",
        majority=Majority.ORDINARY,
        held_on=DAY,
        ballots={d[0].pk: "for", d[1].pk: "not_voting", d[2].pk: "not_voting", d[3].pk: "for"},
    )
    assert vote.votes_for == 2


def test_the_vote_form_shows_a_vietnamese_error_on_the_absentees_ballot(
    db: Any, client: Any
) -> None:
    council = _with_absentee()
    d = council.delegates
    clerk = f.UserFactory(username="clerk-roll")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "vi"
    data = {
        "subject": "Nghị quyết",
        "majority": "vote.ordinary",
        "held_on": "08/12/2023",
        "votes_for": "0",
        "votes_against": "0",
        "abstentions": "0",
        "roll_call": "on",
    } | {f"b{x.pk}": "for" for x in d}
    response = client.post(reverse("sessions:vote-create", args=[council.item.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{d[2].full_name} đã được ghi vắng mặt ngày 08/12/2023" in page
    assert f"{d[1].full_name} đã được ghi vắng mặt ngày 08/12/2023" in page
    assert not Vote.objects.exists()
