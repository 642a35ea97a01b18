"""Voter contact: recommendations merged with a count, carried over across sessions, the
aggregate report and the follow-up table as real PDFs."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from councilportal.models import DocumentStatus
from petitions.models import VoterMeeting, VoterRecommendation
from petitions.services import recommendation_merge, recommendations_carry_over
from sessions.models import Session

from .. import factories as f
from ..pdftools import pdf_text


@pytest.fixture
def contact(world: Any) -> dict[str, Any]:
    province = world.province
    term = f.TermFactory(council=province, ordinal=18, name="Khóa XVIII")
    session = Session.objects.create(
        council=province,
        term=term,
        ordinal=5,
        kind="regular_mid",
        title="Kỳ họp giữa năm",
        planned_start=dt.date(2023, 7, 10),
        planned_end=dt.date(2023, 7, 12),
    )
    meetings = [
        VoterMeeting.objects.create(
            council=province,
            session=session,
            timing="before",
            electoral_unit=f"Đơn vị {n}",
            place=f"Nhà văn hóa {n}",
            date=dt.date(2023, 6, 20 + n),
            delegates_attending="ĐB A",
            voters_attending=100 + n,
        )
        for n in range(3)
    ]
    recs = []
    for meeting in meetings:
        rec = VoterRecommendation.objects.create(
            council=province,
            session=session,
            field="economy",
            content="Đề nghị nâng cấp tuyến đường tỉnh 376",
            agency=f.AgencyFactory(council=province),
        )
        rec.meetings.add(meeting)
        recs.append(rec)
    return {"session": session, "meetings": meetings, "recs": recs, "term": term}


def test_duplicates_merge_into_one_with_a_count(
    contact: dict[str, Any], login: Any, world: Any
) -> None:
    keep, *others = contact["recs"]
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("petitions:recommendation-merge", args=[keep.pk]),
        {"others": [o.pk for o in others]},
    )
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.times_raised == 3 and keep.meetings.count() == 3
    assert VoterRecommendation.objects.filter(merged_into=keep).count() == 2
    listed = client.get(reverse("petitions:recommendation-list")).context["paginator"].count
    assert listed == 1 + 2  # the merged two disappear; the fixture's own two councils' items stay
    other_session = Session.objects.create(
        council=world.province,
        term=contact["term"],
        ordinal=6,
        kind="regular_end",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    stranger = VoterRecommendation.objects.create(
        council=world.province, session=other_session, field="land", content="Khác"
    )
    with pytest.raises(ValidationError):
        recommendation_merge(keep=keep, others=[stranger])


def test_open_items_are_carried_over_at_the_next_session(
    contact: dict[str, Any], world: Any
) -> None:
    first, second, third = contact["recs"]
    VoterRecommendation.objects.filter(pk=second.pk).update(outcome="resolved")
    nxt = Session.objects.create(
        council=world.province,
        term=contact["term"],
        ordinal=6,
        kind="regular_end",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    assert recommendations_carry_over(session=nxt) == 2
    assert recommendations_carry_over(session=nxt) == 0  # twice changes nothing more
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sessions_open == 3  # its own, the fixture's year-end session, and this one
    assert first.is_carried_over and not second.is_carried_over


def test_an_answer_needs_a_forwarding_date(contact: dict[str, Any]) -> None:
    rec = contact["recs"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecommendation.objects.filter(pk=rec.pk).update(answered_on=dt.date(2023, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecommendation.objects.filter(pk=rec.pk).update(
            forwarded_on=dt.date(2023, 8, 1), answered_on=dt.date(2023, 7, 1)
        )


def test_the_report_and_the_follow_up_table_render(
    contact: dict[str, Any], world: Any, media: Any
) -> None:
    keep, *others = contact["recs"]
    recommendation_merge(keep=keep, others=others)
    VoterRecommendation.objects.filter(pk=keep.pk).update(
        forwarded_on=dt.date(2023, 7, 20),
        answered_on=dt.date(2023, 9, 1),
        answer_reference="125/UBND-KT",
        outcome="in_progress",
        sessions_open=2,
    )
    clerk = world.users["province_clerk"]
    for kind, words in (
        ("petitions.voter-report", ["BÁO CÁO", "Đề nghị nâng cấp tuyến đường tỉnh 376", "3 lượt"]),
        ("petitions.voter-follow-up", ["125/UBND-KT", "1*", "Đang giải quyết"]),
    ):
        document = document_request(kind=kind, source=contact["session"], by=clerk)
        document_render(document_id=document.pk)
        document.refresh_from_db()
        assert document.status == DocumentStatus.DONE, document.error
        with document.file.open("rb") as handle:
            text = " ".join(
                unicodedata.normalize("NFC", pdf_text(handle.read(), layout=False)).split()
            )
        for word in words:
            assert word in text, (kind, word)


def test_minutes_are_attached_checked_by_content(
    contact: dict[str, Any], world: Any, login: Any, media: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = contact["meetings"][0]
    client = login(world.users["province_clerk"])
    url = reverse("petitions:votermeeting-minutes", args=[meeting.pk])
    bad = SimpleUploadedFile("bienban.pdf", b"GIF89a not a pdf")
    client.post(url, {"file": bad})
    good = SimpleUploadedFile("bienban.pdf", b"%PDF-1.4 bien ban")
    client.post(url, {"file": good, "title": "Biên bản tiếp xúc cử tri"})
    page = client.get(reverse("petitions:votermeeting-detail", args=[meeting.pk]))
    body = page.content.decode()
    assert body.count("bienban.pdf") == 1 and "Biên bản tiếp xúc cử tri" in body
    assert login(world.users["delegate"]).post(url, {"file": good}).status_code == 403
