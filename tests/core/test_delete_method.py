"""HTTP DELETE on a delete page: the portal deletes only through its confirmation form (POST),
so DELETE is answered 405 and nothing is deleted. Every `*-delete` URL of the resolver is tried."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from ..conftest import log_in
from .test_access_matrix import OBJECT_PATTERNS, _model_of

DELETE_PATTERNS = [p for p in OBJECT_PATTERNS if p[0].endswith("-delete")]


def test_there_are_delete_urls_to_try() -> None:
    assert len(DELETE_PATTERNS) >= 10, DELETE_PATTERNS


def test_http_delete_on_every_delete_url_is_405_and_deletes_nothing(
    world: Any, django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.org", "Root-pass-2026")
    client = Client(raise_request_exception=False)  # a 500 is counted, not raised
    log_in(client, root)
    answers = {}
    for name, _route, pattern in DELETE_PATTERNS:
        model = _model_of(pattern)
        obj = world.foreign_objects[model]
        response = client.delete(reverse(name, kwargs={"pk": obj.pk}))
        answers[name] = response.status_code
        assert model.objects.filter(pk=obj.pk).exists(), f"{name} deleted on DELETE"
        if response.status_code == 405:
            assert "POST" in response["Allow"], name
    assert {name: code for name, code in answers.items() if code != 405} == {}
