"""Every supervision page renders for a clerk of the council, and the registers cost a fixed
number of queries however many rows they show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from supervision import services
from supervision import urls as supervision_urls
from supervision.models import Activity, Programme, ProgrammeItem, Question, Questioning

PAGES = [p for p in supervision_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.mark.parametrize("pattern", PAGES, ids=[p.name for p in PAGES])
def test_every_page_renders_for_the_councils_clerk(
    world: Any, login: Any, pattern: URLPattern
) -> None:
    client = login(world.users["commune_clerk"])
    name = f"supervision:{pattern.name}"
    if pattern.pattern.converters:
        model = getattr(pattern.callback, "model", None) or pattern.callback.view_class.model
        obj = world.own_objects[model]
        url = reverse(name, kwargs={"pk": obj.pk})
    else:
        url = reverse(name)
    response = client.get(url)
    # 405: POST-only actions; 302: a GET on an action redirects back.
    assert response.status_code in (200, 302, 405), (url, response.status_code)
    if response.status_code == 200:
        assert "Bí Mật" not in response.content.decode()


def _grow(world: Any, count: int, start: int) -> None:
    from councilportal.models import Agency, Delegate, Organ
    from sessions.models import Session

    council = world.commune
    organ = Organ.objects.filter(council=council).first()
    delegate = Delegate.objects.filter(term__council=council).first()
    agency = Agency.objects.filter(council=council).first()
    session = Session.objects.filter(council=council).first()
    assert agency is not None and delegate is not None and session is not None
    for i in range(start, start + count):
        programme = Programme.objects.create(
            council=council, owner="council", year=2030 + i, title=f"Chương trình {i}"
        )
        ProgrammeItem.objects.create(
            programme=programme,
            topic=f"Nội dung {i}",
            form="thematic",
            planned_start=dt.date(2030 + i, 3, 1),
            planned_end=dt.date(2030 + i, 4, 1),
        )
        activity = Activity.objects.create(
            council=council,
            title=f"Giám sát {i}",
            form="thematic",
            organ=organ,
            decision_date=dt.date(2023, 3, 6) + dt.timedelta(days=30 * i) if i % 2 else None,
        )
        services.milestones_plan(activity)
        questioning = Questioning.objects.create(
            council=council, kind="written", held_on=dt.date(2023, 5, 1), title=f"Chất vấn {i}"
        )
        question = Question.objects.create(
            questioning=questioning,
            delegate=delegate,
            respondent="Giám đốc Sở",
            mode="written",
            asked_on=dt.date(2023, 5, 1),
            content=f"Câu hỏi {i}",
        )
        services.recommendations_add(
            source=question,
            agencies=[agency],
            content=f"Cam kết {i}",
            issued_on=dt.date(2023, 5, 2),
            due=dt.date(2023, 7, 1),
        )
        services.recommendations_add(
            source=activity,
            agencies=[agency],
            content=f"Kiến nghị {i}",
            issued_on=dt.date(2023, 1, 1),
            due=dt.date(2023, 2, 1) if i % 2 else dt.date(2100, 1, 1),
        )


@pytest.mark.parametrize(
    "name",
    [
        "supervision:programme-list",
        "supervision:activity-list",
        "supervision:recommendation-list",
        "supervision:recommendation-overdue",
        "supervision:questioning-list",
        "supervision:explanation-list",
    ],
)
def test_registers_make_a_constant_number_of_queries(
    world: Any, login: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    client = login(world.users["province_clerk"])
    url = reverse(name)
    _grow(world, 2, start=0)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 12, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
