"""The access matrix: every URL pattern of the project × every persona × an object of a council
outside the persona's scope. New URLs join automatically; a URL whose parameters the matrix
cannot fill makes the suite fail until it is taught here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .. import conftest

# Views that reveal no council data and need no object (auth, language, admin's own login).
NO_DATA = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
    "two-factor-verify",  # the code step of logging in; without a device it just moves on
}
# Links that carry a signed token instead of a record's pk (tested below).
TOKEN_LINKS = {"password-set"}
# Parameters besides the pk, and every valid value of each: the record's pk still decides access,
# and each value is a URL of its own in the matrix.
EXTRA = {"step": ["generate", "review", "approve", "reopen"]}  # sessions:minutes-step


def _patterns(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> list[Any]:
    found = []
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin has its own matrix below
            child_ns = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += _patterns(entry, prefix + str(entry.pattern), child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{ns}{entry.name}", prefix + str(entry.pattern), entry))
    return found


PATTERNS = _patterns()


def _each_value(patterns: list[Any]) -> list[Any]:
    """A pattern with parameters besides the pk, once for each of their values (in the route)."""
    found = []
    for name, route, pattern in patterns:
        routes = [route]
        for key in set(pattern.pattern.converters) & set(EXTRA):
            routes = [
                r.replace(f"<{converter}:{key}>", value)
                for r in routes
                for converter in ("slug", "str")
                for value in EXTRA[key]
                if f"<{converter}:{key}>" in r
            ]
        found += [(name, r, pattern) for r in routes]
    return found


# oparl: the open-data API (/api/oparl/v1/) is public by design: anonymous, no login, the same
# answer for every persona. Its URLs leave the login/404 tests above and are checked in the
# block "# oparl" below: 200 exactly for the public records, 404 for every other record.
OPARL = "oparl:"
OPARL_PATTERNS = [p for p in PATTERNS if p[0].startswith(OPARL)]
PATTERNS = [p for p in PATTERNS if not p[0].startswith(OPARL)]

OBJECT_PATTERNS = _each_value(
    [p for p in PATTERNS if p[2].pattern.converters and p[0] not in TOKEN_LINKS]
)
PLAIN_PATTERNS = [p for p in PATTERNS if not p[2].pattern.converters and p[0] not in NO_DATA]


def _model_of(pattern: URLPattern) -> Any:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    return getattr(view_class, "model", None) or getattr(callback, "model", None)


@pytest.fixture
def world(shared_world: Any, db: Any) -> Any:
    """The matrix only reads the world: built once for the module (tests/conftest.py)."""
    return shared_world


def object_url(name: str, pattern: URLPattern, pk: int, route: str = "") -> str:
    """The URL of a pattern for the record `pk`, with the value of any other parameter that
    `route` names (see _each_value), else the first valid one."""
    extra = {}
    for key in pattern.pattern.converters:
        if key in EXTRA:
            extra[key] = next((v for v in EXTRA[key] if f"/{v}/" in route), EXTRA[key][0])
    return reverse(name, kwargs={"pk": pk, **extra})


def _secret_words(world: Any) -> list[str]:
    return ["Bí Mật", "Kín Đáo", "F-C", "Đại biểu F-C", "Cơ quan F-C"]


@pytest.mark.django_db
def test_a_forged_set_password_link_sets_nothing(world: Any, client: Any) -> None:
    url = reverse("password-set", kwargs={"uidb64": "MQ", "token": "forged-token"})
    response = client.get(url, follow=True)
    assert response.status_code == 200 and not response.context["validlink"]
    for word in _secret_words(world):
        assert word not in response.content.decode()


def test_the_matrix_knows_every_url() -> None:
    unknown = []
    for name, route, pattern in OBJECT_PATTERNS + [
        p for p in OPARL_PATTERNS if p[2].pattern.converters
    ]:
        names = set(pattern.pattern.converters) - set(EXTRA)
        if names != {"pk"} or _model_of(pattern) is None:
            unknown.append(f"{name} ({route})")
    assert not unknown, f"teach the access matrix these URLs: {unknown}"
    assert len(PATTERNS) > 30


# Every persona is checked in one test per URL: the world is built once for the seven of them
# (building it is most of the cost of the matrix).
@pytest.mark.parametrize("name,route,pattern", OBJECT_PATTERNS, ids=[p[0] for p in OBJECT_PATTERNS])
def test_every_persona_gets_404_for_a_foreign_object(
    world: Any, login: Any, name: str, route: str, pattern: URLPattern
) -> None:
    model = _model_of(pattern)
    obj = world.foreign_objects[model]
    url = object_url(name, pattern, obj.pk, route)
    for persona in conftest.PERSONA_NAMES:
        client = login(world.users[persona])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            allowed = (403, 404, 405)  # 405: a POST-only action, which reveals nothing either
            assert response.status_code in allowed, (persona, method, url, response.status_code)
            body = response.content.decode()
            for word in _secret_words(world):
                assert word not in body, (persona, method, url, word)


@pytest.mark.parametrize("name,route,pattern", OBJECT_PATTERNS, ids=[p[0] for p in OBJECT_PATTERNS])
def test_anonymous_is_sent_to_login_for_objects(
    world: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    obj = world.foreign_objects[_model_of(pattern)]
    response = client.get(object_url(name, pattern, obj.pk, route))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


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
            assert status in (200, 403, 405), (persona, url + query, status)
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


def test_the_superuser_does_see_the_foreign_object(
    world: Any, login: Any, django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.org", "Root-pass-2026")
    client = login(root)
    for name, _route, pattern in OBJECT_PATTERNS:
        if not name.endswith("-detail"):
            continue
        obj = world.foreign_objects[_model_of(pattern)]
        assert client.get(object_url(name, pattern, obj.pk, _route)).status_code == 200


# oparl ---------------------------------------------------------------------------------------
# Every API URL that takes a record answers 200 if and only if the record is public (what
# oparl.publication publishes, which the URL's PUBLIC_RECORDS names), else 404: for anonymous
# visitors and every persona alike, GET only. The world's foreign council holds both kinds:
# its session and resolution are public, its Standing Committee meeting, submission, attached
# file and generated roster are not.
OPARL_OBJECT_PATTERNS = [p for p in OPARL_PATTERNS if p[2].pattern.converters]
OPARL_PLAIN_PATTERNS = [p for p in OPARL_PATTERNS if not p[2].pattern.converters]


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
