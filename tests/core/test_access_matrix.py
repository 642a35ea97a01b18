"""The access matrix: every URL pattern of the project × every persona × an object of a council
outside the persona's scope. New URLs join automatically; a URL whose parameters the matrix
cannot fill makes the suite fail until it is taught here.
"""

from __future__ import annotations

from typing import Any

import pytest
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


def _is_public_page(pattern: URLPattern) -> bool:
    """A page of the public portal (issue 20): open to everyone, checked in its own block below."""
    return bool(getattr(pattern.callback, "public_page", False))


# oparl: the open-data API (/api/oparl/v1/) is public by design: anonymous, no login, the same
# answer for every persona. Its URLs leave the login/404 tests above and are checked in the
# block "# oparl" below: 200 exactly for the public records, 404 for every other record.
OPARL = "oparl:"
OPARL_PATTERNS = [p for p in PATTERNS if p[0].startswith(OPARL)]
PATTERNS = [p for p in PATTERNS if not p[0].startswith(OPARL)]

OBJECT_PATTERNS = _each_value(
    [
        p
        for p in PATTERNS
        if p[2].pattern.converters and p[0] not in TOKEN_LINKS and not _is_public_page(p[2])
    ]
)
PLAIN_PATTERNS = [
    p
    for p in PATTERNS
    if not p[2].pattern.converters and p[0] not in NO_DATA and not _is_public_page(p[2])
]


def _model_of(pattern: URLPattern) -> Any:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    return getattr(view_class, "model", None) or getattr(callback, "model", None)


@pytest.fixture
def world(shared_world: Any, db: Any) -> Any:
    """The matrix only reads the world: built once for the module (tests/conftest.py)."""
    return shared_world


@pytest.fixture
def login(shared_login: Any) -> Any:
    """Each persona's client, logged in once for the module (tests/conftest.py)."""
    return shared_login


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


# ==== The public portal (issue 20) ==============================================================
# Its pages (views marked `public_page`: public/access.py) are reachable without logging in, by
# design, but only for public records (`Model.objects.public()`). So instead of "404 for a
# foreign object" and "anonymous is sent to the login", the matrix asserts for each of them:
# the foreign council's record, once it is not public, is a 404 for anonymous and every persona
# and its page shows nothing of it; once it is public, anonymous reads it (200). The plain
# public pages (home, search, tracking, sitemap) answer anonymous and every persona and show
# nothing of the foreign councils once those are not public (merged away).
PUBLIC_OBJECT_PATTERNS = [
    p for p in PATTERNS if _is_public_page(p[2]) and set(p[2].pattern.converters) == {"pk"}
]
PUBLIC_PLAIN_PATTERNS = [
    p for p in PATTERNS if _is_public_page(p[2]) and not p[2].pattern.converters
]
PUBLIC_SECTIONED = [
    p for p in PATTERNS if _is_public_page(p[2]) and "section" in p[2].pattern.converters
]


# oparl ---------------------------------------------------------------------------------------
# Every API URL that takes a record answers 200 if and only if the record is public (what
# oparl.publication publishes, which the URL's PUBLIC_RECORDS names), else 404: for anonymous
# visitors and every persona alike, GET only. The world's foreign council holds both kinds:
# its session and resolution are public, its Standing Committee meeting, submission, attached
# file and generated roster are not.
OPARL_OBJECT_PATTERNS = [p for p in OPARL_PATTERNS if p[2].pattern.converters]
OPARL_PLAIN_PATTERNS = [p for p in OPARL_PATTERNS if not p[2].pattern.converters]
