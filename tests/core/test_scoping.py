"""Who reads and writes what: the scoping rules of issue 2, persona by persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from councilportal.access import can_read, can_write
from councilportal.models import Agency, Council, Delegate


def test_a_province_clerk_reads_the_councils_below_but_writes_only_its_own(world: Any) -> None:
    clerk = world.users["province_clerk"]
    assert can_read(clerk, world.province) and can_write(clerk, world.province)
    assert can_read(clerk, world.commune) and not can_write(clerk, world.commune)
    assert not can_read(clerk, world.foreign)


def test_a_commune_clerk_sees_only_its_commune(world: Any) -> None:
    clerk = world.users["commune_clerk"]
    visible = set(Council.objects.visible_to(clerk))
    assert visible == {world.commune}
    assert can_write(clerk, world.commune)


def test_a_leader_reads_the_whole_subtree(world: Any) -> None:
    leader = world.users["leader"]
    assert set(Council.objects.visible_to(leader)) == {world.province, world.commune}
    assert not can_write(leader, world.commune)


def test_a_handler_and_a_delegate_see_only_their_council(world: Any) -> None:
    for persona in ("handler", "delegate"):
        assert set(Council.objects.visible_to(world.users[persona])) == {world.province}
    assert not can_write(world.users["delegate"], world.province)


def test_the_outsider_sees_nothing_of_the_province(world: Any) -> None:
    outsider = world.users["outsider"]
    assert set(Council.objects.visible_to(outsider)) == {world.outsider_home}
    assert not Delegate.objects.visible_to(outsider).exists()
    assert not Agency.objects.visible_to(outsider).exists()


def test_an_administrator_manages_the_subtree(world: Any) -> None:
    admin_user = world.users["council_admin"]
    assert can_write(admin_user, world.commune)
    assert not can_read(admin_user, world.foreign)


@pytest.mark.parametrize(
    "persona,status",
    [
        ("province_clerk", 200),
        ("leader", 200),
        ("council_admin", 200),
        ("commune_clerk", 200),
        ("handler", 404),
        ("delegate", 404),
        ("outsider", 404),
    ],
)
def test_reading_a_commune_delegate(world: Any, login: Any, persona: str, status: int) -> None:
    delegate = world.own_objects[Delegate]
    response = login(world.users[persona]).get(reverse("core:delegate-detail", args=[delegate.pk]))
    assert response.status_code == status
    if status == 200:
        assert delegate.full_name in response.content.decode()


@pytest.mark.parametrize(
    "persona,status",
    [
        ("province_clerk", 403),
        ("leader", 403),
        ("commune_clerk", 200),
        ("council_admin", 200),
        ("outsider", 404),
    ],
)
def test_editing_a_commune_delegate(world: Any, login: Any, persona: str, status: int) -> None:
    delegate = world.own_objects[Delegate]
    url = reverse("core:delegate-update", args=[delegate.pk])
    assert login(world.users[persona]).get(url).status_code == status


def test_a_delegate_persona_cannot_create_anything(world: Any, login: Any) -> None:
    client = login(world.users["delegate"])
    assert client.get(reverse("core:agency-create")).status_code == 403


def test_scope_is_one_query_for_a_list(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.users["leader"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("core:delegate-list")).status_code == 200
