"""Voter contact: recommendations merged with a count, carried over across sessions, the
aggregate report and the follow-up table as real PDFs."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from councilportal.models import DocumentStatus, FollowUp, FollowUpAnswer
from petitions.documents import VOTER_FOLLOW_UP, VOTER_REPORT
from petitions.models import VoterMeeting, VoterRecommendation
from petitions.services import recommendation_merge, recommendation_track
from petitions.views import recommendation_figures
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


def _forward(rec: VoterRecommendation, **answer: Any) -> None:
    rec.refresh_from_db()
    recommendation_track(recommendation=rec, forwarded_on=dt.date(2023, 7, 20), **answer)


def test_forwarding_opens_the_recommendations_follow_up_due_at_the_next_regular_session(
    contact: dict[str, Any], world: Any
) -> None:
    rec = contact["recs"][0]
    nxt = Session.objects.create(
        council=world.province,
        term=contact["term"],
        ordinal=6,
        kind="regular_end",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    _forward(rec)
    rec.refresh_from_db()
    follow_up = FollowUp.objects.of(rec).get()
    assert rec.follow_up == follow_up and follow_up.to_agency == rec.agency
    assert follow_up.sent_on == rec.forwarded_on == dt.date(2023, 7, 20)
    # The earliest regular session of the council after the forwarding (the world's own
    # year-end session or this one).
    first = (
        Session.objects.filter(
            council=world.province,
            kind__in=["regular_mid", "regular_end"],
            planned_start__gt=dt.date(2023, 7, 20),
        )
        .order_by("planned_start")
        .first()
    )
    assert first is not None and first.planned_start <= nxt.planned_start
    assert follow_up.due_date == first.opening
    assert first.opening.strftime("%d/%m/%Y") in follow_up.due_explanation
    # The answer is the follow-up's; the outcome moves its status.
    rec.outcome = "resolved"
    rec.save()
    recommendation_track(
        recommendation=rec,
        forwarded_on=dt.date(2023, 7, 20),
        answered_on=dt.date(2023, 9, 1),
        reference="125/UBND-KT",
        summary="Đã bố trí vốn",
    )
    follow_up.refresh_from_db()
    answer = FollowUpAnswer.objects.get(follow_up=follow_up)
    assert (answer.received_on, answer.reference) == (dt.date(2023, 9, 1), "125/UBND-KT")
    assert (follow_up.status, follow_up.closed_on) == ("done", dt.date(2023, 9, 1))
    rec = VoterRecommendation.objects.get(pk=rec.pk)
    assert (rec.answered_on, rec.answer_summary) == (dt.date(2023, 9, 1), "Đã bố trí vốn")


def test_open_items_are_carried_over_at_the_next_session(
    contact: dict[str, Any], world: Any, login: Any
) -> None:
    first, second, third = contact["recs"]
    VoterRecommendation.objects.filter(pk=second.pk).update(outcome="resolved")
    for rec in (first, third):
        _forward(rec)
    _forward(second, answered_on=dt.date(2023, 9, 1), reference="1/UBND")
    Session.objects.create(
        council=world.province,
        term=contact["term"],
        ordinal=6,
        kind="regular_end",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    first = VoterRecommendation.objects.get(pk=first.pk)
    second = VoterRecommendation.objects.get(pk=second.pk)
    assert first.sessions_open >= 2 and first.is_carried_over
    assert second.sessions_open == 1 and not second.is_carried_over
    # The list, its filter and the statistics count them the same way (in SQL).
    client = login(world.users["province_clerk"])
    listing = reverse("petitions:recommendation-list")
    carried = client.get(listing, {"carried_over": "true"}).context["paginator"].object_list
    assert {r.pk for r in carried} == {first.pk, third.pk}
    answered = client.get(listing, {"answered": "true"}).context["paginator"].object_list
    assert {r.pk for r in answered} == {second.pk}
    figures = recommendation_figures(
        VoterRecommendation.objects.filter(session=contact["session"]),
        dt.date(2023, 1, 1),
        dt.date(2023, 12, 31),
    )
    assert (figures["forwarded"], figures["answered"], figures["carried_over"]) == (3, 1, 2)
    assert figures["resolved"] == 1


def test_an_answer_needs_a_forwarding_date(contact: dict[str, Any], world: Any, login: Any) -> None:
    rec = contact["recs"][0]
    with pytest.raises(ValidationError):
        recommendation_track(recommendation=rec, forwarded_on=None, answered_on=dt.date(2023, 8, 1))
    with pytest.raises(ValidationError):
        recommendation_track(
            recommendation=rec,
            forwarded_on=dt.date(2023, 8, 1),
            answered_on=dt.date(2023, 7, 1),
        )
    client = login(world.users["province_clerk"])
    url = reverse("petitions:recommendation-update", args=[rec.pk])
    form = client.get(url).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("meetings", "forwarded_on", "answered_on")
    }
    data.update(
        council=rec.council_id,
        session=rec.session_id,
        agency=rec.agency_id,
        meetings=[m.pk for m in rec.meetings.all()],
        answered_on="01/08/2023",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Record the forwarding date before the answer." in str(
        response.context["form"].errors
    ) or "ngày chuyển" in str(response.context["form"].errors)
    data["forwarded_on"] = "20/07/2023"
    data["answer_reference"] = "9/UBND"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    rec = VoterRecommendation.objects.get(pk=rec.pk)
    assert rec.forwarded_on == dt.date(2023, 7, 20) and rec.answer_reference == "9/UBND"
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "9/UBND" in page and "20/07/2023" in page
    # Cleared again: the follow-up is withdrawn.
    data.update(forwarded_on="", answered_on="", answer_reference="")
    assert client.post(url, data).status_code == 302
    rec = VoterRecommendation.objects.get(pk=rec.pk)
    assert rec.follow_up is None and not FollowUp.objects.of(rec).exists()


def test_the_report_and_the_follow_up_table_render(
    contact: dict[str, Any], world: Any, media: Any
) -> None:
    keep, *others = contact["recs"]
    recommendation_merge(keep=keep, others=others)
    VoterRecommendation.objects.filter(pk=keep.pk).update(outcome="in_progress")
    _forward(keep, answered_on=dt.date(2023, 9, 1), reference="125/UBND-KT")
    Session.objects.create(
        council=world.province,
        term=contact["term"],
        ordinal=6,
        kind="regular_end",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    clerk = world.users["province_clerk"]
    for kind, words in (
        (VOTER_REPORT, ["BÁO CÁO", "Đề nghị nâng cấp tuyến đường tỉnh 376", "3 lượt"]),
        (VOTER_FOLLOW_UP, ["125/UBND-KT", "1*", "Đang giải quyết", "20/07/2023"]),
    ):
        document = document_request(kind=kind.key, source=contact["session"], by=clerk)
        document_render(document_id=document.pk)
        document.refresh_from_db()
        assert document.status == DocumentStatus.DONE, document.error
        with document.file.open("rb") as handle:
            text = " ".join(
                unicodedata.normalize("NFC", pdf_text(handle.read(), layout=False)).split()
            )
        for word in words:
            assert word in text, (kind.key, word)


def test_minutes_are_attached_checked_by_content(
    contact: dict[str, Any], world: Any, login: Any, media: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = contact["meetings"][0]
    client = login(world.users["province_clerk"])
    url = reverse("core:attachment-create")
    hidden = {"owner_type": "petitions.votermeeting", "owner": meeting.pk}
    bad = SimpleUploadedFile("bienban.pdf", b"GIF89a not a pdf")
    assert client.post(url, {**hidden, "file": bad}).status_code == 400
    good = SimpleUploadedFile("bienban.pdf", b"%PDF-1.4 bien ban")
    client.post(url, {**hidden, "file": good, "title": "Biên bản tiếp xúc cử tri"})
    page = client.get(reverse("petitions:votermeeting-detail", args=[meeting.pk]))
    body = page.content.decode()
    assert body.count("bienban.pdf") == 1 and "Biên bản tiếp xúc cử tri" in body
    assert login(world.users["delegate"]).post(url, {**hidden, "file": good}).status_code == 403


def test_the_daily_reminders_cover_a_forwarded_recommendation_through_its_follow_up(
    contact: dict[str, Any], world: Any
) -> None:
    from councilportal.follow_ups.reminders import remind_follow_ups
    from councilportal.models import Notification

    rec = contact["recs"][0]
    _forward(rec)
    rec.refresh_from_db()
    follow_up = rec.follow_up
    assert follow_up is not None
    remind_follow_ups(follow_up.due_date + dt.timedelta(days=1))
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"follow-up:{follow_up.pk}:overdue" in keys


def test_an_imported_row_with_its_forwarding_and_answer_opens_the_follow_up(
    contact: dict[str, Any], world: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation
    from openpyxl import Workbook

    from councilportal.spreadsheets.importing import get_import_kind, run_import

    agency = contact["recs"][0].agency
    kind = get_import_kind("voter-recommendations")
    assert kind is not None
    values = {
        "council": world.province.code,
        "term_ordinal": 18,
        "session": 5,
        "content": "Đề nghị lắp đèn chiếu sáng đường xã",
        "agency": agency.name,
        "forwarded_on": "20/07/2023",
        "answer_reference": "77/UBND",
        "answered_on": "01/09/2023",
        "answer_summary": "Đã lắp đặt",
        "outcome": "Đã giải quyết",
    }
    book = Workbook()
    book.active.append([c.header for c in kind.columns])
    book.active.append([values.get(c.field, c.example) for c in kind.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("vi"):
        report = run_import(
            kind=kind,
            upload=SimpleUploadedFile("kien-nghi.xlsx", buffer.getvalue()),
            user=world.users["province_clerk"],
            dry_run=False,
        )
    assert not report.errors, [e.errors for e in report.errors]
    rec = VoterRecommendation.objects.get(content="Đề nghị lắp đèn chiếu sáng đường xã")
    follow_up = FollowUp.objects.of(rec).get()
    assert (follow_up.to_agency, follow_up.sent_on) == (agency, dt.date(2023, 7, 20))
    assert (follow_up.status, follow_up.closed_on) == ("done", dt.date(2023, 9, 1))
    assert rec.answer_reference == "77/UBND" and rec.outcome == "resolved"
