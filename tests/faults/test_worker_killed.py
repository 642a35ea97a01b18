"""A Celery worker SIGKILLed in the middle of a job: the job is acknowledged only when it ends,
so the broker hands it to the next worker, which completes it — one document, one file."""

from __future__ import annotations

import time

import pytest

from councilportal.documents.services import document_request
from councilportal.models import DocumentStatus, GeneratedDocument

from .processes import Workers, document_status, term_with_delegates, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(workers: Workers) -> None:
    first = workers.start()
    term = term_with_delegates(1000)
    doc = document_request(kind="core.term-roster", source=term, by=None)
    wait_for(lambda: document_status(doc) == DocumentStatus.RENDERING, 60, "rendering to start")
    time.sleep(0.5)
    assert document_status(doc) == DocumentStatus.RENDERING, (
        "the job finished before it could be killed"
    )
    workers.kill(first)
    # The broker hands an unacknowledged job out again once it is older than the visibility
    # timeout (4 s here), checked when a worker starts and then only every ~100 s: start the
    # next worker once the job is old enough.
    time.sleep(4.5)
    workers.start()
    wait_for(
        lambda: document_status(doc) == DocumentStatus.DONE,
        180,
        "the next worker to finish the job",
    )
    assert GeneratedDocument.objects.filter(source_id=term.pk).count() == 1
    assert doc.attempts >= 2
    assert doc.page_count and doc.page_count > 10
    stored = list((workers.media_root / "documents").rglob("*.pdf"))
    assert len(stored) == 1, stored
