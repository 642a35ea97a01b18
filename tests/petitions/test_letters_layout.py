"""The forwarding slip and the letters as a reader sees them: one sentence without stacked
parentheticals, "Kính gửi" in the body's size (pdftotext -bbox)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest

from councilportal.documents.services import document_render, document_request
from councilportal.models import DocumentStatus
from petitions.services import item_forward

from ..pdftools import pdf_text, pdf_words
from .conftest import Desk


def _slip(desk: Desk, petition: Any) -> bytes:
    clerk = desk.world.users["province_clerk"]
    item = petition.items.get()
    slip = item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 20), by=clerk)
    document = document_request(kind="petitions.forwarding-slip", source=slip, by=clerk)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["denunciation", "complaint"])
def test_the_slip_names_the_petition_without_two_parentheticals_in_a_row(
    desk: Desk, which: str
) -> None:
    content = _slip(desk, getattr(desk, which))
    text = " ".join(unicodedata.normalize("NFC", pdf_text(content, layout=False)).split())
    assert ") (" not in text
    number = getattr(desk, which).number
    if which == "denunciation":
        assert f"nhận được đơn tố cáo số {number:02d}/2023" in text
        assert "; danh tính người tố cáo được giữ bí mật theo quy định." in text
    else:
        assert f"nhận được đơn số {number:02d}/2023 của" in text


@pytest.mark.django_db
def test_kinh_gui_is_set_in_the_size_of_the_body(desk: Desk) -> None:
    words = pdf_words(_slip(desk, desk.complaint))
    kinh = next(w for w in words if w.text == "Kính")
    body = next(w for w in words if w.text == "Ngày")  # the first paragraph of the body
    assert kinh.height == pytest.approx(body.height, abs=0.05), (kinh, body)
