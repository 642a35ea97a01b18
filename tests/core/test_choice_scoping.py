"""Every choice list is scoped: each <select>/<option> and <datalist> of every list and form page,
walked from the URL resolver as the outsider, offers only objects the outsider may read.

A filter's or form's choices are checked two ways: by the option's value against the ids of the
objects of the field's model that the outsider may not read (the model comes from the page's
forms and filter sets), and by the option's text against the names of the foreign councils'
records.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from councilportal.models import OrganKind

from .. import conftest
from .. import factories as f
from .test_access_matrix import NO_DATA, PATTERNS, _model_of, _secret_words


class Choices(HTMLParser):
    """The options of every <select> (by its name) and <datalist> (by its id) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: dict[str, list[tuple[str, str]]] = {}
        self._current: str | None = None
        self._option: list[str] | None = None
        self._value = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "select":
            self._current = a.get("name", "")
            self.lists.setdefault(self._current, [])
        elif tag == "datalist":
            self._current = "datalist:" + a.get("id", "")
            self.lists.setdefault(self._current, [])
        elif tag == "option" and self._current is not None:
            self._option = []
            self._value = a.get("value", "")
            if "label" in a:
                self._option.append(a["label"])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._current is not None:
            self.lists[self._current].append((self._value, "".join(self._option).strip()))
            self._option = None
        elif tag in ("select", "datalist"):
            self._current = None


def _model_fields(response: Any) -> dict[str, Any]:
    """Rendered name -> model of every model choice field of the page's forms and filters."""
    found: dict[str, Any] = {}
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        if context is None:
            continue
        for value in context.flatten().values():
            form = getattr(value, "form", value)  # a filter set carries its form
            if not isinstance(form, forms.BaseForm):
                continue
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelChoiceField):
                    found[form.add_prefix(name)] = field.queryset.model
    return found


def _foreign_pks(model: Any, user: Any, cache: dict[Any, set[str]]) -> set[str]:
    if model not in cache:
        manager = model._default_manager
        if hasattr(manager.all(), "visible_to"):
            visible = set(manager.all().visible_to(user).values_list("pk", flat=True))
            cache[model] = {str(pk) for pk in manager.values_list("pk", flat=True)} - {
                str(pk) for pk in visible
            }
        else:
            cache[model] = set()
    return cache[model]


def _pages(world: Any) -> list[str]:
    urls = []
    for name, _route, pattern in PATTERNS:
        if name in NO_DATA or name.split(":")[-1] in {"logout", "set_language"}:
            continue
        if pattern.pattern.converters:
            obj = world.outsider_objects.get(_model_of(pattern))
            if obj is None or set(pattern.pattern.converters) != {"pk"}:
                continue
            urls.append(reverse(name, kwargs={"pk": obj.pk}))
        else:
            urls.append(reverse(name))
    return urls


@pytest.fixture
def outsider_world(world: Any) -> Any:
    # Records of the outsider's own council (so that its forms and detail pages open), and
    # more foreign ones of kinds that only some choice lists offer.
    world.outsider_objects = conftest._objects_of(world.outsider_home)
    foreign = world.foreign_objects[type(world.foreign)]
    for n in range(3):
        f.OrganFactory(
            term=f.TermFactory(council=foreign, ordinal=20 + n),
            council=foreign,
            kind=OrganKind.DELEGATE_GROUP,
            name=f"Tổ đại biểu Kín Đáo {n}",
        )
    return world


def test_no_choice_list_offers_a_foreign_object_to_the_outsider(
    outsider_world: Any, login: Any
) -> None:
    world = outsider_world
    user = world.users["outsider"]
    client = login(user)
    secrets = _secret_words(world)
    cache: dict[Any, set[str]] = {}
    leaks: list[str] = []
    walked = 0
    for url in _pages(world):
        for query in ("", f"?council={world.outsider_home.pk}"):
            try:
                response = client.get(url + query)
            except Exception:  # noqa: S112 (a download whose file the test world never stored)
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            walked += 1
            parser = Choices()
            parser.feed(response.content.decode())
            models = _model_fields(response)
            for name, options in parser.lists.items():
                model = models.get(name)
                foreign = _foreign_pks(model, user, cache) if model is not None else set()
                for value, text in options:
                    if value and value in foreign:
                        leaks.append(f"{url}{query} {name}: {value} ({text})")
                    for word in secrets:
                        if word in text:
                            leaks.append(f"{url}{query} {name}: {text!r}")
    assert walked > 40
    assert not leaks, "\n".join(sorted(set(leaks)))
