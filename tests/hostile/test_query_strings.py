"""Hostile query strings on every register: the filters of each list page (its FilterSet's
fields, the council chooser's box, plus sort, page, search and export) get random, huge,
negative, mistyped and foreign values (hypothesis). Whatever arrives, a list answers with a
page (its filters showing the error) or a 4xx, never a server error.

Lists join automatically: every URL of the resolver whose view is a filtered list.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ..core.test_access_matrix import PATTERNS
from .strategies import DATES, NUMBERS, hostile_text, id_text

LISTS = [
    (name, pattern)
    for name, _route, pattern in PATTERNS
    if not pattern.pattern.converters
    and getattr(getattr(pattern.callback, "view_class", None), "filterset_class", None)
]
EXTRA = ["o", "page", "q", "sort", "export", "council_find"]


def _parameters(pattern: Any) -> list[str]:
    filterset = pattern.callback.view_class.filterset_class
    return sorted({*filterset.base_filters, *EXTRA})


def _value(foreign_ids: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        hostile_text(),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        id_text(foreign_ids),
        st.sampled_from(["xlsx", "csv", "last", "-council", "?", "&", "="]),
    )


def test_every_list_has_filters_to_fuzz() -> None:
    assert len(LISTS) > 20
    names = {name for name, _pattern in LISTS}
    assert {"sessions:session-list", "core:delegate-list"} <= names


@pytest.mark.parametrize("name,pattern", LISTS, ids=[name for name, _pattern in LISTS])
def test_no_list_answers_a_hostile_query_string_with_a_server_error(
    hostile_world: Any, login: Any, name: str, pattern: Any
) -> None:
    world = hostile_world
    client = login(world.users["province_clerk"])
    url = reverse(name)
    parameters = _parameters(pattern)
    foreign_ids = sorted({str(obj.pk) for obj in world.foreign_objects.values()})
    count = int(os.environ.get("HOSTILE_LIST_EXAMPLES", "10"))

    @settings(max_examples=count)
    @given(
        query=st.dictionaries(
            st.sampled_from(parameters), st.lists(_value(foreign_ids), min_size=1, max_size=2),
            min_size=1, max_size=4,
        )
    )  # fmt: skip
    @example(query={"year": ["-1"]})
    @example(query={"year": ["99999999999999999999"]})
    @example(query={"page": ["99999999999999999999"]})
    @example(query={"council": ["99999999999999999999"]})
    @example(query={name: ["9" * 40] for name in parameters})
    @example(query={name: ["-1"] for name in parameters})
    def hunt(query: dict[str, list[str]]) -> None:
        response = client.get(url, query)
        assert response.status_code < 500, (url, query, response.status_code)

    hunt()
