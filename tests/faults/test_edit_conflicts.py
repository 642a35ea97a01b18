"""Two clerks edit the same record: both load the edit page, the first saves, the second saves
→ the second gets the form back with a clear message and the first's change stays. Every edit
page of the project is checked (a new one joins automatically and must be listed here).

The forms are posted as a browser would post them: the fields are read from the page's HTML
(hidden stamp included), one text field is changed."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms as dj_forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import Client
from django.urls import URLPattern, reverse

from councilportal.models import Agency
from councilportal.web.forms import STAMP_FIELD

from .. import factories as f
from ..core.test_access_matrix import OBJECT_PATTERNS, _model_of

CONFLICT = "Người khác đã sửa bản ghi này trong khi bạn đang sửa"  # shown in Vietnamese

# Edit pages whose URL name does not end in "-update".
OTHER_EDIT_PAGES = {"sessions:confidence-edit", "supervision:body-report"}
# Fields the shared test world leaves empty that these forms require.
REQUIRED_BLANKS: dict[str, dict[str, Any]] = {
    "supervision:body-report": {"report_received_on": "10/06/2023"},
    "supervision:explanation-update": {"agencies": lambda world: str(world.own_objects[Agency].pk)},
}
EDIT_PAGES = sorted(
    (name, pattern)
    for name, _route, pattern in OBJECT_PATTERNS
    if name.endswith("-update") or name in OTHER_EDIT_PAGES
)


class _Forms(HTMLParser):
    """The POST forms of a page, as the fields a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = (name, [], [])
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._option = value
            self._select[1].append(value or "")
            if "selected" in a:
                self._select[2].append(value or "")
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            if not selected and options and not self._multiple:
                selected = options[:1]
            self._form.extend((name, value) for value in selected)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None


def _form_with(html: str, field: str) -> dict[str, Any]:
    parser = _Forms()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == field for name, _ in fields):
            data: dict[str, Any] = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a {field!r} field on the page")


def _change(form: Any, record: Any, original: str, who: str) -> tuple[str, Any]:
    """What clerk `who` types into the field, and what the record then stores."""
    if isinstance(record._meta.get_field(_field_name(form, record)), models.DateField):
        day = dt.date(2025, 12, 31 if who == "A" else 30)
        return day.strftime("%d/%m/%Y"), day
    value = f"{original} — sửa bởi {who}" if original else f"Sửa bởi {who}"
    return value, value


def _field_name(form: Any, record: Any) -> str:
    """The first free-text field of the form that is a column of the record (else the first
    date column: a membership has no free text)."""
    dates = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        try:
            column = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(column, models.DateField) and not isinstance(column, models.DateTimeField):
            dates.append(str(name))
        if not isinstance(field, dj_forms.CharField):
            continue
        if not isinstance(field.widget, dj_forms.TextInput | dj_forms.Textarea):
            continue
        if isinstance(column, models.CharField | models.TextField) and not column.choices:
            return str(name)
    if dates:
        return dates[-1]
    raise AssertionError(f"no field to change in {type(form).__name__}")


def _clerk(world: Any, username: str) -> Any:
    """A clerk of the province who also administers its registers and handles petitions (every
    edit page is open to one of these roles)."""
    user = f.UserFactory(username=username)
    for role in ("clerk", "admin", "handler"):
        f.RoleFactory(user=user, council=world.province, role=role)
    return user


def _stored(record: Any, field: str) -> Any:
    return getattr(type(record)._base_manager.get(pk=record.pk), field)


def test_every_edit_page_is_checked() -> None:
    assert len(EDIT_PAGES) >= 25, [name for name, _ in EDIT_PAGES]
    assert all(_model_of(pattern) is not None for _name, pattern in EDIT_PAGES)


@pytest.mark.parametrize(("url_name", "pattern"), EDIT_PAGES, ids=[n for n, _ in EDIT_PAGES])
def test_the_second_of_two_clerks_saving_one_record_is_told_and_nothing_is_overwritten(
    world: Any, url_name: str, pattern: URLPattern
) -> None:
    model = _model_of(pattern)
    obj = world.own_objects[model]
    url = reverse(url_name, args=[obj.pk])
    first, second = Client(), Client()
    first.force_login(_clerk(world, "first_clerk"))
    second.force_login(_clerk(world, "second_clerk"))

    page_a = first.get(url)
    page_b = second.get(url)
    assert page_a.status_code == page_b.status_code == 200, url
    form = page_a.context["form"]
    record = form.guarded
    assert record is not None, f"{url_name}: the form does not guard its record"
    field = _field_name(form, record)
    key = form.add_prefix(field)
    stamp_key = form.add_prefix(STAMP_FIELD)
    data_a = _form_with(page_a.content.decode(), key)
    data_b = _form_with(page_b.content.decode(), key)
    assert stamp_key in data_a, f"{url_name}: the page does not carry the record's stamp"
    for name, value in REQUIRED_BLANKS.get(url_name, {}).items():
        data_a[name] = data_b[name] = [value(world) if callable(value) else value]
    original = data_a[key][0]
    typed_a, stored_a = _change(form, record, original, "A")
    typed_b, stored_b = _change(form, record, original, "B")

    data_a[key] = [typed_a]
    saved = first.post(url, data_a)
    assert saved.status_code == 302, (url_name, saved.context and saved.context["form"].errors)
    assert _stored(record, field) == stored_a

    data_b[key] = [typed_b]
    refused = second.post(url, data_b)
    assert refused.status_code != 302, f"{url_name}: the second save overwrote the first"
    page = refused.content.decode()
    assert CONFLICT in page and "first_clerk" in page
    assert _stored(record, field) == stored_a

    # Having seen the message, the second clerk may save deliberately: the form now carries
    # the current stamp.
    again = _form_with(page, key)
    assert again[key] == [typed_b]
    assert second.post(url, again).status_code == 302
    assert _stored(record, field) == stored_b


def test_a_clerk_saving_twice_in_a_row_is_not_refused(world: Any, client: Any) -> None:
    delegate = next(o for t, o in world.own_objects.items() if t.__name__ == "Delegate")
    url = reverse("core:delegate-update", args=[delegate.pk])
    client.force_login(_clerk(world, "first_clerk"))
    for n in range(2):
        page = client.get(url)
        data = _form_with(page.content.decode(), "full_name")
        data["full_name"] = [f"Nguyễn Văn Lần {n}"]
        assert client.post(url, data).status_code == 302
    delegate.refresh_from_db()
    assert delegate.full_name == "Nguyễn Văn Lần 1"
