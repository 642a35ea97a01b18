"""The access matrix: every URL pattern of the project × every persona × an object of a council
outside the persona's scope. New URLs join automatically; a URL whose parameters the matrix
cannot fill makes the suite fail until it is taught here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies.middleware import AGENCY_PAGES

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
