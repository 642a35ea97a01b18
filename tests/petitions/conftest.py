"""Fixtures of the petitions tests: the council world of tests/conftest.py, an agency, and a
denunciation whose denouncer's identity every test tries to leak."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from petitions.models import Petition
from petitions.services import ItemData, PersonData, petition_receive

from .. import factories as f

# The denouncer's identity: none of these may appear anywhere but the handler's identity page.
SECRET_NAME = "Trần Thị Bảo Mật"
SECRET_ADDRESS = "Số 9 ngõ Kín, phường Ẩn"
SECRET_PHONE = "0987 654 321"
SECRET_ID = "034187000999"
SECRETS = [SECRET_NAME, SECRET_ADDRESS, SECRET_PHONE, SECRET_ID, "0987654321"]


@dataclass
class Desk:
    world: Any
    agency: Any
    denunciation: Petition
    complaint: Petition


def receive_denunciation(council: Any, day: dt.date, *, anonymous: bool = False) -> Petition:
    people = (
        []
        if anonymous
        else [
            PersonData(
                full_name=SECRET_NAME,
                address=SECRET_ADDRESS,
                phone=SECRET_PHONE,
                id_number=SECRET_ID,
                is_representative=True,
            )
        ]
    )
    return petition_receive(
        council=council,
        channel="post",
        received_on=day,
        subject="Tố cáo chủ tịch xã nhận tiền bồi thường",
        items=[
            ItemData(
                kind="denunciation",
                field="compensation",
                content="Chủ tịch UBND xã nhận tiền của các hộ dân khi lập phương án bồi thường.",
                locality="Xã Cây Đa",
                accused="Chủ tịch UBND xã Cây Đa",
            )
        ],
        people=people,
        is_anonymous=anonymous,
        by=None,
    )


@pytest.fixture
def desk(world: Any) -> Desk:
    return make_desk(world)


def make_desk(world: Any) -> Desk:
    """The province's agency, a denunciation and a complaint, in `world`."""
    province = world.province
    agency = f.AgencyFactory(council=province, name="Thanh tra tỉnh Phố Núi")
    denunciation = receive_denunciation(province, dt.date(2023, 1, 16))
    complaint = petition_receive(
        council=province,
        channel="in_person",
        received_on=dt.date(2023, 2, 6),
        subject="Khiếu nại quyết định thu hồi đất",
        items=[
            ItemData(
                kind="complaint",
                field="land",
                content="Khiếu nại Quyết định thu hồi đất số 12/QĐ-UBND.",
                accused="Quyết định 12/QĐ-UBND của UBND huyện",
            )
        ],
        people=[PersonData(full_name="Lê Văn Công Khai", phone="0911 000 111")],
        by=None,
    )
    return Desk(world, agency, denunciation, complaint)
