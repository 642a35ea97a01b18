"""The printed resolution, rendered for real (WeasyPrint, eager job) and read back with poppler:
Decree 30 for individual resolutions, the Decree 78/2025 forms for legal normative ones."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from councilportal.documents.services import document_request
from councilportal.models import DocumentStatus, GeneratedDocument, Position
from resolutions.models import Kind, VerificationReport
from resolutions.services import submission_adopt

from .. import factories as f
from ..pdftools import pdf_text
from .conftest import make_resolution, submission_on_agenda


def _text(document: GeneratedDocument) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read(), layout=False)
    return " ".join(unicodedata.normalize("NFC", text).split())


BODY = (
    "Điều 1. Phạm vi điều chỉnh\n"
    "Nghị quyết này quy định mức hỗ trợ học phí.\n"
    "Điều 2. Tổ chức thực hiện\n"
    "Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết."
)


@pytest.fixture
def chair(hy: Any) -> Any:
    delegate = f.DelegateFactory(term=hy.term, full_name="Trần Quốc Toản")
    standing = f.OrganFactory(
        term=hy.term, council=hy.council, kind="standing", name="Thường trực HĐND"
    )
    return f.MembershipFactory(organ=standing, delegate=delegate, position=Position.CHAIR)


def test_an_individual_resolution_follows_decree_30(
    hy: Any, chair: Any, eager_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sub = submission_on_agenda(hy, draft_text=BODY)
    VerificationReport.objects.create(
        submission=sub,
        organ=hy.committee,
        reference="45/BC-KTNS",
        reported_on=dt.date(2023, 12, 1),
        conclusion="agree",
    )
    resolution = submission_adopt(submission=sub, vote=hy.passed)
    resolution.legal_bases = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    resolution.save()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="resolutions.resolution", source=resolution, by=None)
    text = _text(document)
    for expected in [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH HƯNG YÊN",
        "Số: 01/NQ-HĐND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Hưng Yên, ngày 08 tháng 12 năm 2023",
        "NGHỊ QUYẾT",
        "Dự toán ngân sách địa phương năm 2024",
        "HỘI ĐỒNG NHÂN DÂN TỈNH HƯNG YÊN",
        "KHÓA XVII, KỲ HỌP THỨ 13",
        "Căn cứ Luật Tổ chức chính quyền địa phương",
        "Xét Tờ trình số 125/TTr-UBND",
        "Báo cáo thẩm tra số 45/BC-KTNS của Ban Kinh tế - Ngân sách",
        "QUYẾT NGHỊ:",
        "Điều 1. Phạm vi điều chỉnh",
        "Điều 2. Tổ chức thực hiện",
        "TM. HỘI ĐỒNG NHÂN DÂN",
        "CHỦ TỊCH",
        "Trần Quốc Toản",
        "Nơi nhận:",
        "Lưu: VT, HĐND.",
    ]:
        assert expected in text, expected
    assert text.index("QUYẾT NGHỊ:") < text.index("Điều 1.")
    assert "thông qua ngày" not in text


def test_a_normative_resolution_follows_the_new_forms(
    hy: Any, chair: Any, eager_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resolution = make_resolution(
        hy.council,
        kind=Kind.NORMATIVE,
        manual_number=12,
        title="Quy định mức hỗ trợ học phí",
        session=hy.session,
        legal_bases="Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015",
        body=BODY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="resolutions.resolution", source=resolution, by=None)
    text = _text(document)
    assert "Số: 12/2023/NQ-HĐND" in text
    assert "QUYẾT NGHỊ" not in text
    assert "Hội đồng nhân dân tỉnh Hưng Yên ban hành Nghị quyết quy định mức hỗ trợ" in text
    assert (
        "Nghị quyết này đã được Hội đồng nhân dân tỉnh Hưng Yên Khóa XVII, Kỳ họp thứ 13 "
        "thông qua ngày 08 tháng 12 năm 2023" in text
    )
    assert "Công báo tỉnh" in text
    assert document.page_count and document.page_count <= 2


def test_the_detail_page_offers_the_pdf(hy: Any, client: Any, media: Path) -> None:
    user = f.UserFactory(username="c")
    f.RoleFactory(user=user, council=hy.council, role="clerk")
    resolution = make_resolution(hy.council)
    client.force_login(user)
    page = client.get(resolution.get_absolute_url()).content.decode()
    assert 'value="resolutions.resolution"' in page


def test_a_standing_committee_resolution_names_it_in_the_header_and_signature(
    hy: Any, chair: Any, eager_jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # 07/NQ-HĐND of the demo: the header named the council, the signature its Standing
    # Committee; both must name the issuer.
    resolution = make_resolution(hy.council, issuer="standing", title="Về việc điều chỉnh lịch")
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="resolutions.resolution", source=resolution, by=None)
    text = _text(document)
    assert text.startswith("THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN TỈNH HƯNG YÊN"), text[:80]
    assert "TM. THƯỜNG TRỰC HĐND" in text
