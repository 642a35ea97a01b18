"""The minutes' approval flow and the session's printed documents, rendered for real (WeasyPrint)
through the job queue run eagerly, and read back with poppler."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councilportal.documents.registry import get_kind
from councilportal.documents.services import document_render, document_request
from councilportal.models import DocumentStatus, GeneratedDocument, Position
from sessions.models import (
    AgendaItem,
    ConfidenceRating,
    ConfidenceVote,
    Minutes,
    MinutesEvent,
    Sitting,
)
from sessions.services import (
    attendance_record,
    confidence_save,
    minutes_for,
    minutes_generate,
    minutes_step,
    vote_record,
)

from .. import factories as f
from ..pdftools import pdf_text
from .conftest import OPENING, Assembly, assembly


def _text(document: GeneratedDocument) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read(), layout=False)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def held(db: Any, media: Path) -> Assembly:
    """A session of 5 delegates that sat one day, with two items and two votes; the chair of
    the Standing Committee is on record."""
    council = assembly(5)
    f.MembershipFactory(
        organ=council.standing, delegate=council.delegates[0], position=Position.CHAIR
    )
    AgendaItem.objects.create(
        session=council.session,
        position=2,
        kind="report",
        title="Báo cáo tình hình kinh tế - xã hội năm 2023",
        presenter="Sở Kế hoạch và Đầu tư",
        conclusion="Hội đồng nhân dân tán thành báo cáo.",
    )
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    council.item.sitting = sitting
    council.item.save()
    d = [x.pk for x in council.delegates]
    attendance_record(
        sitting=sitting,
        rows={
            d[0]: ("present", ""),
            d[1]: ("present", ""),
            d[2]: ("late", ""),
            d[3]: ("present", ""),
            d[4]: ("excused", "Đi công tác"),
        },
    )
    vote_record(
        item=council.item,
        subject="Nghị quyết dự toán ngân sách năm 2024",
        majority="vote.ordinary",
        held_on=dt.date(2023, 12, 8),
        votes_for=3,
        votes_against=1,
    )
    vote_record(
        item=council.item,
        subject="Nghị quyết bãi nhiệm đại biểu",
        majority="vote.recall",
        held_on=dt.date(2023, 12, 8),
        votes_for=3,
        abstentions=1,
    )
    return council


def _clerk(council: Assembly, client: Any) -> Any:
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    return clerk


def test_the_minutes_are_generated_reviewed_approved_frozen_and_reopened(
    held: Assembly,
    client: Any,
    eager_jobs: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = held.session
    clerk = _clerk(held, client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sessions:session-minutes-generate", args=[session.pk]))
    document = GeneratedDocument.objects.get(kind="sessions.minutes")
    assert response.status_code == 302 and response.url == document.get_absolute_url()

    text = _text(document)
    assert "BIÊN BẢN" in text
    assert "Kỳ họp thứ 13 Hội đồng nhân dân" in text and "khóa XVII" in text
    assert "1. Tờ trình về dự toán ngân sách năm 2024" in text
    assert "2. Báo cáo tình hình kinh tế - xã hội năm 2023" in text
    assert (
        "Biểu quyết Nghị quyết dự toán ngân sách năm 2024: tán thành 3 (60,00%), "
        "không tán thành 1 (20,00%)"
    ) in text
    assert "Kết quả: được thông qua" in text  # 3 × 2 > 5
    assert "Kết quả: không được thông qua" in text  # recall: 3 × 3 < 5 × 2
    assert "Ngày 07/12/2023: có mặt 4/5 đại biểu (đến muộn 1), vắng có lý do 1" in text
    assert "Đại biểu HY 04 (Đi công tác)" in text

    minutes = Minutes.objects.get(session=session)
    assert minutes.status == "draft"
    for action in ("review", "approve"):
        response = client.post(reverse(f"sessions:session-minutes-{action}", args=[session.pk]))
        assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == "approved"
    assert minutes.approved_document == document
    assert minutes.approved_by == clerk and minutes.approved_at is not None
    frozen = (document.sha256, document.file.name)

    # Approved: no new version, neither through the page nor the services.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sessions:session-minutes-generate", args=[session.pk]))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        minutes_generate(minutes=minutes, by=clerk)
    with pytest.raises(PermissionDenied):
        document_request(kind="sessions.minutes", source=session, by=clerk, force_new=True)
    assert GeneratedDocument.objects.filter(kind="sessions.minutes").count() == 1

    # Reopening needs a reason.
    response = client.post(
        reverse("sessions:session-minutes-reopen", args=[session.pk]), {"reason": "  "}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == "approved"
    with pytest.raises(ValidationError):
        minutes_step(minutes=minutes, action="reopen", by=clerk, reason="")
    response = client.post(
        reverse("sessions:session-minutes-reopen", args=[session.pk]),
        {"reason": "Sửa tên người trình bày"},
    )
    minutes.refresh_from_db()
    assert minutes.status == "draft"
    assert minutes.approved_document is None and minutes.approved_by is None
    assert list(minutes.events.values_list("action", "by", "reason")) == [
        ("review", clerk.pk, ""),
        ("approve", clerk.pk, ""),
        ("reopen", clerk.pk, "Sửa tên người trình bày"),
    ]

    # A new version can now be made; the one approved before is untouched.
    with django_capture_on_commit_callbacks(execute=True):
        second = minutes_generate(minutes=minutes, by=clerk)
    second.refresh_from_db()
    document.refresh_from_db()
    assert (second.version, second.status) == (2, DocumentStatus.DONE)
    assert (document.sha256, document.file.name) == frozen
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Sửa tên người trình bày" in page


def test_the_minutes_render_when_no_chair_of_the_standing_committee_is_on_record(
    db: Any, media: Path, eager_jobs: None, django_capture_on_commit_callbacks: Any
) -> None:
    # A council whose Standing Committee chair is not (yet) in the register: the session's
    # own "presiding" name is printed; the other documents already render in this case.
    council = assembly(5)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    with django_capture_on_commit_callbacks(execute=True):
        document = minutes_generate(minutes=minutes_for(council.session), by=clerk)
    text = _text(document)
    assert "BIÊN BẢN" in text
    assert "CHỦ TỌA KỲ HỌP" in text and "Trần Quốc Toản" in text


def test_minutes_cannot_be_approved_without_a_finished_pdf(
    held: Assembly, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=held.council, role="clerk")
    minutes = minutes_for(held.session)
    with pytest.raises(ValidationError):
        minutes_step(minutes=minutes, action="approve", by=clerk)  # not reviewed
    minutes_step(minutes=minutes, action="review", by=clerk)
    with pytest.raises(ValidationError):
        minutes_step(minutes=minutes, action="approve", by=clerk)  # no PDF at all
    # A PDF requested but not rendered yet (the job never ran) is not enough either.
    with django_capture_on_commit_callbacks(execute=False):
        queued = minutes_generate(minutes=minutes, by=clerk)
    assert queued.status == DocumentStatus.QUEUED
    with pytest.raises(ValidationError):
        minutes_step(minutes=minutes, action="approve", by=clerk)
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_document) == ("reviewed", None)
    assert list(MinutesEvent.objects.filter(minutes=minutes).values_list("action", flat=True)) == [
        "review"
    ]
    with pytest.raises(ValidationError):
        minutes_step(minutes=minutes, action="reopen", by=clerk, reason="Chưa được duyệt")


def _render(kind: str, source: Any) -> str:
    document = document_request(kind=kind, source=source, by=None)
    document_render(document_id=document.pk)
    return _text(document)


def test_the_session_report_gives_the_figures(held: Assembly) -> None:
    text = _render("sessions.report", held.session)
    assert "BÁO CÁO" in text
    assert "với 2 nội dung; đã tiến hành 2 lượt biểu quyết, trong đó 1 nội dung được thông qua" in (
        text
    )
    assert "Ngày 07/12/2023: 4/5 đại biểu có mặt; vắng có lý do 1, vắng không có lý do 0" in text
    assert "3 (60,00%)" in text and "1 (20,00%)" in text
    assert "Không thông qua" in text


def test_the_agenda_lists_the_items_in_order(held: Assembly) -> None:
    text = _render("sessions.agenda", held.session)
    assert "CHƯƠNG TRÌNH" in text
    assert "từ ngày 07/12/2023 đến ngày 09/12/2023" in text
    first = text.index("Tờ trình về dự toán ngân sách năm 2024")
    second = text.index("Báo cáo tình hình kinh tế - xã hội năm 2023")
    assert first < second
    assert "Sở Kế hoạch và Đầu tư" in text


def test_the_confidence_results_give_shares_of_all_delegates(db: Any, media: Path) -> None:
    council = assembly(47)
    vote = ConfidenceVote(
        session=council.session,
        held_on=dt.date(2023, 12, 8),
        total_delegates=0,
        ballots_issued=46,
        ballots_collected=46,
        valid_ballots=46,
    )
    confidence_save(
        vote=vote,
        ratings=[
            ConfidenceRating(
                official_name="Nguyễn Văn Khoa",
                post="Chủ tịch UBND tỉnh",
                high=19,
                trust=2,
                low=25,
            ),
            ConfidenceRating(
                official_name="Trần Thị Lan",
                post="Phó Chủ tịch HĐND tỉnh",
                exempt=True,
                exemption_reason="Đã có thông báo nghỉ hưu",
            ),
        ],
        by=None,
    )
    text = _render("sessions.confidence-results", vote)
    assert "BÁO CÁO" in text
    assert "Tổng số đại biểu: 47; số phiếu phát ra: 46" in text
    assert "19 (40,43%)" in text and "2 (4,26%)" in text and "25 (53,19%)" in text
    assert "Nguyễn Văn Khoa có quá nửa tổng số đại biểu đánh giá tín nhiệm thấp" in text
    assert "Không lấy phiếu tín nhiệm đối với: Trần Thị Lan" in text


def test_each_sitting_day_is_counted_against_the_delegates_in_office_that_day(
    held: Assembly,
) -> None:
    # A delegate's mandate ends after the first sitting day: on 08/12 the council has 4.
    leaver = held.delegates[4]
    leaver.end_date = OPENING
    leaver.end_reason = "Chuyển công tác"
    leaver.save()
    second = Sitting.objects.create(session=held.session, date=dt.date(2023, 12, 8))
    counts = attendance_record(
        sitting=second, rows={d.pk: ("present", "") for d in held.delegates[:4]}
    )
    assert (counts["attending"], counts["total"]) == (4, 4)  # what the attendance page shows

    minutes = _render("sessions.minutes", held.session)
    assert "Ngày 07/12/2023: có mặt 4/5 đại biểu" in minutes
    assert "Ngày 08/12/2023: có mặt 4/4 đại biểu" in minutes
    report = _render("sessions.report", held.session)
    assert "Ngày 08/12/2023: 4/4 đại biểu có mặt" in report


def _roll_call(held: Assembly) -> None:
    d = [x.pk for x in held.delegates]
    vote_record(
        item=held.item,
        subject="Thông qua Nghị quyết về bảng giá đất",
        majority="vote.ordinary",
        held_on=dt.date(2023, 12, 8),
        ballots={d[0]: "for", d[1]: "for", d[2]: "against", d[3]: "abstain", d[4]: "not_voting"},
    )


@pytest.mark.parametrize("kind", ["sessions.report", "sessions.minutes"])
def test_the_report_and_minutes_annex_who_attended_and_how_each_delegate_voted(
    held: Assembly, kind: str
) -> None:
    _roll_call(held)
    text = _render(kind, held.session)
    # The annexes follow the signature block, as an annex to a Decree 30 document does.
    annex = text.index("PHỤ LỤC I ")
    closing = "TM. THƯỜNG TRỰC HĐND" if kind == "sessions.report" else "CHỦ TỌA KỲ HỌP"
    assert text.index(closing) < annex
    body, annexes = text[:annex], text[annex:]
    assert "DANH SÁCH ĐẠI BIỂU CÓ MẶT, VẮNG MẶT THEO TỪNG NGÀY HỌP" in annexes
    assert "1. Ngày 07/12/2023: có mặt 4/5 đại biểu" in annexes
    assert "Đại biểu HY 02 Đến muộn" in annexes
    assert "Đại biểu HY 04 Vắng có lý do Đi công tác" in annexes
    assert "PHỤ LỤC II KẾT QUẢ BIỂU QUYẾT CỦA TỪNG ĐẠI BIỂU" in annexes
    assert "1. Biểu quyết thông qua Nghị quyết về bảng giá đất ngày 08/12/2023" in annexes
    for name, choice in [
        ("Đại biểu HY 00", "Tán thành"),
        ("Đại biểu HY 02", "Không tán thành"),
        ("Đại biểu HY 03", "Không biểu quyết"),
        ("Đại biểu HY 04", "Không tham gia biểu quyết"),
    ]:
        assert f"{name} {choice}" in annexes, name
    assert "Đại biểu HY 03 Không biểu quyết" not in body


@pytest.mark.parametrize("kind", ["sessions.report", "sessions.minutes", "sessions.agenda"])
def test_session_documents_cost_a_fixed_number_of_queries(held: Assembly, kind: str) -> None:
    spec = get_kind(kind)
    assert spec is not None
    with CaptureQueriesContext(connection) as small:
        spec.build_context(held.session)
    _roll_call(held)
    second = Sitting.objects.create(session=held.session, date=dt.date(2023, 12, 8))
    attendance_record(sitting=second, rows={d.pk: ("excused", "Ốm") for d in held.delegates})
    with CaptureQueriesContext(connection) as big:
        spec.build_context(held.session)
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_agenda_is_headed_by_the_standing_committee_that_signs_it(held: Assembly) -> None:
    text = _render("sessions.agenda", held.session)
    assert text.startswith("THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN"), text[:60]
    assert "TM. THƯỜNG TRỰC HĐND" in text
    assert "Hình thức: họp công khai." in text
    assert "họp họp" not in text


def test_a_vote_subject_mid_sentence_loses_its_capital(held: Assembly) -> None:
    _roll_call(held)
    text = _render("sessions.minutes", held.session)
    assert "Biểu quyết thông qua Nghị quyết về bảng giá đất: tán thành" in text
    # A document's name keeps its capital.
    assert "Biểu quyết Nghị quyết dự toán ngân sách năm 2024:" in text
