"""The access matrix extended to files: every register's export (.xlsx and .csv) for every
persona, every import template, and every object URL asked for a file or a fragment
(`?export=`, an htmx request) with an object of a council outside every persona's scope.
New registers join automatically (every ScopedListView of the URL resolver)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from councilportal.spreadsheets.importing import import_kinds
from councilportal.spreadsheets.io import XLSX_TYPE
from councilportal.web.crud import ScopedListView

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


def _is_register(pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, ScopedListView)


REGISTERS = [p for p in PLAIN_PATTERNS if _is_register(p[2])]


def sheet_rows(response: Any, fmt: str) -> list[list[str]]:
    """The rows of an exported file, every cell as text."""
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        return [list(row) for row in csv.reader(io.StringIO(text))]
    assert response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else str(v) for v in row])
    book.close()
    return rows


def test_every_register_of_the_resolver_is_in_the_export_matrix() -> None:
    names = {name for name, _route, _pattern in REGISTERS}
    assert len(REGISTERS) >= 20, names
    assert {"petitions:petition-list", "core:delegate-list", "supervision:programme-list"} <= names


@pytest.mark.parametrize("name,route,pattern", REGISTERS, ids=[p[0] for p in REGISTERS])
def test_every_export_has_the_rows_of_the_list_and_never_a_foreign_council(
    world: Any, login: Any, name: str, route: str, pattern: URLPattern
) -> None:
    url = reverse(name)
    for persona in conftest.PERSONA_NAMES:
        client = login(world.users[persona])
        page = client.get(url)
        for query in ("", "&q=Kín", f"&council={world.foreign.pk}"):
            for fmt in ("xlsx", "csv"):
                response = client.get(f"{url}?export={fmt}{query}")
                where = (persona, url, fmt, query)
                if page.status_code != 200:
                    # Whoever may not read the register gets no file of it either.
                    assert response.status_code in (302, 403, 404), where
                    assert not response.has_header("Content-Disposition"), where
                    continue
                assert response.status_code == 200, where
                assert response["Content-Disposition"].startswith("attachment;"), where
                rows = sheet_rows(response, fmt)
                dump = " ".join(" ".join(row) for row in rows)
                for word in _secret_words(world):
                    assert word not in dump, (*where, word)
                if not query:
                    # Exactly the rows of the list (all pages), no more: the header + count.
                    assert len(rows) - 1 == page.context["paginator"].count, where


@pytest.mark.parametrize("name,route,pattern", REGISTERS, ids=[p[0] for p in REGISTERS])
def test_anonymous_gets_no_export(
    world: Any, client: Any, name: str, route: str, pattern: URLPattern
) -> None:
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse(name) + f"?export={fmt}")
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_province_clerk_exports_the_councils_below_but_the_commune_clerk_only_its_own(
    world: Any, login: Any
) -> None:
    url = reverse("core:delegate-list") + "?export=csv"

    def cells(persona: str) -> set[str]:
        rows = sheet_rows(login(world.users[persona]).get(url), "csv")
        return {cell for row in rows for cell in row}

    assert {"Đại biểu P", "Đại biểu P-C"} <= cells("province_clerk")
    commune = cells("commune_clerk")
    assert "Đại biểu P-C" in commune and "Đại biểu P" not in commune
    assert not {"Đại biểu P", "Đại biểu P-C"} & cells("outsider")


@pytest.mark.parametrize("persona", [*conftest.PERSONA_NAMES, "anonymous"])
def test_import_templates_carry_no_records(
    world: Any, login: Any, client: Any, persona: str
) -> None:
    if persona != "anonymous":
        client = login(world.users[persona])
    for kind in import_kinds():
        response = client.get(reverse("core:import-template"), {"kind": kind.key})
        if persona == "anonymous":
            assert response.status_code == 302
            continue
        if persona in conftest.AGENCY_PERSONAS:  # the agency workspace only
            assert response.status_code == 404, kind.key
            continue
        assert response.status_code == 200, kind.key
        rows = sheet_rows(response, "xlsx")
        assert len(rows) == 2, kind.key  # the headers and the example row, nothing else
        dump = " ".join(" ".join(row) for row in rows)
        for word in [*_secret_words(world), "P-C", "Phố Núi", "Cây Đa"]:
            assert word not in dump, (persona, kind.key, word)


# An object URL asked for a file (a register's `?export=`, a PDF's `?inline=1`) or for an htmx
# fragment, with a foreign object: the same refusal as the page, and no file.
FILE_REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("?export=csv", {}),
    ("?export=xlsx", {"HTTP_HX_REQUEST": "true"}),
    ("?inline=1", {}),
]


def _object_patterns_by_model() -> dict[str, list[tuple[str, Any]]]:
    grouped: dict[str, list[tuple[str, Any]]] = {}
    for name, _route, pattern in OBJECT_PATTERNS:
        model = _model_of(pattern)
        grouped.setdefault(model._meta.label, []).append((name, pattern))
    return grouped


BY_MODEL = _object_patterns_by_model()


# One test per model (every URL of its objects): building the world is most of the cost.
@pytest.mark.parametrize("label", sorted(BY_MODEL))
def test_no_file_or_fragment_of_a_foreign_object_for_any_persona(
    world: Any, login: Any, label: str
) -> None:
    for persona in conftest.PERSONA_NAMES:
        client = login(world.users[persona])
        for name, pattern in BY_MODEL[label]:
            url = object_url(name, pattern, world.foreign_objects[_model_of(pattern)].pk)
            requests = FILE_REQUESTS if name.endswith("download") else FILE_REQUESTS[:2]
            for query, headers in requests:
                response = client.get(url + query, **headers)
                where = (persona, url + query, headers)
                assert response.status_code in (403, 404, 405), (*where, response.status_code)
                assert not response.has_header("Content-Disposition"), where
                assert response.get("Content-Type", "").startswith("text/html"), where
                body = response.content.decode()
                for word in _secret_words(world):
                    assert word not in body, (*where, word)
