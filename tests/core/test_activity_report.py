"""The activity report as a leader signs it: the body closes with the recipients and the
signature and the annex follows; charts are captioned and legible at print size; every item
starts with a capital; the scope names every council below, communes of a district too."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import pytest

from councilportal.dashboard.reports import activity_report_context
from councilportal.documents.render import render_pdf
from councilportal.models import ActivityReport, CouncilLevel, GeneratedDocument

from .. import factories as f
from ..pdftools import pdf_text, pdf_words
from .test_dashboard import _session

D = dt.date
# Liberation Serif's ascent plus descent: a word's box is 1.107 times its font size.
BOX_PER_POINT = 1.107


@pytest.fixture
def report_pdf(world: Any) -> bytes:
    province = world.province
    district = f.CouncilFactory(
        code="P-D", name="HĐND huyện Lúa Vàng", level=CouncilLevel.DISTRICT, parent=province
    )
    commune = f.CouncilFactory(
        code="P-D-X", name="HĐND xã Sông Xanh", level=CouncilLevel.COMMUNE, parent=district
    )
    for council in (district, commune):
        f.TermFactory(council=council)
    _session(province, 10, D(2023, 1, 10), "regular_mid")
    _session(province, 11, D(2023, 3, 20), "extraordinary")
    _session(world.commune, 10, D(2023, 2, 15))
    _session(commune, 10, D(2023, 2, 20))
    report = ActivityReport.objects.create(
        council=province,
        include_below=True,
        period_start=D(2023, 1, 1),
        period_end=D(2023, 3, 31),
        requested_by=world.users["leader"],
    )
    context = activity_report_context(report)
    context["document"] = GeneratedDocument(title="Báo cáo")
    return render_pdf("core/pdf/activity_report.html", context).content


def _flat(content: bytes) -> str:
    return " ".join(unicodedata.normalize("NFC", pdf_text(content, layout=False)).split())


def test_the_signature_and_recipients_close_the_body_and_the_annex_follows(
    report_pdf: bytes,
) -> None:
    text = _flat(report_pdf)
    annex = text.index("PHỤ LỤC")
    assert text.index("Nơi nhận:") < annex and text.index("TM. THƯỜNG TRỰC HĐND") < annex
    assert "SỐ LIỆU THEO TỪNG HỘI ĐỒNG NHÂN DÂN" in text[annex:]
    assert "(cấp mình)" not in text
    # The issuer does not send the report to itself.
    recipients = text[text.index("Nơi nhận:") : text.index("Lưu: VT, HĐND.")]
    assert "Thường trực HĐND tỉnh" not in recipients, recipients


def test_charts_are_captioned_and_their_labels_legible_in_print(report_pdf: bytes) -> None:
    text = _flat(report_pdf)
    assert "Biểu đồ 1: Số kỳ họp đã tổ chức theo tháng" in text
    assert "Biểu đồ 2: Số kỳ họp đã tổ chức theo HĐND cấp dưới" in text
    months = [w for w in pdf_words(report_pdf) if re.fullmatch(r"0[1-3]/2023", w.text)]
    assert months
    for word in months:
        assert word.height / BOX_PER_POINT >= 8, word


def test_every_item_starts_with_a_capital(report_pdf: bytes) -> None:
    lines = unicodedata.normalize("NFC", pdf_text(report_pdf)).splitlines()
    items = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    assert len(items) > 5
    assert all(item[0].isupper() or item[0].isdigit() for item in items), items


def test_the_scope_names_the_communes_below_a_district(report_pdf: bytes) -> None:
    text = _flat(report_pdf)
    scope = text[text.index("Phạm vi báo cáo:") :]
    scope = scope[: scope.index(".")]
    assert "HĐND xã Cây Đa" in scope
    assert "HĐND huyện Lúa Vàng, gồm cả HĐND xã Sông Xanh" in scope
