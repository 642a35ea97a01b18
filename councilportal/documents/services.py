"""The document pipeline's writes: request a generated document, render it (in the job), mark
it failed, retry it, re-send the stalled ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from councilportal.documents.registry import DocumentKind, get_kind
from councilportal.documents.render import render_pdf
from councilportal.documents.tasks import render_document
from councilportal.models import DocumentStatus, GeneratedDocument
from councilportal.typing import User


class UnknownDocumentKind(LookupError):
    pass


def document_request(
    *, kind: str, source: Any, by: User | None, force_new: bool = False
) -> GeneratedDocument:
    """Record a request for a document (queued) and enqueue its rendering once the transaction
    commits. A request while the same document is still queued or rendering returns that one
    (a double click makes one document, not two)."""
    spec = get_kind(kind)
    if spec is None or not isinstance(source, spec.model):
        raise UnknownDocumentKind(kind)
    if by is not None and not spec.can_request(by, source):
        raise PermissionDenied
    source_type = ContentType.objects.get_for_model(source)
    with transaction.atomic():
        # The source row is the lock: two requests at once (a double click, two clerks) are
        # taken one after the other, so they share one pending document or get versions n and
        # n+1, never the same version twice.
        type(source)._base_manager.select_for_update().filter(pk=source.pk).values("pk").first()
        existing = (
            GeneratedDocument.objects.select_for_update()
            .filter(kind=kind, source_type=source_type, source_id=source.pk)
            .order_by("-version")
        )
        pending = existing.filter(
            status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING]
        ).first()
        if pending is not None and not force_new:
            if pending.status == DocumentStatus.QUEUED:
                # Its message may have been lost (broker down when it was sent): send it again.
                # Rendering is idempotent by record, so a duplicate message makes no second file.
                pending_id = pending.pk
                transaction.on_commit(lambda: enqueue_render(pending_id), robust=True)
            return pending
        last = existing.aggregate(v=Max("version"))["v"] or 0
        document = GeneratedDocument.objects.create(
            kind=kind,
            title=spec.title(source)[:300],
            council=spec.council_of(source),
            source_type=source_type,
            source_id=source.pk,
            version=last + 1,
            requested_by=by,
        )
        # robust: if the broker is down the request is still recorded (queued) and is sent
        # again by the next request or "Thử lại"; the user is not shown an error page.
        transaction.on_commit(lambda: enqueue_render(document.pk), robust=True)
    return document


def document_retry(*, document: GeneratedDocument, by: User) -> GeneratedDocument:
    """Put a failed document back in the queue (same version: it was never issued)."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != DocumentStatus.FAILED:
            return document
        document.status = DocumentStatus.QUEUED
        document.error = ""
        document.requested_by = by
        document.requested_at = timezone.now()
        document.save(update_fields=["status", "error", "requested_by", "requested_at"])
        transaction.on_commit(lambda: enqueue_render(document.pk), robust=True)
    return document


def enqueue_render(document_id: int) -> None:
    """Hand the document's job to the broker and note when; raises if the broker refuses it
    (callers enqueue on commit with robust=True, and the requeue job sends it again later)."""
    # The record is the unit of idempotency: however many messages name it, one file is stored.
    render_document.apply_async(
        args=(document_id,), task_id=f"document-{document_id}-{time.time_ns()}"
    )
    GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        sent_at=timezone.now()
    )


def documents_requeue_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Send again the jobs that cannot be on their way: documents queued longer than
    DOCUMENT_REQUEUE_SECONDS since they were last sent (or never sent: the broker was down),
    and documents left rendering past DOCUMENT_RENDER_STALL_SECONDS (their worker and the
    broker's copy of the message were both lost, e.g. Redis restarted without persistence),
    which go back to queued.
    Rendering is idempotent by record, so a message that was only slow makes no second file.
    Returns the ids sent; stops at the first refusal (the broker is still down)."""
    now = now or timezone.now()
    queued_before = now - dt.timedelta(seconds=settings.DOCUMENT_REQUEUE_SECONDS)
    rendering_before = now - dt.timedelta(seconds=settings.DOCUMENT_RENDER_STALL_SECONDS)
    # A job rendering for longer than the hard time limit allows has no worker any more.
    dead = GeneratedDocument.objects.filter(
        status=DocumentStatus.RENDERING, started_at__lte=rendering_before
    )
    dead_ids = list(dead.values_list("pk", flat=True)[:500])
    GeneratedDocument.objects.filter(pk__in=dead_ids).update(
        status=DocumentStatus.QUEUED, sent_at=None
    )
    stalled = (
        GeneratedDocument.objects.filter(status=DocumentStatus.QUEUED)
        .filter(
            Q(sent_at__isnull=True, requested_at__lte=queued_before)
            | Q(sent_at__lte=queued_before)
            | Q(pk__in=dead_ids)
        )
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )
    sent = []
    for document_id in stalled[:500]:
        enqueue_render(document_id)
        sent.append(document_id)
    return sent


def document_render(*, document_id: int) -> GeneratedDocument | None:
    """Render one queued document and store it. Idempotent: a document already done is left as
    it is, and of two workers racing on one record only the first to finish stores its file."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return document
        document.status = DocumentStatus.RENDERING
        document.started_at = timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    spec = get_kind(document.kind)
    if spec is None:
        return document_fail(
            document_id=document_id, error=f"Unknown document kind: {document.kind}"
        )
    # Loaded once, with what the context reads (the kind's queryset); the builder loads it no
    # more.
    source = spec.source(document.source_id)
    if source is None:
        return document_fail(document_id=document_id, error="The source record no longer exists.")
    started = time.perf_counter()
    rendered = render_pdf(spec.template, build_context(spec, source, document))
    elapsed = time.perf_counter() - started
    digest = hashlib.sha256(rendered.content).hexdigest()
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.DONE:
            return document
        stored = rendered.content
        if spec.confidential:
            from petitions.crypto import encrypt_bytes  # the field keys

            stored = encrypt_bytes(stored)
            document.encrypted = True
        document.file.save(f"{digest[:16]}.pdf", ContentFile(stored), save=False)
        document.sha256 = digest
        document.page_count = rendered.page_count
        document.size = len(rendered.content)
        document.status = DocumentStatus.DONE
        document.error = ""
        document.finished_at = timezone.now()
        document.render_seconds = round(elapsed, 3)
        document.save()
    return document


def build_context(spec: DocumentKind, source: Any, document: GeneratedDocument) -> dict[str, Any]:
    context = spec.build_context(source)
    context.setdefault("document", document)
    context.setdefault("today", timezone.localdate())
    return context


def document_fail(*, document_id: int, error: str) -> GeneratedDocument | None:
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return document
        document.status = DocumentStatus.FAILED
        document.error = error[:4000]
        document.finished_at = timezone.now()
        document.save(update_fields=["status", "error", "finished_at"])
    return document
