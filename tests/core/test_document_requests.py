"""Requesting documents: a lost job message is sent again; a double click makes one document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from councilportal.documents.services import document_request
from councilportal.models import DocumentStatus, GeneratedDocument

from .. import factories as f


@pytest.fixture
def eager(settings: Any, tmp_path: Any) -> Iterator[None]:
    from councilportal.celery import app

    settings.MEDIA_ROOT = tmp_path
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_a_request_left_queued_by_a_lost_message_completes_on_the_next_request(
    db: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    term = f.TermFactory()
    f.DelegateFactory(term=term, full_name="Phạm Thị Thu")
    # As if the broker was down when the first request was recorded: no job ever ran.
    stuck = GeneratedDocument.objects.create(
        kind="core.term-roster",
        title="Danh sách đại biểu",
        council=term.council,
        source_type=ContentType.objects.get_for_model(term),
        source_id=term.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = document_request(kind="core.term-roster", source=term, by=None)
    assert again.pk == stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == DocumentStatus.DONE
    assert GeneratedDocument.objects.count() == 1


def test_a_double_click_makes_one_document(
    db: Any, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    term = f.TermFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = document_request(kind="core.term-roster", source=term, by=None)
        second = document_request(kind="core.term-roster", source=term, by=None)
    assert first.pk == second.pk
    for callback in callbacks:
        callback()
    assert GeneratedDocument.objects.get().status == DocumentStatus.DONE
