"""What the intake says when something is missing: in Vietnamese, in the words of the domain."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .test_intake_and_lists import _form


def test_an_empty_intake_says_so_in_vietnamese(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    data = _form(world)
    for key in [k for k in data if k.startswith("items-") and k[6].isdigit()]:
        data.pop(key)
    response = client.post(reverse("petitions:petition-create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please submit" not in body
    assert "Nhập ít nhất một nội dung của đơn." in body
