"""Liaison meetings (giao ban) of the province's Standing Committee: the tasks it assigns to the
councils below, their deadlines, and which are overdue."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from councilportal.models import FollowUp, GeneratedDocument, Organ
from sessions.documents import MEETING_MINUTES
from sessions.models import Meeting
from sessions.services import meeting_task_add

from ..pdftools import pdf_text

MEETING_DAY = dt.date(2023, 3, 1)


def _meeting(world: Any) -> Meeting:
    meeting = Meeting.objects.get(council=world.province)
    assert (meeting.kind, meeting.date) == ("liaison", MEETING_DAY)
    return meeting


def _task(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "content": "Báo cáo kết quả giám sát chuyên đề về đất đai",
        "to_council": world.commune.pk,
        "to_organ": "",
        "to_agency": "",
        "due_date": "31/03/2023",
    }
    data.update(changes)
    return data


def test_the_clerk_assigns_a_task_to_a_council_below(world: Any, login: Any) -> None:
    meeting = _meeting(world)
    client = login(world.users["province_clerk"])
    url = reverse("sessions:meeting-task-create", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _task(world))
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url() + "#tasks"
    task = meeting.tasks().get()
    assert task.to_council == world.commune and task.council == world.province
    assert (task.sent_on, task.due_date, task.status) == (
        MEETING_DAY,
        dt.date(2023, 3, 31),
        "open",
    )
    assert "01/03/2023" in task.due_explanation
    organ = Organ.objects.get(council=world.province)
    response = client.post(
        url, _task(world, to_council="", to_organ=organ.pk, due_date="01/03/2023")
    )
    assert response.status_code == 302  # a deadline on the meeting day itself is allowed
    assert meeting.tasks().count() == 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Báo cáo kết quả giám sát chuyên đề về đất đai" in page
    assert world.commune.name in page


def test_a_task_without_addressee_is_refused(world: Any, login: Any) -> None:
    meeting = _meeting(world)
    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("sessions:meeting-task-create", args=[meeting.pk]), _task(world, to_council="")
    )
    assert response.status_code == 200
    assert "Name who the task is assigned to." in response.content.decode()
    assert not meeting.tasks().exists()
    with pytest.raises(ValidationError):
        meeting_task_add(meeting=meeting, content="Không ai nhận", due_date=dt.date(2023, 4, 1))
    assert not FollowUp.objects.filter(content="Không ai nhận").exists()


def test_a_deadline_before_the_meeting_is_refused(world: Any, login: Any) -> None:
    meeting = _meeting(world)
    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("sessions:meeting-task-create", args=[meeting.pk]),
        _task(world, due_date="28/02/2023"),
    )
    assert response.status_code == 200
    assert "due_date" in response.context["form"].errors
    assert "The deadline cannot be before the meeting." in response.content.decode()
    assert not meeting.tasks().exists()
    with pytest.raises(ValidationError):
        meeting_task_add(
            meeting=meeting,
            content="Hạn trước ngày họp",
            due_date=dt.date(2023, 2, 28),
            to_council=world.commune,
        )
    assert not meeting.tasks().exists()


def test_a_commune_clerk_cannot_assign_tasks_at_the_province_meeting(
    world: Any, login: Any
) -> None:
    meeting = _meeting(world)
    client = login(world.users["commune_clerk"])
    response = client.post(reverse("sessions:meeting-task-create", args=[meeting.pk]), _task(world))
    assert response.status_code == 404
    assert not meeting.tasks().exists()


def test_open_tasks_past_their_deadline_are_overdue(world: Any, login: Any) -> None:
    meeting = _meeting(world)
    late = meeting_task_add(
        meeting=meeting,
        content="Tổng hợp kiến nghị cử tri",
        due_date=dt.date(2023, 3, 31),
        to_council=world.commune,
    )
    done = meeting_task_add(
        meeting=meeting,
        content="Báo cáo kỳ họp chuyên đề",
        due_date=dt.date(2023, 3, 31),
        to_council=world.commune,
    )
    done.status = "done"
    done.closed_on = dt.date(2023, 3, 20)
    done.save()
    future = meeting_task_add(
        meeting=meeting,
        content="Chuẩn bị kỳ họp năm 2100",
        due_date=dt.date(2100, 1, 1),
        to_council=world.commune,
    )
    assert late.is_overdue() is True
    assert late.is_overdue(on=dt.date(2023, 3, 31)) is False  # due that very day
    assert late.is_overdue(on=dt.date(2023, 4, 1)) is True
    assert done.is_overdue() is False
    assert future.is_overdue() is False
    assert list(FollowUp.objects.overdue().filter(source_id=meeting.pk)) == [late]

    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count(">overdue</span>") == 1
    row = page[page.index("Tổng hợp kiến nghị cử tri") :].split("</tr>")[0]
    assert "overdue" in row


def test_the_meeting_minutes_list_the_tasks(
    world: Any,
    login: Any,
    media: Path,
    eager_jobs: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting = _meeting(world)
    meeting_task_add(
        meeting=meeting,
        content="Tổng hợp kiến nghị cử tri",
        due_date=dt.date(2023, 3, 31),
        to_council=world.commune,
    )
    client = login(world.users["province_clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sessions:minutes-create"), {"meeting": meeting.pk})
    document = GeneratedDocument.objects.get(kind=MEETING_MINUTES.key)
    assert response.status_code == 302
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        text = " ".join(unicodedata.normalize("NFC", pdf_text(handle.read())).split())
    assert "BIÊN BẢN" in text
    assert "Tổng hợp kiến nghị cử tri" in text


def test_a_clerk_records_an_answer_and_closes_a_meeting_task(world: Any, login: Any) -> None:
    meeting = Meeting.objects.get(council=world.province)
    task = FollowUp.objects.create(
        council=world.province,
        source_type=ContentType.objects.get_for_model(Meeting),
        source_id=meeting.pk,
        content="Báo cáo kết quả giám sát đơn thư",
        to_council=world.commune,
        sent_on=meeting.date,
        due_date=meeting.date + dt.timedelta(days=30),
    )
    assert task.is_overdue()
    client = login(world.users["province_clerk"])
    url = reverse("core:follow-up-detail", args=[task.pk])
    refused = client.post(
        url,
        {"received_on": "01/01/2020", "content": "Sớm quá", "progress": 10, "status": "open"},
    )
    assert refused.status_code == 200 and not task.answers.exists()
    response = client.post(
        url,
        {
            "received_on": "10/04/2023",
            "reference": "15/BC-HĐND",
            "content": "Đã hoàn thành giám sát, gửi báo cáo.",
            "progress": 80,
            "status": "done",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress, task.closed_on) == ("done", 100, dt.date(2023, 4, 10))
    assert not task.is_overdue()
    assert login(world.users["delegate"]).post(url, {}).status_code == 403
    assert login(world.users["outsider"]).get(url).status_code == 404
