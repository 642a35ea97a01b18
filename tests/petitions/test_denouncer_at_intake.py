"""Intake names no denouncer either: the duplicate check offers a clerk no denunciation by the
person typed in, and an import waiting for its confirmation keeps the register encrypted.
(The crawl of every page and file: test_denouncer_leak.py, whose scene is built once.)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions.access import reveal
from petitions.models import Petition
from petitions.services import PersonData, duplicate_candidates

from .conftest import SECRET_ADDRESS, SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk
from .test_denouncer_leak import XLSX, flat, secrets_in

# The duplicate check is no oracle -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["province_clerk", "leader", "council_admin"])
def test_entering_the_denouncers_identity_does_not_point_to_the_denunciation(
    desk: Desk, persona: str
) -> None:
    """Offering "earlier petitions of the same petitioner" at intake would tell a clerk who
    denounced: a denunciation is matched by the person for its handlers only."""
    user = desk.world.users[persona]
    for person in (
        PersonData(full_name=SECRET_NAME),
        PersonData(phone="0987-654-321"),
        PersonData(id_number=SECRET_ID),
    ):
        found = duplicate_candidates(
            council=desk.world.province, people=[person], subject="Việc khác hẳn", by=user
        )
        assert desk.denunciation not in found, person
    # The same subject is still offered (it names nobody).
    same_subject = duplicate_candidates(
        council=desk.world.province,
        people=[PersonData(full_name=SECRET_NAME)],
        subject="Tố cáo chủ tịch xã nhận tiền bồi thường",
        by=user,
    )
    assert same_subject == [desk.denunciation]


def test_the_handler_is_offered_the_denouncers_earlier_denunciation(desk: Desk) -> None:
    found = duplicate_candidates(
        council=desk.world.province,
        people=[PersonData(id_number=SECRET_ID)],
        subject="Việc khác hẳn",
        by=desk.world.users["handler"],
    )
    assert found == [desk.denunciation]


def test_the_intake_form_offers_a_clerk_no_denunciation_by_its_denouncer(
    desk: Desk, login: Any
) -> None:
    client = login(desk.world.users["province_clerk"])
    data = {
        "council": desk.world.province.pk,
        "channel": "in_person",
        "received_on": "10/03/2023",
        "subject": "Khiếu nại về đường giao thông",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-kind": "complaint",
        "items-0-field": "land",
        "items-0-content": "Khiếu nại việc làm đường.",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-full_name": SECRET_NAME,
        "people-0-id_number": SECRET_ID,
        "people-0-is_representative": "on",
    }
    response = client.post(reverse("petitions:petition-create"), data)
    assert response.status_code == 302  # nothing offered: registered at once
    body = client.get(response.url).content.decode()
    assert desk.denunciation.get_absolute_url() not in body


# An import's preview keeps the file until the confirmation -----------------------------------


def test_an_import_waiting_for_confirmation_is_stored_encrypted(
    world: Any, login: Any, media: Path
) -> None:
    """Between the preview and the confirmation the uploaded register is kept on disk: a
    petitions register holds identities, so the kept file is ciphertext, and an abandoned
    preview leaves no plaintext behind."""
    from openpyxl import Workbook

    from councilportal.spreadsheets.importing import get_import_kind

    kind = get_import_kind("petitions")
    assert kind is not None
    cells = {
        "Mã HĐND": "P",
        "Ngày nhận": "16/01/2023",
        "Hình thức tiếp nhận": "Qua bưu điện",
        "Trích yếu": "Tố cáo cán bộ xã nhận quà",
        "Loại đơn": "Tố cáo",
        "Lĩnh vực": "Đất đai, nhà ở",
        "Nội dung": "Cán bộ xã nhận quà của người xin cấp đất.",
        "Họ tên người gửi đơn": SECRET_NAME,
        "Địa chỉ người gửi đơn": SECRET_ADDRESS,
        "Điện thoại": SECRET_PHONE,
        "Số định danh cá nhân": SECRET_ID,
    }
    book = Workbook()
    book.active.append([c.header for c in kind.columns])
    book.active.append([cells.get(c.header, "") for c in kind.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(world.users["handler"])
    upload = SimpleUploadedFile("so-don-thu.xlsx", buffer.getvalue(), content_type=XLSX)
    preview = client.post(reverse("core:import"), {"kind": "petitions", "file": upload})
    assert preview.status_code == 200 and preview.context["report"].ok
    assert not secrets_in(preview.content.decode())
    stashed = list((media / "imports").iterdir())
    assert len(stashed) == 1
    raw = stashed[0].read_bytes()
    assert b"PK" not in raw[:4] and flat(SECRET_NAME).encode() not in raw
    assert SECRET_ID.encode() not in raw and SECRET_NAME.encode() not in raw
    token = preview.context["token"]
    done = client.post(reverse("core:import-confirm"), {"kind": "petitions", "token": token})
    assert done.status_code == 302
    petition = Petition.objects.get(subject="Tố cáo cán bộ xã nhận quà")
    assert reveal(petition=petition, by=world.users["handler"])[0].id_number == SECRET_ID
    assert list((media / "imports").iterdir()) == []
