"""The register and its export name the petitioner of a petition that is not confidential, as
its page does; a denunciation reads "Người tố cáo (bảo mật)" and its identity is not even
loaded for a list (Law on Denunciations 2018, art. 47)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.urls import reverse

from petitions.services import ItemData, PersonData, petition_receive

from .conftest import SECRETS, Desk

COMPLAINANT = "Lê Văn Công Khai"


def test_the_register_names_the_petitioner_of_a_complaint_not_of_a_denunciation(
    desk: Desk, login: Any
) -> None:
    for persona in ("province_clerk", "leader", "handler"):
        client = login(desk.world.users[persona])
        body = client.get(reverse("petitions:petition-list")).content.decode()
        assert COMPLAINANT in body, persona
        assert "Người tố cáo (bảo mật)" in body, persona
        for secret in SECRETS:
            assert secret not in body, (persona, secret)


def test_the_export_names_the_petitioner_of_a_complaint_not_of_a_denunciation(
    desk: Desk, login: Any
) -> None:
    from openpyxl import load_workbook

    client = login(desk.world.users["province_clerk"])
    response = client.get(reverse("petitions:petition-list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_subject = {row[2]: row[3] for row in rows[1:]}
    assert by_subject[desk.complaint.subject] == COMPLAINANT
    assert by_subject[desk.denunciation.subject] == "Người tố cáo (bảo mật)"


def test_a_group_and_an_anonymous_petition_read_sensibly_in_the_register(
    desk: Desk, login: Any
) -> None:
    petition_receive(
        council=desk.world.province,
        channel="post",
        received_on=dt.date(2023, 3, 1),
        subject="Kiến nghị của nhóm hộ dân",
        items=[ItemData(kind="recommendation", field="land", content="a")],
        people=[
            PersonData(full_name="Phạm Văn Một", is_representative=True),
            PersonData(full_name="Phạm Văn Hai"),
            PersonData(full_name="Phạm Văn Ba"),
        ],
        is_group=True,
        by=None,
    )
    petition_receive(
        council=desk.world.province,
        channel="post",
        received_on=dt.date(2023, 3, 2),
        subject="Phản ánh không ký tên",
        items=[ItemData(kind="reflection", field="land", content="b")],
        people=[],
        is_anonymous=True,
        by=None,
    )
    body = (
        login(desk.world.users["province_clerk"])
        .get(reverse("petitions:petition-list"))
        .content.decode()
    )
    assert "Phạm Văn Một và 2 người khác" in body
    assert "Nặc danh" in body
