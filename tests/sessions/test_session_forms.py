"""Creating and editing a session: its number in the term is unique, it cannot close before it
opens; the forms say so and the database refuses it too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from councilportal.models import Term
from sessions.models import Session


def _form(world: Any, **changes: str) -> dict[str, Any]:
    term = Term.objects.get(council=world.province)
    data = {
        "council": world.province.pk,
        "term": term.pk,
        "ordinal": "4",
        "kind": "regular_mid",
        "title": "Kỳ họp giữa năm 2024",
        "planned_start": "10/07/2024",
        "planned_end": "12/07/2024",
        "venue": "Hội trường tỉnh",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_a_clerk_creates_a_session_with_dates_typed_dd_mm_yyyy(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    response = client.post(reverse("sessions:session-create"), _form(world))
    session = Session.objects.get(council=world.province, ordinal=4)
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert (session.planned_start, session.planned_end) == (
        dt.date(2024, 7, 10),
        dt.date(2024, 7, 12),
    )
    assert session.status == "planned"
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Kỳ họp thứ 4, Khóa XVII" in page and "10/07/2024" in page


def test_a_duplicate_session_number_in_a_term_is_a_form_error(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    response = client.post(reverse("sessions:session-create"), _form(world, ordinal="3"))
    assert response.status_code == 200
    assert "This term already has a session with this number." in response.content.decode()
    assert Session.objects.filter(council=world.province, ordinal=3).count() == 1


def test_the_database_refuses_a_duplicate_session_number(world: Any) -> None:
    term = Term.objects.get(council=world.province)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            council=world.province,
            term=term,
            ordinal=3,
            kind="thematic",
            planned_start=dt.date(2024, 3, 1),
            planned_end=dt.date(2024, 3, 1),
        )
    assert Session.objects.filter(term=term, ordinal=3).count() == 1


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"planned_start": "12/07/2024", "planned_end": "10/07/2024"}, "planned_end"),
        ({"actual_start": "12/07/2024", "actual_end": "11/07/2024"}, "actual_end"),
    ],
)
def test_closing_before_opening_is_a_form_error(
    world: Any, login: Any, changes: dict[str, str], field: str
) -> None:
    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    response = client.post(reverse("sessions:session-create"), _form(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "The closing cannot be before the opening." in response.content.decode()
    assert not Session.objects.filter(council=world.province, ordinal=4).exists()


@pytest.mark.parametrize(
    "dates",
    [
        {"planned_start": dt.date(2024, 7, 12), "planned_end": dt.date(2024, 7, 10)},
        {
            "planned_start": dt.date(2024, 7, 10),
            "planned_end": dt.date(2024, 7, 12),
            "actual_start": dt.date(2024, 7, 12),
            "actual_end": dt.date(2024, 7, 11),
        },
    ],
)
def test_the_database_refuses_a_session_closing_before_it_opens(
    world: Any, dates: dict[str, dt.date]
) -> None:
    term = Term.objects.get(council=world.province)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            council=world.province, term=term, ordinal=9, kind="thematic", **dates
        )
    assert not Session.objects.filter(term=term, ordinal=9).exists()


def test_a_session_outside_its_term_is_refused(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("sessions:session-create"),
        _form(world, planned_start="01/07/2026", planned_end="02/07/2026"),
    )
    assert response.status_code == 200
    assert "planned_start" in response.context["form"].errors
    assert not Session.objects.filter(council=world.province, ordinal=4).exists()
