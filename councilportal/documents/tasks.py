"""Background jobs of the document pipeline: rendering a document, re-sending stalled ones.

The tasks keep their old names "councilportal.tasks.<function>" (CELERY_TASK_ROUTES,
CELERY_BEAT_SCHEDULE and jobs already queued use them). As in HackSoft's styleguide, a task
imports its service in its body: the service module enqueues the task, not the other way round."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError
from django.template import TemplateDoesNotExist, TemplateSyntaxError

log = logging.getLogger("councilportal.tasks")

# Transient: the database or the file store hiccuped; the same job will succeed later.
TRANSIENT = (DatabaseError, InterfaceError, OSError)


@shared_task(
    name="councilportal.tasks.render_document",
    bind=True,
    acks_late=True,  # a worker that dies mid-job leaves the message to the next worker
    reject_on_worker_lost=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)  # routed to the "documents" queue by CELERY_TASK_ROUTES
def render_document(self, document_id: int) -> str:  # type: ignore[no-untyped-def]
    from councilportal.documents.services import document_fail, document_render

    try:
        document = document_render(document_id=document_id)
    except SoftTimeLimitExceeded:
        document_fail(
            document_id=document_id,
            error="Rendering took longer than the time limit; the document may be too long.",
        )
        return "failed"
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        document_fail(document_id=document_id, error=f"Template error: {exc}")
        return "failed"
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            document_fail(document_id=document_id, error=f"Gave up after retries: {exc}")
            return "failed"
        log.warning("document %s: transient error, retrying: %s", document_id, type(exc).__name__)
        raise self.retry(exc=exc, countdown=min(60, 2 ** (self.request.retries + 1))) from exc
    except Exception as exc:  # noqa: BLE001 — any other error is the document's, shown to the user
        document_fail(document_id=document_id, error=f"{type(exc).__name__}: {exc}")
        return "failed"
    return document.status if document is not None else "missing"


@shared_task(
    name="councilportal.tasks.requeue_stalled_documents",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def requeue_stalled_documents() -> int:
    """Every minute: send again the documents whose job cannot be on its way (the broker was
    down when they were requested, or lost its messages in a restart). Nothing is lost."""
    from councilportal.documents.services import documents_requeue_stalled

    sent = documents_requeue_stalled()
    if sent:
        log.info("re-sent %s stalled document job(s): %s", len(sent), sent[:20])
    return len(sent)
