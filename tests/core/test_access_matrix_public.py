"""The access matrix (test_access_matrix.py) for what is public by design: the public portal's
pages (issue 20) and the OParl API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from .. import conftest
from .test_access_matrix import (
    OPARL,
    OPARL_OBJECT_PATTERNS,
    OPARL_PLAIN_PATTERNS,
    PATTERNS,
    PUBLIC_OBJECT_PATTERNS,
    PUBLIC_PLAIN_PATTERNS,
    PUBLIC_SECTIONED,
    _is_public_page,
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


def _set_public(obj: Any, public: bool) -> None:
    """Make a record public or not: its `published` flag; a council exists or was merged away."""
    import datetime as dt

    from django.core.cache import cache

    model = type(obj)
    if hasattr(obj, "published"):
        model.objects.filter(pk=obj.pk).update(published=public)
    elif hasattr(obj, "valid_to"):
        model.objects.filter(pk=obj.pk).update(
            valid_from=None, valid_to=None if public else dt.date(2020, 1, 1)
        )
    if hasattr(obj, "is_public"):
        model.objects.filter(pk=obj.pk).update(is_public=True)
    cache.clear()
    assert model.objects.public().filter(pk=obj.pk).exists() == public, (model, public)


def _withdraw_foreign(world: Any) -> None:
    for council in (world.foreign, world.foreign_objects[type(world.foreign)]):
        _set_public(council, False)


def test_the_public_block_knows_every_public_url() -> None:
    public = [p for p in PATTERNS if _is_public_page(p[2])]
    known = {*PUBLIC_OBJECT_PATTERNS, *PUBLIC_PLAIN_PATTERNS, *PUBLIC_SECTIONED}
    assert [p[0] for p in public if p not in known] == []
    assert all(_model_of(p[2]) is not None for p in PUBLIC_OBJECT_PATTERNS)
    assert len(PUBLIC_OBJECT_PATTERNS) >= 10


@pytest.mark.parametrize(
    "name,route,pattern", PUBLIC_OBJECT_PATTERNS, ids=[p[0] for p in PUBLIC_OBJECT_PATTERNS]
)
def test_a_public_page_of_a_record_not_public_is_a_404_for_everyone(
    world: Any, login: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    obj = world.foreign_objects[_model_of(pattern)]
    _set_public(obj, False)
    url = reverse(name, kwargs={"pk": obj.pk})
    visitors = [("anonymous", client)]
    for persona in conftest.PERSONA_NAMES:
        from django.test import Client

        visitors.append((persona, conftest.log_in(Client(), world.users[persona])))
    for persona, visitor in visitors:
        for method in ("get", "post"):
            response = getattr(visitor, method)(url)
            assert response.status_code in (404, 405), (persona, method, url, response.status_code)
            body = response.content.decode()
            for word in _secret_words(world):
                assert word not in body, (persona, method, url, word)


@pytest.mark.parametrize(
    "name,route,pattern", PUBLIC_OBJECT_PATTERNS, ids=[p[0] for p in PUBLIC_OBJECT_PATTERNS]
)
def test_a_public_page_of_a_public_record_is_open_to_anonymous(
    world: Any, client: Any, media: Any, name: str, route: str, pattern: URLPattern
) -> None:
    obj = world.foreign_objects[_model_of(pattern)]
    if hasattr(obj, "encrypted"):  # a file: a real one, of a public owner
        import io

        obj.file.save("public.pdf", io.BytesIO(b"%PDF-1.4 public"), save=True)
        owner = obj.owner_type.get_object_for_this_type(pk=obj.owner_id)
        _set_public(owner, True)
        _set_public(owner.session, True)
    for council in (world.foreign, world.foreign_objects[type(world.foreign)]):
        _set_public(council, True)
    _set_public(obj, True)
    response = client.get(reverse(name, kwargs={"pk": obj.pk}))
    assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize(
    "name,route,pattern", PUBLIC_PLAIN_PATTERNS, ids=[p[0] for p in PUBLIC_PLAIN_PATTERNS]
)
def test_the_plain_public_pages_show_nothing_of_councils_not_public(
    world: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    from django.test import Client

    _withdraw_foreign(world)
    visitors = [("anonymous", client)] + [
        (persona, conftest.log_in(Client(), world.users[persona]))
        for persona in conftest.PERSONA_NAMES
    ]
    for persona, visitor in visitors:
        for query in ("", "?q=Bi+Mat", "?q=Kín", "?q=F-C", f"?council={world.foreign.pk}"):
            response = visitor.get(reverse(name) + query)
            assert response.status_code in (200, 302), (persona, name, query)
            body = response.content.decode()
            for word in _secret_words(world):
                assert word not in body.split("</form>", 1)[-1], (persona, name, query, word)


def test_the_public_sitemap_sections_name_no_record_not_public(world: Any, client: Any) -> None:
    _withdraw_foreign(world)
    for obj in world.foreign_objects.values():
        if hasattr(obj, "published"):
            _set_public(obj, False)
    (name, _route, _pattern), *_ = PUBLIC_SECTIONED
    from public.sitemaps import SITEMAPS

    for section in SITEMAPS:
        body = client.get(reverse(name, kwargs={"section": section})).content.decode()
        for model, obj in world.foreign_objects.items():
            for public_name, _r, pattern in PUBLIC_OBJECT_PATTERNS:
                if _model_of(pattern) is model:
                    assert reverse(public_name, kwargs={"pk": obj.pk}) not in body


@pytest.mark.parametrize(
    "name,route,pattern", OPARL_OBJECT_PATTERNS, ids=[p[0] for p in OPARL_OBJECT_PATTERNS]
)
def test_oparl_urls_reveal_only_public_records(
    world: Any, name: str, route: str, pattern: URLPattern
) -> None:
    from django.test import Client

    from oparl.urls import PUBLIC_RECORDS

    obj = world.foreign_objects[_model_of(pattern)]
    url = object_url(name, pattern, obj.pk, route)
    public = PUBLIC_RECORDS[name.removeprefix(OPARL)]().filter(pk=obj.pk).exists()
    # A client of its own for the anonymous visitor and for each persona.
    clients = [Client()] + [
        conftest.log_in(Client(), world.users[p]) for p in conftest.PERSONA_NAMES
    ]
    for visitor in clients:
        response = visitor.get(url)
        assert response.status_code == (200 if public else 404), (url, response.status_code)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert visitor.post(url).status_code == 405


def test_oparl_hides_the_foreign_councils_unpublished_records(world: Any, client: Any) -> None:
    """The matrix above sees both answers: some of the foreign records are not public."""
    from oparl.urls import PUBLIC_RECORDS

    answers = set()
    for name, _route, pattern in OPARL_OBJECT_PATTERNS:
        obj = world.foreign_objects[_model_of(pattern)]
        answers.add(PUBLIC_RECORDS[name.removeprefix(OPARL)]().filter(pk=obj.pk).exists())
    assert answers == {True, False}


@pytest.mark.parametrize(
    "name,route,pattern", OPARL_PLAIN_PATTERNS, ids=[p[0] for p in OPARL_PLAIN_PATTERNS]
)
def test_oparl_lists_answer_anyone_with_json(
    world: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


def test_oparl_shows_nothing_of_councils_not_public(world: Any, client: Any) -> None:
    """Once the foreign councils are not public (merged away), every API URL of their records
    is a 404 and no list names them (the API answers personas as it answers anonymous
    visitors: test_oparl_urls_reveal_only_public_records)."""
    import datetime as dt

    from councilportal.models import Council

    Council.objects.filter(path__startswith=world.foreign.path).update(
        valid_from=None, valid_to=dt.date(2020, 1, 1)
    )
    for name, route, pattern in OPARL_OBJECT_PATTERNS:
        obj = world.foreign_objects[_model_of(pattern)]
        url = object_url(name, pattern, obj.pk, route)
        assert client.get(url).status_code == 404, url
    for name, _route, _pattern in OPARL_PLAIN_PATTERNS:
        body = client.get(reverse(name)).content.decode()
        for word in _secret_words(world):
            assert word not in body, (name, word)
