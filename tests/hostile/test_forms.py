"""Hostile input on every form of the portal: every URL that takes a POST gets random,
malicious, huge, mistyped, missing and repeated values (hypothesis), as a persona who may write
there. Whatever arrives, the answer is never a server error, a refused request writes nothing
(not one row, history included), and injected markup comes back escaped.

URLs join automatically (the URL resolver is walked like the access matrix does). The world is
built once per app and every example runs in a savepoint rolled back after it, so each example
starts from the same world.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django import forms
from django.contrib.messages import ERROR, SUCCESS, get_messages
from django.db import transaction
from django.urls import URLPattern, reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ..core.test_access_matrix import PATTERNS, TOKEN_LINKS, _model_of, object_url
from .conftest import changed_tables, fingerprint
from .htmlforms import HtmlField, HtmlForm, post_forms
from .strategies import MISSING, RAW_MARKERS, field_values, hostile_text

# Not forms of the portal: Django's own login, logout and language switch; and the one-time
# password link, whose forged tokens the access matrix tries (it shows no form without one).
NOT_PORTAL = {"login", "logout", "set_language", "password_change_done", *TOKEN_LINKS}
# The public portal's sitemap sections: read-only XML named by a section, not a record.
NOT_PORTAL |= {"public:sitemap-section"}
GROUPS = ["core", "sessions", "resolutions", "supervision", "petitions", "public"]


def _group(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else "core"


def _patterns(group: str) -> list[tuple[str, str, URLPattern]]:
    return [p for p in PATTERNS if _group(p[0]) == group and p[0] not in NOT_PORTAL]


def _personas(name: str) -> list[str]:
    if name.startswith("petitions:"):
        return ["handler", "commune_clerk", "province_clerk"]
    return ["commune_clerk", "province_clerk", "handler"]


@dataclass
class Target:
    name: str
    url: str
    persona: str
    fields: dict[str, HtmlField]


def _context_forms(response: Any) -> list[Any]:
    found: list[Any] = []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        if context is None:
            continue
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm | forms.BaseFormSet) and value not in found:
                found.append(value)
    return found


def _merge(html: HtmlForm | None, form: Any) -> dict[str, HtmlField]:
    fields = dict(html.fields) if html else {}
    if isinstance(form, forms.BaseForm):
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            if key not in fields:
                kind = "file" if isinstance(field, forms.FileField) else "text"
                fields[key] = HtmlField(key, kind)
    return fields


class Crawler:
    """Finds, per persona, the POST forms of the pages it can read: where a POST-only action
    (triage, forward, adopt…) is a form on its record's page."""

    def __init__(self, world: Any, login: Any) -> None:
        self.world, self.login = world, login
        self.forms: dict[str, dict[str, HtmlForm]] = {}

    def forms_of(self, persona: str) -> dict[str, HtmlForm]:
        if persona not in self.forms:
            client = self.login(self.world.users[persona])
            found: dict[str, HtmlForm] = {}
            for name, _route, pattern in PATTERNS:
                if not name.endswith("-detail") or not pattern.pattern.converters:
                    continue
                obj = self.world.own_objects.get(_model_of(pattern))
                if obj is None:
                    continue
                url = reverse(name, kwargs={"pk": obj.pk})
                response = client.get(url)
                if response.status_code != 200:
                    continue
                for form in post_forms(response.content.decode(), url):
                    path = urlsplit(form.action).path
                    found.setdefault(path, form)
            self.forms[persona] = found
        return self.forms[persona]


def _target(world: Any, login: Any, crawler: Crawler, name: str, pattern: URLPattern) -> Target:
    if pattern.pattern.converters:
        url = object_url(name, pattern, world.own_objects[_model_of(pattern)].pk)
    else:
        url = reverse(name)
    fallback = None
    for persona in _personas(name):
        client = login(world.users[persona])
        try:
            response = client.get(url)
        except Exception:  # a download whose file the test world never stored
            response = None
        if response is not None and response.status_code == 200:
            html = next(
                (
                    form
                    for form in post_forms(response.content.decode(), url)
                    if urlsplit(form.action).path == url
                ),
                None,
            )
            context = _context_forms(response)
            main = response.context.get("form") if response.context is not None else None
            if html is not None or main is not None:
                return Target(name, url, persona, _merge(html, main))
            if not context and fallback is None:
                fallback = Target(name, url, persona, {})
        elif response is not None and response.status_code == 405:
            html = crawler.forms_of(persona).get(url)
            if html is not None:
                return Target(name, url, persona, dict(html.fields))
            fallback = fallback or Target(name, url, persona, {})
    # A page without a form of its own (a list, a detail): it gets made-up fields.
    return fallback or Target(name, url, _personas(name)[0], {})


GENERIC = ["id", "pk", "council", "kind", "status", "next", "q", "file", "position", "token"]


def _baseline(field: HtmlField) -> list[str]:
    """The value a user who fills the form properly sends: the page's own, else a choice."""
    if field.values or field.kind in ("checkbox", "file"):
        return list(field.values)
    options = [o for o in field.options if o]
    return options[:1]


def _strategy(target: Target, foreign_ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A properly filled form with one to three fields replaced by hostile values (so the
    example gets past the other fields' checks, to the service and the database), or a
    form where every field is hostile, plus fields the form does not have."""
    fields = target.fields or {n: HtmlField(n, "text") for n in GENERIC}
    names = sorted(fields)
    filled = {name: _baseline(field) or MISSING for name, field in fields.items()}

    def hostile(name: str) -> st.SearchStrategy[Any]:
        field = fields[name]
        return field_values(field.kind, field.values, field.options, foreign_ids)

    some = st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names))).flatmap(
        lambda chosen: st.fixed_dictionaries({name: hostile(name) for name in chosen})
    )
    every = st.fixed_dictionaries({name: hostile(name) for name in names})
    unknown = st.dictionaries(
        st.sampled_from(["id", "pk", "council", "created_by", "is_superuser", "__proto__"]),
        hostile_text().map(lambda v: [v]),
        max_size=2,
    )
    return st.tuples(st.one_of(some, some, every), unknown).map(
        lambda pair: {**pair[1], **filled, **pair[0]}
    )


def _post_data(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not MISSING}


def _check_page(body: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in body, f"unescaped {marker!r} in {where}"


def _hunt(target: Target, client: Any, baseline: dict[str, str], foreign_ids: list[str]) -> None:
    # A page without a form of its own (a list, a record, its history) only has to refuse a
    # POST: a few examples show it; forms get the profile's full count.
    few = settings(max_examples=3) if not target.fields else settings()

    @few
    @given(values=_strategy(target, foreign_ids))
    def example(values: dict[str, Any]) -> None:
        data = _post_data(values)
        with transaction.atomic():
            response = client.post(target.url, data)
            status = response.status_code
            STATUSES.setdefault(target.name, []).append(status)
            assert status < 500, status
            if status != 302:
                changed = changed_tables(baseline, fingerprint())
                assert not changed, f"answered {status} but wrote to {changed}"
            if status == 200 and not response.streaming:
                _check_page(response.content.decode(errors="replace"), target.url)
            if status == 302:
                written = changed_tables(baseline, fingerprint())
                location = urlsplit(response["Location"])
                if not location.netloc:
                    page = client.get(location.path, parse_qs(location.query))
                    assert page.status_code < 500, (location.path, page.status_code)
                    if page.status_code == 200 and not page.streaming:
                        _check_page(page.content.decode(errors="replace"), location.path)
                    # An action that refuses its input redirects back with the errors as
                    # messages: then too, nothing may have been written.
                    levels = {m.level for m in get_messages(page.wsgi_request)}
                    if ERROR in levels and SUCCESS not in levels:
                        assert not written, f"refused with a message but wrote to {written}"
            transaction.set_rollback(True)

    example()


STATUSES: dict[str, list[int]] = {}


def _progress(line: str) -> None:
    """HOSTILE_LOG=file: one line per URL as the hunt goes (how long, what broke)."""
    path = os.environ.get("HOSTILE_LOG")
    if path:
        with open(path, "a") as log:
            log.write(line + "\n")


# The longer hunts have files of their own (test_forms_<group>.py): parallel runs
# (--dist loadfile) spread whole files over the workers. Every other group is hunted here.
OWN_FILES = {"sessions", "resolutions", "supervision", "petitions"}


@pytest.mark.parametrize("group", [group for group in GROUPS if group not in OWN_FILES])
def test_no_form_answers_hostile_input_with_an_error_or_a_partial_write(
    hostile_world: Any, login: Any, group: str
) -> None:
    hunt_forms(hostile_world, login, group)


def hunt_forms(world: Any, login: Any, group: str) -> None:
    """Every form of one group's URLs, hunted as a persona who may write there."""
    crawler = Crawler(world, login)
    targets = [_target(world, login, crawler, name, p) for name, _r, p in _patterns(group)]
    by_name = {t.name: t for t in targets}
    for target in targets:
        # A create form starts from the values of an existing record's edit form, so that
        # examples reach the write (and its unique constraints) and not only "required".
        twin = by_name.get(target.name.replace("-create", "-update"))
        if target.name.endswith("-create") and twin is not None:
            for name, field in target.fields.items():
                if not field.values and name in twin.fields:
                    field.values = list(twin.fields[name].values)
    foreign_ids = sorted({str(obj.pk) for obj in world.foreign_objects.values()})
    failures = []
    only = os.environ.get("HOSTILE_ONLY", "")
    for target in targets:
        if only and only not in target.name:
            continue
        client = login(world.users[target.persona])
        baseline = fingerprint()  # after the login, which stamps the user's last login
        started = time.perf_counter()
        try:
            _hunt(target, client, baseline, foreign_ids)
            statuses = sorted(STATUSES.get(target.name, []))
            _progress(f"ok {target.name} {time.perf_counter() - started:.1f}s {statuses}")
        except Exception as exc:
            _progress(f"FAIL {target.name} {time.perf_counter() - started:.1f}s {exc!r:.300}")
            notes = "\n".join(getattr(exc, "__notes__", []))
            tail = "".join(traceback.format_exception(exc)[-3:])
            failures.append(f"{target.name} {target.url} as {target.persona}:\n{notes}\n{tail}")
    assert not failures, "\n\n".join(failures)
    assert len(targets) >= 10
