"""The access matrix (test_access_matrix.py), its lists and forms: every URL without a record,
for every persona with queries naming a foreign council; the admin; the agency personas."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, reverse

from agencies.middleware import AGENCY_PAGES

from .. import conftest
from .test_access_matrix import (
    OBJECT_PATTERNS,
    PLAIN_PATTERNS,
    _model_of,
    _secret_words,
    object_url,
)


@pytest.fixture
def world(shared_world: Any, db: Any) -> Any:
    """The matrix only reads the world: built once for the module (tests/conftest.py)."""
    return shared_world


@pytest.fixture
def login(shared_login: Any) -> Any:
    """Each persona's client, logged in once for the module (tests/conftest.py)."""
    return shared_login


@pytest.mark.parametrize("name,route,pattern", PLAIN_PATTERNS, ids=[p[0] for p in PLAIN_PATTERNS])
def test_lists_and_forms_never_show_foreign_councils(
    world: Any, login: Any, name: str, route: str, pattern: URLPattern
) -> None:
    url = reverse(name)
    for persona in conftest.PERSONA_NAMES:
        client = login(world.users[persona])
        for query in ("", "?q=Bi+Mat", "?q=Kín", f"?council={world.foreign.pk}"):
            response = client.get(url + query)
            status = response.status_code
            allowed: tuple[int, ...] = (200, 403, 405)
            if persona in conftest.AGENCY_PERSONAS and name not in AGENCY_PAGES:
                # An agency user sees the agency workspace only (home leads there).
                allowed = (302,) if name == "home" else (404,)
            assert status in allowed, (persona, url + query, status)
            body = response.content.decode()
            for word in _secret_words(world):
                assert word not in body, (persona, url + query, word)


@pytest.mark.parametrize("name,route,pattern", PLAIN_PATTERNS, ids=[p[0] for p in PLAIN_PATTERNS])
def test_anonymous_is_sent_to_login_for_lists(
    world: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", conftest.PERSONA_NAMES)
def test_the_admin_is_closed_to_every_persona(world: Any, login: Any, persona: str) -> None:
    client = login(world.users[persona])
    for model in admin.site._registry:
        if model not in world.foreign_objects:
            continue
        opts = model._meta
        obj = world.foreign_objects[model]
        for url in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/admin/login/" in response.url


# agency personas: every page of the portal outside the agency workspace is a 404 for them, with
# the records of their own province (not only a foreign one's), and the home page leads to the
# workspace.
@pytest.mark.parametrize("persona", conftest.AGENCY_PERSONAS)
def test_an_agency_user_gets_404_for_every_council_page(
    world: Any, login: Any, persona: str
) -> None:
    from councilportal.models import FollowUp

    client = login(world.users[persona])
    assert client.get(reverse("home")).url == reverse("agencies:inbox")
    checked = 0
    for name, _route, _pattern in PLAIN_PATTERNS:
        if name in AGENCY_PAGES or name == "home":
            continue
        assert client.get(reverse(name)).status_code == 404, (persona, name)
        checked += 1
    for name, route, pattern in OBJECT_PATTERNS:
        if name in AGENCY_PAGES:
            continue
        model = _model_of(pattern)
        # A record of the province's own world when the model has one (the commune's records).
        obj = world.own_objects.get(model)
        if obj is None:
            continue
        url = object_url(name, pattern, obj.pk, route)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status == 404, (persona, method, url, status)
        checked += 1
    # The items of their agencies are not reachable through the council's follow-up page.
    own = FollowUp.objects.filter(to_agency__name="Sở Xây dựng Phố Núi").first()
    assert own is not None
    assert client.get(reverse("core:follow-up-detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("agencies:item-detail", args=[own.pk])).status_code == 200
    assert checked > 100


def test_an_agency_head_reads_the_agencies_below_and_the_officer_only_their_own(
    world: Any, login: Any
) -> None:
    from councilportal.models import FollowUp

    own = FollowUp.objects.get(to_agency__name="Sở Xây dựng Phố Núi")
    other = FollowUp.objects.get(content="Việc gửi cơ quan P-C")
    for persona in conftest.AGENCY_PERSONAS:
        client = login(world.users[persona])
        inbox = client.get(reverse("agencies:inbox")).content.decode()
        assert own.content in inbox and other.content not in inbox, persona
        assert client.get(reverse("agencies:item-detail", args=[other.pk])).status_code == 404
    # The head of the parent agency reads the department's item but does not answer it.
    head = login(world.users["agency_head"])
    page = head.get(reverse("agencies:item-detail", args=[own.pk])).content.decode()
    assert "Sở Xây dựng Phố Núi" in page and 'name="action" value="answer"' not in page
    officer = login(world.users["agency_officer"])
    page = officer.get(reverse("agencies:item-detail", args=[own.pk])).content.decode()
    assert "Trả lời của cơ quan P" in page
