"""Redis (the job broker) stops: pages keep working, a document requested meanwhile is recorded
as queued and the clerk sees a normal page that says it is waiting; once Redis is back the
periodic requeue job sends it again and a real worker renders it — one document, nothing lost.

Our own redis-server on a free port plays the broker for a real worker process and for this
process's Celery app (the one the views enqueue with); the machine's Redis is never touched."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from councilportal.councils.documents import TERM_ROSTER
from councilportal.documents.services import documents_requeue_stalled
from councilportal.documents.tasks import requeue_stalled_documents
from councilportal.models import DocumentStatus, GeneratedDocument

from .. import factories as f
from .processes import (
    RedisServer,
    Workers,
    term_with_delegates,
    wait_for,
    worker_pool,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(
    transactional_db: Any, redis_server: RedisServer, settings: Any, tmp_path: Path
) -> Iterator[Workers]:
    with worker_pool(settings, tmp_path) as pool:
        yield pool


def _documents_queue() -> str:
    """The documents queue's key in Redis: under the run's key prefix, if any (pytest-xdist)."""
    prefix = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("global_keyprefix", "")
    return f"{prefix}documents"


def _timed_get(client: Any, url: str, **extra: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    response = client.get(url, **extra)
    return response, time.perf_counter() - started


def _status(doc: GeneratedDocument) -> str:
    doc.refresh_from_db()
    return doc.status


def test_with_redis_down_pages_work_and_documents_wait_then_complete_once_it_is_back(
    workers: Workers, redis_server: RedisServer, client: Any, settings: Any
) -> None:
    workers.start(REDIS_URL=redis_server.url, DOCUMENT_REQUEUE_SECONDS="1")
    term = term_with_delegates(5)
    other = term_with_delegates(3, code="HN")
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    f.RoleFactory(user=clerk, council=other.council, role="clerk")
    client.force_login(clerk)

    redis_server.stop()
    assert not redis_server.answers()

    # Pages need no broker: each answers 200, quickly.
    for url in (
        reverse("core:term-list"),
        reverse("core:term-detail", args=[term.pk]),
        reverse("core:dashboard"),
    ):
        response, seconds = _timed_get(client, url)
        assert response.status_code == 200, url
        assert seconds < 3, f"{url} took {seconds:.2f} s with the broker down"

    # Requesting documents: recorded as queued; the clerk lands on the document's page.
    documents = []
    for source in (term, other):
        started = time.perf_counter()
        response = client.post(
            reverse("core:document-create"), {"kind": TERM_ROSTER.key, "source": source.pk}
        )
        seconds = time.perf_counter() - started
        doc = GeneratedDocument.objects.get(source_id=source.pk)
        assert response.status_code == 302 and response.url == doc.get_absolute_url()
        assert seconds < 3.5, f"requesting a document took {seconds:.2f} s with the broker down"
        assert doc.status == DocumentStatus.QUEUED and doc.sent_at is None
        documents.append(doc)
    page = client.get(documents[0].get_absolute_url())
    assert page.status_code == 200
    with translation.override(django_settings.LANGUAGE_CODE):
        unreachable = gettext(
            "The job queue cannot be reached at the moment. Your request is kept: the document "
            "will be generated as soon as the queue is back."
        )
    assert unreachable in page.content.decode()
    poll = client.get(documents[0].get_absolute_url(), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and 'data-status="queued"' in poll.content.decode()
    # A second click while it waits makes no second document.
    client.post(reverse("core:document-create"), {"kind": TERM_ROSTER.key, "source": term.pk})
    assert GeneratedDocument.objects.filter(source_id=term.pk).count() == 1

    # Redis is back (same port, empty: it kept nothing). Nobody clicks anything: the periodic
    # requeue job (sent here as beat sends it) re-sends both and the worker renders them.
    redis_server.start()
    time.sleep(1.1)  # older than DOCUMENT_REQUEUE_SECONDS=1 of the worker
    requeue_stalled_documents.apply_async()
    for doc in documents:
        wait_for(lambda d=doc: _status(d) == DocumentStatus.DONE, 60, f"document {doc.pk}")
    assert GeneratedDocument.objects.count() == 2
    assert all(doc.version == 1 and doc.page_count for doc in documents)
    assert len(list((workers.media_root / "documents").rglob("*.pdf"))) == 2
    poll = client.get(documents[0].get_absolute_url(), HTTP_HX_REQUEST="true")
    assert reverse("core:document-download", args=[documents[0].pk]) in poll.content.decode()


def test_with_redis_hung_a_document_request_gives_up_in_seconds_and_is_sent_later(
    transactional_db: Any, redis_server: RedisServer, client: Any
) -> None:
    """Redis frozen (accepts connections, never answers): the request returns within seconds
    (socket timeout, no publish retry) and the document is queued; once Redis answers again
    the requeue job sends it."""
    import redis

    term = term_with_delegates(1)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    redis_server.pause()
    started = time.perf_counter()
    response = client.post(
        reverse("core:document-create"), {"kind": TERM_ROSTER.key, "source": term.pk}
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 302
    assert seconds < 5, f"the request waited {seconds:.1f} s for a frozen broker"
    doc = GeneratedDocument.objects.get()
    assert doc.status == DocumentStatus.QUEUED and doc.sent_at is None
    redis_server.resume()
    assert documents_requeue_stalled(now=doc.requested_at + timedelta(minutes=2)) == [doc.pk]
    assert redis.Redis(port=redis_server.port).llen(_documents_queue()) == 1


def test_the_requeue_job_resends_only_what_cannot_be_on_its_way(
    transactional_db: Any, redis_server: RedisServer, settings: Any
) -> None:
    """Without a fault nothing is sent twice: a document sent a moment ago waits for its worker;
    one never sent, or sent longer ago than DOCUMENT_REQUEUE_SECONDS, is sent again; one left
    rendering past any time limit goes back to the queue. (No worker here: the broker's queue
    shows what was sent.)"""
    import redis
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    settings.DOCUMENT_REQUEUE_SECONDS = 60
    term = term_with_delegates(1)
    now = timezone.now()

    def make(version: int, **fields: Any) -> GeneratedDocument:
        return GeneratedDocument.objects.create(
            kind=TERM_ROSTER.key,
            title="Danh sách",
            council=term.council,
            source_type=ContentType.objects.get_for_model(term),
            source_id=term.pk,
            version=version,
            **fields,
        )

    fresh = make(1, requested_at=now, sent_at=now - timedelta(seconds=5))
    never_sent = make(2, requested_at=now - timedelta(seconds=90))
    lost = make(3, requested_at=now - timedelta(minutes=9), sent_at=now - timedelta(minutes=8))
    dead = make(4, status=DocumentStatus.RENDERING, started_at=now - timedelta(hours=1))
    sent = documents_requeue_stalled(now=now)
    assert sorted(sent) == sorted([never_sent.pk, lost.pk, dead.pk])
    assert redis.Redis(port=redis_server.port).llen(_documents_queue()) == 3
    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert dead.status == DocumentStatus.QUEUED and dead.sent_at is not None
    assert fresh.sent_at == now - timedelta(seconds=5)
    assert documents_requeue_stalled(now=now) == []
