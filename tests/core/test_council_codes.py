"""Council codes (15.16): stored upper-case and trimmed, unique whatever the case, and the
subtree of a council matched case-sensitively on SQLite as on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from councilportal.access import can_read
from councilportal.models import Council, CouncilLevel

from .. import factories as f


def _form(world: Any, code: str) -> dict[str, Any]:
    return {
        "name": "HĐND xã Mới",
        "code": code,
        "level": CouncilLevel.COMMUNE,
        "parent": world.province.pk,
        "place_name": "Mới",
        "administrative_name": "XÃ MỚI",
    }


def test_a_code_is_stored_upper_case_and_trimmed(world: Any, login: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    client = login(world.users["province_clerk"])
    response = client.post(reverse("core:council-create"), _form(world, "  p-moi "))
    assert response.status_code == 302
    council = Council.objects.get(name="HĐND xã Mới")
    assert council.code == "P-MOI" and council.path == "P/P-MOI/"


def test_a_code_differing_only_in_case_is_refused_in_vietnamese(
    world: Any, login: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "vi"
    client = login(world.users["province_clerk"])
    response = client.post(reverse("core:council-create"), _form(world, "p-c"))
    assert response.status_code in (200, 400)
    assert "Mã" in response.content.decode() and "đã" in response.content.decode()
    assert Council.objects.filter(code__iexact="p-c").count() == 1


def test_the_database_refuses_a_code_differing_only_in_case(world: Any) -> None:
    other = f.CouncilFactory(code="Q")
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.filter(pk=other.pk).update(code="p")


def test_a_subtree_is_matched_case_sensitively(world: Any) -> None:
    """A lower-case path (a council saved before codes were normalised) is not inside the
    upper-case council's subtree."""
    stray = f.CouncilFactory(code="PX", name="HĐND tỉnh Lạc")
    Council.objects.filter(pk=stray.pk).update(path="p/")
    stray.refresh_from_db()
    leader = world.users["leader"]
    assert stray not in Council.objects.visible_to(leader)
    assert not can_read(leader, stray)
    assert stray not in Council.objects.subtree_of(world.province)
    assert world.commune in Council.objects.subtree_of(world.province)
