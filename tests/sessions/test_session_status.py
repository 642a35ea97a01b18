"""A session's status follows what happened, and its dates read right for a one-day session
(issue 14.9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from sessions.models import SessionStatus, Sitting
from sessions.services import attendance_record, vote_record

from .. import factories as f
from .conftest import OPENING, assembly
from .test_documents import _text


def _clerk(client: Any, council: Any) -> None:
    clerk = f.UserFactory(username="clerk-status")
    f.RoleFactory(user=clerk, council=council, role="clerk")
    client.force_login(clerk)


def test_recording_attendance_moves_a_planned_session_to_in_progress(db: Any) -> None:
    council = assembly(3)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    attendance_record(sitting=sitting, rows={d.pk: ("present", "") for d in council.delegates})
    council.session.refresh_from_db()
    assert council.session.status == SessionStatus.IN_PROGRESS
    assert council.session.actual_start == OPENING


def test_recording_a_vote_moves_a_planned_session_to_in_progress(db: Any) -> None:
    council = assembly(3)
    vote_record(
        item=council.item,
        subject="Nghị quyết",
        majority="vote.ordinary",
        held_on=OPENING,
        votes_for=2,
    )
    council.session.refresh_from_db()
    assert council.session.status == SessionStatus.IN_PROGRESS


def test_entering_the_dates_held_moves_the_session_along_and_the_page_says_so(
    db: Any, client: Any
) -> None:
    council = assembly(3)
    session = council.session
    _clerk(client, council.council)
    client.cookies["django_language"] = "vi"
    url = reverse("sessions:session-update", args=[session.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {
        "council": council.council.pk,
        "term": council.term.pk,
        "planned_start": "07/12/2023",
        "planned_end": "09/12/2023",
        "actual_start": "07/12/2023",
        "actual_end": "08/12/2023",
        "is_public": "on",
    }
    for key in ("record_stamp",):
        if key in form.initial:
            data[key] = form.initial[key]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'data-status="in_progress"' in page
    assert "Dự kiến</span>" not in page


def test_a_one_day_session_reads_as_one_day_on_the_page_and_in_the_documents(
    db: Any, client: Any, media: Path
) -> None:
    council = assembly(3)
    session = council.session
    session.planned_start = session.planned_end = dt.date(2023, 12, 7)
    session.save()
    _clerk(client, council.council)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "07/12/2023 – 07/12/2023" not in page
    for kind in ("sessions.minutes", "sessions.report", "sessions.agenda"):
        document = document_request(kind=kind, source=session, by=None)
        document_render(document_id=document.pk)
        text = _text(document)
        assert "ngày 07/12/2023" in text, kind
        assert "từ ngày 07/12/2023 đến ngày 07/12/2023" not in text, kind
    # A session over several days keeps its range.
    session.planned_end = dt.date(2023, 12, 9)
    session.save()
    document = document_request(kind="sessions.agenda", source=session, by=None, force_new=True)
    document_render(document_id=document.pk)
    assert "từ ngày 07/12/2023 đến ngày 09/12/2023" in _text(document)
