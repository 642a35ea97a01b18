"""The sessions registers cost a fixed number of queries, and every sessions page keeps to the
council scoping: read below, write at home, nothing outside."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from councilportal.models import Attachment, Delegate, Term
from sessions import urls as session_urls
from sessions.models import (
    AgendaItem,
    ConfidenceVote,
    ElectronicVote,
    Meeting,
    Minutes,
    Session,
    Sitting,
    SpeakingRequest,
    Vote,
)
from supervision.models import Question, Questioning


def _add_sessions(world: Any, count: int) -> None:
    for council in (world.province, world.commune):
        term = Term.objects.get(council=council)
        Session.objects.bulk_create(
            Session(
                council=council,
                term=term,
                ordinal=100 + i,
                kind="thematic",
                title=f"Kỳ họp chuyên đề {i}",
                planned_start=dt.date(2022, 1, 1) + dt.timedelta(days=7 * i),
                planned_end=dt.date(2022, 1, 2) + dt.timedelta(days=7 * i),
            )
            for i in range(count)
        )


def _add_meetings(world: Any, count: int) -> None:
    for council in (world.province, world.commune):
        Meeting.objects.bulk_create(
            Meeting(
                council=council,
                kind="standing",
                title=f"Phiên họp Thường trực {i}",
                date=dt.date(2022, 1, 3) + dt.timedelta(days=7 * i),
            )
            for i in range(count)
        )


@pytest.mark.parametrize(
    "path,grow",
    [("sessions:session-list", _add_sessions), ("sessions:meeting-list", _add_meetings)],
)
@pytest.mark.parametrize("persona", ["province_clerk", "leader"])
def test_lists_make_a_constant_number_of_queries(
    world: Any,
    login: Any,
    path: str,
    grow: Any,
    persona: str,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(world.users[persona])
    client.get(reverse(path))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(path)).status_code == 200
    grow(world, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(path))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25  # a full page
    assert len(small.captured_queries) <= 10


def test_a_leader_reads_a_commune_session_but_cannot_change_it(world: Any, login: Any) -> None:
    session = world.own_objects[Session]
    client = login(world.users["leader"])
    page = client.get(reverse("sessions:session-detail", args=[session.pk]))
    assert page.status_code == 200 and "Kỳ họp P-C" in page.content.decode()
    assert client.get(reverse("sessions:session-update", args=[session.pk])).status_code == 403
    for name in ("session-advance", "item-create", "sitting-create"):
        assert client.post(reverse(f"sessions:{name}", args=[session.pk])).status_code == 403
    minutes = reverse("sessions:minutes-create")
    assert client.post(minutes, {"session": session.pk}).status_code == 403
    assert (
        client.post(
            reverse("sessions:item-up", args=[world.own_objects[AgendaItem].pk])
        ).status_code
        == 403
    )
    session.refresh_from_db()
    assert session.status == "planned"


def test_a_commune_clerk_does_not_see_the_province_session(world: Any, login: Any) -> None:
    session = Session.objects.get(council=world.province)
    client = login(world.users["commune_clerk"])
    assert client.get(reverse("sessions:session-detail", args=[session.pk])).status_code == 404
    listed = client.get(reverse("sessions:session-list")).content.decode()
    assert world.own_objects[Session].get_absolute_url() in listed
    assert session.get_absolute_url() not in listed


def _pk_patterns() -> list[URLPattern]:
    return [p for p in session_urls.urlpatterns if "pk" in p.pattern.converters]


def _model_of(pattern: URLPattern) -> Any:
    callback = pattern.callback
    return getattr(getattr(callback, "view_class", None), "model", None) or callback.model


def test_the_outsider_gets_404_on_every_sessions_page_of_the_world(world: Any, login: Any) -> None:
    councils = [world.province, world.commune]
    objects: dict[type, list[Any]] = {
        Session: list(Session.objects.filter(council__in=[world.province, world.commune])),
        Sitting: list(Sitting.objects.filter(session__council__in=[world.province, world.commune])),
        AgendaItem: list(
            AgendaItem.objects.filter(session__council__in=[world.province, world.commune])
        ),
        Vote: list(Vote.objects.filter(item__session__council__in=[world.province, world.commune])),
        ConfidenceVote: list(
            ConfidenceVote.objects.filter(session__council__in=[world.province, world.commune])
        ),
        Meeting: list(Meeting.objects.filter(council__in=[world.province, world.commune])),
        Minutes: list(Minutes.objects.filter(council__in=[world.province, world.commune])),
        # The paperless session (issue 19).
        ElectronicVote: list(ElectronicVote.objects.filter(item__session__council__in=councils)),
        SpeakingRequest: list(SpeakingRequest.objects.filter(item__session__council__in=councils)),
        Attachment: list(Attachment.objects.filter(council__in=councils)),
        Delegate: list(Delegate.objects.filter(term__council__in=councils)),
        Questioning: list(Questioning.objects.filter(council__in=councils)),
        Question: list(Question.objects.filter(questioning__council__in=councils)),
    }
    client = login(world.users["outsider"])
    checked = 0
    for pattern in _pk_patterns():
        for obj in objects[_model_of(pattern)]:
            # A URL with more than the pk (the minutes' step) gets a valid value for the rest.
            extra = {"step": "review"} if "step" in pattern.pattern.converters else {}
            url = reverse(f"sessions:{pattern.name}", kwargs={"pk": obj.pk, **extra})
            codes = {client.get(url).status_code, client.post(url).status_code}
            # 405 only for the method a view does not take; the other one is 404.
            assert 404 in codes and codes <= {404, 405}, (url, codes)
            checked += 1
    assert checked >= 2 * len(_pk_patterns())
