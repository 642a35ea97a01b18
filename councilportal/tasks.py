"""Background jobs of the core: rendering generated documents, the daily reminders."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from .services import document_fail, document_render, documents_requeue_stalled

log = logging.getLogger(__name__)

# Transient: the database or the file store hiccuped; the same job will succeed later.
TRANSIENT = (DatabaseError, InterfaceError, OSError)


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-job leaves the message to the next worker
    reject_on_worker_lost=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)  # routed to the "documents" queue by CELERY_TASK_ROUTES
def render_document(self, document_id: int) -> str:  # type: ignore[no-untyped-def]
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


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def requeue_stalled_documents() -> int:
    """Every minute: send again the documents whose job cannot be on its way (the broker was
    down when they were requested, or lost its messages in a restart). Nothing is lost."""
    sent = documents_requeue_stalled()
    if sent:
        log.info("re-sent %s stalled document job(s): %s", len(sent), sent[:20])
    return len(sent)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def daily_reminders(on: str | None = None) -> dict[str, int]:
    """Every morning: notify what is due soon or overdue (follow-ups and each app's sources).
    Running it twice on one day notifies nobody twice (keys per item and threshold)."""
    from django.utils import timezone

    from .reminders import run_reminders

    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    counts = run_reminders(day)
    log.info("daily reminders for %s: %s", day, counts)
    return counts


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def purge_import_stashes() -> int:
    """Every quarter of an hour: delete the uploads of import previews never confirmed (they
    hold petitioners' identities, encrypted) once their hour is over."""
    from .importing import stash_purge

    deleted = stash_purge()
    if deleted:
        log.info("purged %s abandoned import upload(s)", deleted)
    return deleted
