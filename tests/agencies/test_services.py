"""The agency workspace's services and pages: answer, return, accept, extension accepted and
refused, immutability once accepted, who may do what, and who is told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyAnswer, AnswerFrozen, AnswerState, ExtensionState
from agencies.services import (
    agency_answer_accept,
    agency_answer_return,
    agency_answer_submit,
    extension_accept,
    extension_refuse,
    extension_request,
)
from councilportal.models import Attachment, FollowUpStatus, Notification

from .. import factories as f

SENT, DUE = dt.date(2024, 3, 1), dt.date(2024, 3, 15)
PDF = b"%PDF-1.4 cong van tra loi\n%%EOF"


def _answer(office: Any, item: Any, **kw: Any) -> AgencyAnswer:
    values = {"text": "Đã giải quyết xong", "proposed_status": "done", "on": dt.date(2024, 3, 10)}
    values.update(kw)
    return agency_answer_submit(follow_up=item, by=office.officer, **values)


def test_an_accepted_answer_is_recorded_as_if_the_clerk_had_typed_it(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    answer = _answer(
        office, item, reply_reference="12/UBND-TNMT", reply_date=dt.date(2024, 3, 9), progress=100
    )
    assert answer.state == AnswerState.SUBMITTED and answer.submitted_by == office.officer
    recorded = agency_answer_accept(answer=answer, by=office.clerk)
    item.refresh_from_db()
    answer.refresh_from_db()
    assert recorded.received_on == dt.date(2024, 3, 10)
    assert recorded.reference == "12/UBND-TNMT" and recorded.recorded_by == office.clerk
    assert "Đã giải quyết xong" in recorded.content
    assert item.status == FollowUpStatus.DONE and item.progress == 100
    assert item.closed_on == dt.date(2024, 3, 10)
    assert answer.state == AnswerState.ACCEPTED and answer.follow_up_answer == recorded


def test_an_accepted_answer_cannot_be_changed_or_decided_again(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    answer = _answer(office, item, proposed_status="partly_done", progress=40)
    agency_answer_accept(answer=answer, by=office.clerk)
    answer.refresh_from_db()
    with pytest.raises(ValidationError):
        agency_answer_accept(answer=answer, by=office.clerk)
    with pytest.raises(ValidationError):
        agency_answer_return(answer=answer, by=office.clerk, reason="Sai")
    answer.text = "Sửa lại"
    with pytest.raises(AnswerFrozen):
        answer.save()
    # The database holds it too: an accepted answer without its recorded answer is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyAnswer.objects.filter(pk=answer.pk).update(follow_up_answer=None)


def test_a_returned_answer_carries_its_reason_and_the_agency_answers_again(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    answer = _answer(office, item)
    with pytest.raises(ValidationError):
        _answer(office, item)  # one answer awaits the council at a time
    with pytest.raises(ValidationError):
        agency_answer_return(answer=answer, by=office.clerk, reason="  ")
    agency_answer_return(answer=answer, by=office.clerk, reason="Thiếu số liệu")
    answer.refresh_from_db()
    assert answer.state == AnswerState.RETURNED and answer.return_reason == "Thiếu số liệu"
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN and not item.answers.exists()
    told = Notification.objects.get(user=office.officer, key=f"agency-answer:{answer.pk}:returned")
    assert "Thiếu số liệu" in told.title and told.link.startswith("/agency/items/")
    _answer(office, item, text="Bổ sung số liệu")  # a new answer is accepted into the queue
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyAnswer.objects.filter(pk=answer.pk).update(return_reason="")


def test_cannot_be_resolved_needs_a_reason(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    with pytest.raises(ValidationError):
        _answer(office, item, proposed_status="cannot")
    answer = _answer(office, item, proposed_status="cannot", cannot_reason="Ngoài thẩm quyền")
    recorded = agency_answer_accept(answer=answer, by=office.clerk)
    assert "Ngoài thẩm quyền" in recorded.content
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN


def test_only_the_addressed_agency_answers_and_only_the_council_decides(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    with pytest.raises(PermissionDenied):
        agency_answer_submit(follow_up=item, by=office.head, text="x", proposed_status="done")
    with pytest.raises(PermissionDenied):
        agency_answer_submit(follow_up=item, by=office.clerk, text="x", proposed_status="done")
    answer = _answer(office, item)
    stranger = f.UserFactory(username="clerk.elsewhere")
    f.RoleFactory(user=stranger, council=f.CouncilFactory(code="XX"), role="clerk")
    with pytest.raises(PermissionDenied):
        agency_answer_accept(answer=answer, by=stranger)
    with pytest.raises(PermissionDenied):
        agency_answer_accept(answer=answer, by=office.officer)


def test_the_council_is_told_of_a_new_answer_and_a_request_for_time(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    answer = _answer(office, item)
    request = extension_request(
        follow_up=item,
        by=office.officer,
        reason="Chờ kết quả giám định",
        proposed_date=DUE.replace(day=30),
    )
    keys = set(Notification.objects.filter(user=office.clerk).values_list("key", flat=True))
    assert {f"agency-answer:{answer.pk}:new", f"agency-extension:{request.pk}:new"} <= keys


def test_an_accepted_extension_moves_and_explains_the_due_date(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    item.due_rule, item.due_start = "petition.answer.complaint", SENT
    item.save()
    with pytest.raises(ValidationError):
        extension_request(follow_up=item, by=office.officer, reason="x", proposed_date=DUE)
    request = extension_request(
        follow_up=item,
        by=office.officer,
        reason="Cần thêm thời gian",
        proposed_date=dt.date(2024, 4, 13),
    )
    # 13/04/2024 is a Saturday: the new due date rolls to the next working day.
    extension_accept(request=request, by=office.clerk, on=dt.date(2024, 3, 14))
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.due_date == dt.date(2024, 4, 15)
    assert item.due_rule == "" and item.due_start is None  # a calendar change leaves it be
    assert "15/03/2024" in item.due_explanation and "15/04/2024" in item.due_explanation
    assert "13/04/2024" in item.due_explanation  # the day asked for, a Saturday, is named
    assert (request.state, request.old_due, request.new_due) == (
        ExtensionState.ACCEPTED,
        DUE,
        dt.date(2024, 4, 15),
    )
    with pytest.raises(ValidationError):
        extension_refuse(request=request, by=office.clerk, note="Muộn")


def test_a_refused_extension_keeps_the_due_date_and_tells_the_agency(office: Any) -> None:
    item = office.item(sent=SENT, due=DUE)
    request = extension_request(
        follow_up=item, by=office.officer, reason="Bận", proposed_date=dt.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError):
        extension_refuse(request=request, by=office.clerk, note="")
    extension_refuse(request=request, by=office.clerk, note="Lý do chưa thuyết phục")
    item.refresh_from_db()
    assert item.due_date == DUE
    assert Notification.objects.filter(
        user=office.officer, key=f"agency-extension:{request.pk}:refused"
    ).exists()


def test_the_answer_page_takes_a_checked_file_and_refuses_a_disguised_one(
    office: Any, client: Any, media: Any
) -> None:
    item = office.item(sent=SENT, due=dt.date(2100, 1, 1))
    client.force_login(office.officer)
    url = reverse("agencies:item-detail", args=[item.pk])
    fake = SimpleUploadedFile("tra-loi.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        url,
        {
            "action": "answer",
            "answer-text": "Trả lời kèm công văn",
            "answer-progress": "100",
            "answer-proposed_status": "done",
            "answer-file": fake,
        },
    )
    assert response.status_code == 200 and not AgencyAnswer.objects.exists()
    assert "PDF" in response.content.decode()
    real = SimpleUploadedFile("tra-loi.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url,
        {
            "action": "answer",
            "answer-text": "Trả lời kèm công văn",
            "answer-reply_reference": "45/STNMT",
            "answer-reply_date": "01/03/2024",
            "answer-progress": "100",
            "answer-proposed_status": "done",
            "answer-file": real,
        },
    )
    assert response.status_code == 302
    answer = AgencyAnswer.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.owner_id == answer.pk and attachment.council == office.council
    download = client.get(reverse("agencies:answer-file", args=[answer.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # The clerk downloads it through the core's access-checked view.
    client.force_login(office.clerk)
    download = client.get(reverse("core:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200


def test_the_clerk_accepts_and_returns_from_the_queue(office: Any, client: Any) -> None:
    first = office.item(sent=SENT, due=DUE, content="Việc thứ nhất")
    second = office.item(sent=SENT, due=DUE, content="Việc thứ hai")
    a1, a2 = _answer(office, first), _answer(office, second)
    client.force_login(office.clerk)
    page = client.get(reverse("agencies:queue")).content.decode()
    assert "Việc thứ nhất" in page and "Việc thứ hai" in page
    client.post(
        reverse("agencies:answer-decide", args=[a1.pk]), {"action": "accept", "status": "done"}
    )
    client.post(
        reverse("agencies:answer-decide", args=[a2.pk]), {"action": "return", "reason": "Chưa rõ"}
    )
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.state, a2.state) == (AnswerState.ACCEPTED, AnswerState.RETURNED)
    # The officer cannot reach the queue nor decide.
    client.force_login(office.officer)
    assert client.get(reverse("agencies:queue")).status_code == 404
    response = client.post(reverse("agencies:answer-decide", args=[a2.pk]), {"action": "accept"})
    assert response.status_code == 404


def test_the_inbox_sorts_overdue_first_filters_and_exports(office: Any, client: Any) -> None:
    office.item(sent=SENT, due=dt.date(2100, 1, 1), content="Việc còn hạn")
    office.item(sent=SENT, due=dt.date(2024, 3, 5), content="Việc quá hạn")
    client.force_login(office.officer)
    page = client.get(reverse("agencies:inbox")).content.decode()
    assert page.index("Việc quá hạn") < page.index("Việc còn hạn")
    page = client.get(reverse("agencies:inbox") + "?status=overdue").content.decode()
    assert "Việc quá hạn" in page and "Việc còn hạn" not in page
    response = client.get(reverse("agencies:inbox") + "?export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    # The head of the parent agency reads the department's items too.
    client.force_login(office.head)
    assert "Việc quá hạn" in client.get(reverse("agencies:inbox")).content.decode()


def test_the_responsiveness_page_the_dashboard_and_the_export_count_the_same(
    office: Any, client: Any
) -> None:
    from councilportal.dashboard.board import Period, build_dashboard

    today = timezone.localdate()
    on_time = office.item(sent=today - dt.timedelta(days=20), due=today - dt.timedelta(days=5))
    late = office.item(sent=today - dt.timedelta(days=20), due=today - dt.timedelta(days=10))
    office.item(sent=today - dt.timedelta(days=20), due=today - dt.timedelta(days=1))  # overdue
    for item, day in (
        (on_time, today - dt.timedelta(days=5)),
        (late, today - dt.timedelta(days=9)),
    ):
        agency_answer_accept(answer=_answer(office, item, on=day), by=office.clerk)
    client.force_login(office.clerk)
    url = reverse("agencies:responsiveness")
    page = client.get(url).content.decode()
    row = page[page.index(f'data-agency="{office.department.pk}"') :]
    for column, value in (("received", 3), ("on_time", 1), ("late", 1), ("overdue", 1)):
        cell = row[row.index(f'data-col="{column}"') :]
        assert cell[cell.index(">") + 1 :].strip().startswith(str(value)), column
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    board = build_dashboard(
        root=office.council,
        include_below=True,
        period=Period(today - dt.timedelta(days=30), today),
        user=office.clerk,
        only=["agencies"],
    )
    (result,) = board.results
    figures = {f.key: f.value for f in result.figures}
    assert figures == {"received": 3, "on_time": 1, "late": 1, "overdue_unanswered": 1}
    assert result.table_rows[0][:5] == ["Sở Tài nguyên", 3, 1, 1, 1]
    # A period that ends before the items were sent counts none of them.
    empty = client.get(
        url,
        {
            "council": office.council.pk,
            "date_from": "01/01/2020",
            "date_to": "31/12/2020",
        },
    ).content.decode()
    assert f'data-agency="{office.department.pk}"' not in empty


def test_the_agency_is_told_of_a_new_item_and_by_the_daily_job_once_per_threshold(
    office: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from agencies.reminders import remind_agencies
    from councilportal.follow_ups.services import follow_up_open

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        item = follow_up_open(
            source=office.term,
            council=office.council,
            to=office.department,
            content="Báo cáo tiến độ giải phóng mặt bằng",
            sent_on=today - dt.timedelta(days=10),
            due=today - dt.timedelta(days=1),
        )
    new = Notification.objects.get(user=office.officer, key=f"agency-item:{item.pk}:new")
    assert new.link == reverse("agencies:item-detail", args=[item.pk])
    assert any("Báo cáo tiến độ" in m.subject for m in mail.outbox)
    assert remind_agencies(today) == 1  # the officer: overdue
    assert remind_agencies(today) == 0  # once per threshold
    overdue = Notification.objects.get(user=office.officer, key=f"agency-item:{item.pk}:overdue")
    assert overdue.link == reverse("agencies:item-detail", args=[item.pk])
    # The head of the parent agency is not a member of the department: not reminded.
    assert not Notification.objects.filter(user=office.head).exists()
