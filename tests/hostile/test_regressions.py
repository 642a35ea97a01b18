"""Bugs the hostile-input hunt found, one test each, named after the bug."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from councilportal.models import Attachment


def test_an_attachment_whose_file_is_gone_is_a_404_not_a_500(
    hostile_world: Any, login: Any
) -> None:
    attachment = hostile_world.own_objects[Attachment]  # its file was never stored
    client = login(hostile_world.users["commune_clerk"])
    response = client.get(reverse("core:attachment-download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 404
