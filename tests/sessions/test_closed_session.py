"""A closed session is a record: its votes, attendance and agenda no longer change, whether
through the services or through the pages (which answer with a message, never an error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.models import AgendaItem, Attendance, Session, Sitting, Vote
from sessions.services import (
    attendance_record,
    item_delete,
    item_move,
    session_advance,
    sitting_add,
    vote_record,
)

from .. import factories as f
from .conftest import CLOSING, OPENING, Assembly, assembly


@pytest.fixture
def closed(db: Any) -> tuple[Assembly, Sitting, AgendaItem]:
    council = assembly(4)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    second = AgendaItem.objects.create(
        session=council.session, position=2, kind="report", title="Báo cáo kinh tế - xã hội"
    )
    for _step in range(3):
        session_advance(session=council.session, by=None)
    council.session.refresh_from_db()
    assert council.session.status == "closed"
    assert (council.session.actual_start, council.session.actual_end) == (OPENING, CLOSING)
    return council, sitting, second


def _positions(session: Session) -> list[tuple[int, int]]:
    return list(session.items.order_by("position").values_list("pk", "position"))


def test_a_closed_session_refuses_every_change_in_the_services(
    closed: tuple[Assembly, Sitting, AgendaItem],
) -> None:
    council, sitting, second = closed
    d = council.delegates[0].pk
    before = _positions(council.session)
    with pytest.raises(ValidationError):
        vote_record(
            item=council.item,
            subject="Sau bế mạc",
            majority="vote.ordinary",
            held_on=dt.date(2023, 12, 9),
            votes_for=3,
        )
    with pytest.raises(ValidationError):
        attendance_record(sitting=sitting, rows={d: ("present", "")})
    with pytest.raises(ValidationError):
        sitting_add(session=council.session, date=dt.date(2023, 12, 8))
    with pytest.raises(ValidationError):
        item_move(item=second, up=True)
    with pytest.raises(ValidationError):
        item_delete(item=second)
    with pytest.raises(ValidationError):
        session_advance(session=council.session, by=None)
    assert not Vote.objects.filter(item__session=council.session).exists()
    assert not Attendance.objects.filter(sitting=sitting).exists()
    assert council.session.sittings.count() == 1
    assert _positions(council.session) == before


def test_the_pages_of_a_closed_session_redirect_and_write_nothing(
    closed: tuple[Assembly, Sitting, AgendaItem], client: Any
) -> None:
    council, sitting, second = closed
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    session = council.session
    before = _positions(session)
    d = [x.pk for x in council.delegates]
    attempts = [
        (
            reverse("sessions:vote-create", args=[council.item.pk]),
            {
                "subject": "Sau bế mạc",
                "majority": "vote.ordinary",
                "held_on": "09/12/2023",
                "votes_for": "3",
                "votes_against": "0",
                "abstentions": "0",
            },
        ),
        (
            reverse("sessions:sitting-attendance", args=[sitting.pk]),
            {f"p{pk}": "present" for pk in d} | {f"r{pk}": "" for pk in d},
        ),
        (reverse("sessions:sitting-create", args=[session.pk]), {"date": "08/12/2023"}),
        (
            reverse("sessions:item-create", args=[session.pk]),
            {"kind": "other", "title": "Nội dung thêm sau bế mạc", "is_public": "on"},
        ),
        (reverse("sessions:item-up", args=[second.pk]), {}),
        (reverse("sessions:item-down", args=[council.item.pk]), {}),
        (reverse("sessions:item-delete", args=[second.pk]), {}),
        (reverse("sessions:session-advance", args=[session.pk]), {}),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        follow = client.get(response.url)
        assert follow.status_code == 200, url
    # The vote form is not even offered.
    assert client.get(reverse("sessions:vote-create", args=[council.item.pk])).status_code == 302
    assert not Vote.objects.filter(item__session=session).exists()
    assert not Attendance.objects.filter(sitting__session=session).exists()
    assert session.sittings.count() == 1
    assert _positions(session) == before
    assert not AgendaItem.objects.filter(title="Nội dung thêm sau bế mạc").exists()
    session.refresh_from_db()
    assert session.status == "closed"


def test_the_htmx_reorder_of_a_closed_session_returns_the_unchanged_agenda(
    closed: tuple[Assembly, Sitting, AgendaItem], client: Any
) -> None:
    council, _sitting, second = closed
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    before = _positions(council.session)
    response = client.post(reverse("sessions:item-up", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _positions(council.session) == before
    page = response.content.decode()
    assert second.title in page and "<html" not in page  # the agenda table alone
