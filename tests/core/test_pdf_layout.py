"""The Decree 30 layout, checked on real WeasyPrint output with poppler's tools."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import pytest

from councilportal.councils.documents import term_roster_context
from councilportal.documents.render import doc_number, render_pdf, vn_date_line
from councilportal.models import Delegate, GeneratedDocument, OrganKind, Position

from .. import factories as f
from ..pdftools import pdf_fonts, pdf_info, pdf_rules, pdf_text, pdf_words


@pytest.mark.parametrize(
    "day,expected",
    [
        (dt.date(2024, 2, 5), "Hưng Yên, ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 1, 15), "Hưng Yên, ngày 15 tháng 01 năm 2024"),
        (dt.date(2023, 3, 1), "Hưng Yên, ngày 01 tháng 3 năm 2023"),
        (dt.date(2023, 12, 31), "Hưng Yên, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_the_date_line_has_decree_30_leading_zeros(day: dt.date, expected: str) -> None:
    assert vn_date_line("Hưng Yên", day) == expected


def test_numbers_below_ten_take_a_leading_zero() -> None:
    assert doc_number(5) == "05"
    assert doc_number(52) == "52"


def _roster(delegates: int) -> bytes:
    council = f.CouncilFactory(
        code="HY",
        name="HĐND tỉnh Hưng Yên",
        place_name="Hưng Yên",
        administrative_name="TỈNH HƯNG YÊN",
    )
    term = f.TermFactory(council=council, name="Khóa XVII")
    standing = f.OrganFactory(term=term, council=council, kind=OrganKind.STANDING_COMMITTEE)
    chair = f.DelegateFactory(term=term, full_name="Trần Quốc Toản")
    f.MembershipFactory(organ=standing, delegate=chair, position=Position.CHAIR)
    Delegate.objects.bulk_create(
        Delegate(
            term=term,
            full_name=f"Nguyễn Thị Hường {i}",
            electoral_unit="Đơn vị bầu cử số 1",
            start_date=term.start_date,
            position="Phó Giám đốc Sở Tài nguyên và Môi trường",
        )
        for i in range(delegates)
    )
    context = term_roster_context(term)
    context["document"] = GeneratedDocument(title="Danh sách đại biểu")
    return render_pdf("core/pdf/term_roster.html", context).content


@pytest.fixture
def short_pdf(db: Any) -> bytes:
    return _roster(5)


def test_the_vietnamese_text_keeps_every_diacritic(short_pdf: bytes) -> None:
    text = unicodedata.normalize("NFC", pdf_text(short_pdf))
    for expected in [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH HƯNG YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hưng Yên, ngày",
        "DANH SÁCH",
        "Đại biểu Hội đồng nhân dân tỉnh Hưng Yên khóa XVII",
        "Nguyễn Thị Hường 3",
        "Phó Giám đốc Sở",
        "Nơi nhận:",
        "- Lưu: VT, HĐND.",
        "TM. THƯỜNG TRỰC HĐND",
        "CHỦ TỊCH",
        "Trần Quốc Toản",
    ]:
        assert expected in text, expected


def test_the_shipped_font_is_embedded_and_the_page_is_a4(short_pdf: bytes) -> None:
    fonts = pdf_fonts(short_pdf)
    serif = [line for line in fonts.splitlines() if "Portal-Serif" in line]
    assert serif, fonts
    assert all(" yes " in line for line in serif)  # embedded
    info = pdf_info(short_pdf)
    assert "(A4)" in info["Page size"]
    assert info["Pages"] == "1"


def test_page_numbers_start_on_page_two_and_headers_repeat(db: Any) -> None:
    content = _roster(120)
    info = pdf_info(content)
    pages = int(info["Pages"])
    assert pages >= 3
    first = pdf_text(content, 1, 1).strip().splitlines()
    second = pdf_text(content, 2, 2).strip().splitlines()
    assert first[0].strip() != "1"
    assert second[0].strip() == "2"
    # The table's header row repeats at the top of page 2.
    assert "Họ và tên" in "\n".join(second[:4])
    # Every delegate is printed once: no row lost or split across pages.
    text = pdf_text(content, layout=False)
    for i in (0, 57, 119):
        assert len(re.findall(rf"Hường\s+{i}\b", text)) == 1, i


def test_rules_stand_clear_of_the_line_above_them(short_pdf: bytes) -> None:
    # The rules under the issuer, the motto and the title: closer than 3 pt to the lowest
    # glyph of their line, they read as the words being underlined.
    words = pdf_words(short_pdf)
    rules = [r for r in pdf_rules(short_pdf) if r[2] - r[1] < 300]  # not table borders
    assert len({round(x_min) for _, x_min, _ in rules}) >= 3, rules  # issuer, motto, title
    for y, x_min, x_max in rules:
        above = [w.y_max for w in words if w.y_max < y + 1 and w.x_max > x_min and w.x_min < x_max]
        assert above, (y, x_min, x_max)
        assert y - max(above) >= 3, (y, x_min, x_max, max(above))
