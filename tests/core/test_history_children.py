"""A record's history tells its story, including its child records (issue 14.10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from petitions.services import item_answer, item_forward
from sessions.models import AgendaItem, Sitting
from sessions.services import attendance_record, item_add, vote_record

from .. import factories as f
from ..petitions.conftest import SECRET_NAME, desk  # noqa: F401 (the fixture)
from ..sessions.conftest import OPENING, assembly


def test_a_sessions_history_shows_its_agenda_attendance_votes(db: Any, client: Any) -> None:
    council = assembly(3)
    session = council.session
    item_add(item=AgendaItem(kind="report", title="Báo cáo công tác năm 2023"), session=session)
    sitting = Sitting.objects.create(session=session, date=OPENING)
    d = council.delegates
    attendance_record(
        sitting=sitting,
        rows={d[0].pk: ("present", ""), d[1].pk: ("absent", ""), d[2].pk: ("late", "")},
    )
    vote_record(
        item=council.item,
        subject="Nghị quyết dự toán ngân sách năm 2024",
        majority="vote.ordinary",
        held_on=OPENING,
        votes_for=2,
    )
    clerk = f.UserFactory(username="clerk-history")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("sessions:session-history", args=[session.pk])).content.decode()
    assert "Báo cáo công tác năm 2023" in page  # the agenda item added
    assert "07/12/2023" in page  # the sitting day
    assert f"{d[1].full_name}: Vắng không có lý do" in page  # attendance
    assert "Nghị quyết dự toán ngân sách năm 2024" in page  # the vote
    # The session's own change of status is there too.
    assert "Dự kiến → Đang họp" in page


def test_a_forwarded_petitions_history_shows_the_slip_and_the_answer(
    desk: Any,  # noqa: F811
    client: Any,
) -> None:
    petition = desk.complaint
    item = petition.items.get()
    slip = item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 10), by=None)
    item.refresh_from_db()
    item_answer(
        item=item,
        received_on=dt.date(2023, 3, 1),
        content="Đã giải quyết khiếu nại.",
        reference="25/TTr",
        by=None,
    )
    client.force_login(desk.world.users["province_clerk"])
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("petitions:petition-history", args=[petition.pk])).content.decode()
    assert f"{slip.number:02d}/PC-HĐND" in page
    assert "Thanh tra tỉnh Phố Núi" in page  # the item's agency, as changed
    assert "01/03/2023" in page  # the answer received


def test_a_denunciations_history_never_names_the_denouncer(
    desk: Any,  # noqa: F811
    client: Any,
) -> None:
    petition = desk.denunciation
    item = petition.items.get()
    item_forward(item=item, agency=desk.agency, on=dt.date(2023, 1, 20), by=None)
    client.force_login(desk.world.users["province_clerk"])
    page = client.get(reverse("petitions:petition-history", args=[petition.pk])).content.decode()
    assert "PC-HĐND" in page
    assert SECRET_NAME not in page
