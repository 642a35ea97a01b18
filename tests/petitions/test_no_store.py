"""Pages that carry an identity, the intake and the two-step secret are never stored by a
browser or a proxy (Cache-Control: no-store), and identity fields are not auto-filled."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from .conftest import Desk
from .test_intake_and_lists import _form


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_identity_fields_are_not_auto_filled_and_intake_is_not_stored(
    world: Any, login: Any
) -> None:
    client = login(world.users["province_clerk"])
    url = reverse("petitions:petition-create")
    page = client.get(url)
    assert _no_store(page)
    html = page.content.decode()
    for name in ("full_name", "address", "phone", "id_number"):
        tag = re.search(rf'<input[^>]*name="people-0-{name}"[^>]*>', html)
        assert tag is not None and 'autocomplete="off"' in tag.group(0), name
    data = _form(world)
    data.pop("people-0-full_name")
    invalid = client.post(url, data)  # the form again, with what was typed
    assert invalid.status_code == 200 and _no_store(invalid)
    saved = client.post(url, _form(world))
    assert saved.status_code == 302 and _no_store(saved)


def test_pages_showing_an_identity_are_not_stored(desk: Desk, login: Any) -> None:
    clerk = login(desk.world.users["province_clerk"])
    for url in (
        reverse("petitions:petition-detail", args=[desk.complaint.pk]),
        reverse("petitions:petition-list"),
        reverse("petitions:petition-list") + "?export=csv",
        reverse("petitions:petition-identity", args=[desk.complaint.pk]),
    ):
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    handler = login(desk.world.users["handler"])
    identity = handler.get(reverse("petitions:petition-identity", args=[desk.denunciation.pk]))
    assert _no_store(identity)


def test_the_two_step_secret_page_is_not_stored(world: Any, login: Any) -> None:
    client = login(world.users["leader"])
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200
    assert _no_store(page)
