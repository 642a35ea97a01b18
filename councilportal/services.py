"""Writes of the core that have side effects: generated documents, attachments, follow-ups and
their due dates, the holiday calendar, notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .deadlines import Deadline, calendar_changed, due_date
from .models import (
    Attachment,
    CalendarOverride,
    Council,
    DocumentStatus,
    FollowUp,
    FollowUpAnswer,
    FollowUpStatus,
    GeneratedDocument,
    Notification,
)
from .pdf import render_pdf
from .registry import DocumentKind, get_kind
from .uploads import MIME, safe_name, sniff


class UnknownDocumentKind(LookupError):
    pass


def document_request(
    *, kind: str, source: Any, by: Any, force_new: bool = False
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


def document_retry(*, document: GeneratedDocument, by: Any) -> GeneratedDocument:
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
    from .tasks import render_document

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
    source = spec.model._default_manager.filter(pk=document.source_id).first()
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


def attachment_add(
    *, owner: Any, council: Any, upload: Any, title: str, by: Any, confidential: bool = False
) -> Attachment:
    """Store a checked upload against a record (validate_upload has run in the form). A
    confidential file (a scan naming a petitioner) is stored encrypted with the field keys."""
    data = upload.read()
    upload.seek(0)
    name = safe_name(upload.name)
    attachment = Attachment(
        council=council,
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        title=title or name,
        original_name=name,
        content_type=MIME[sniff(upload) or "pdf"],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
        encrypted=confidential,
    )
    if confidential:
        from petitions.crypto import encrypt_bytes  # the field keys

        data = encrypt_bytes(data)
    attachment.file.save(f"{attachment.sha256[:16]}-{name}", ContentFile(data), save=False)
    attachment.save()
    return attachment


def attachments_of(owner: Any) -> Any:
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("uploaded_by")


def follow_up_answer(
    *,
    follow_up: FollowUp,
    received_on: Any,
    content: str,
    reference: str,
    progress: int,
    status: str,
    by: Any,
) -> FollowUpAnswer:
    """Record an answer or progress report and move the follow-up's status and progress."""
    if received_on < follow_up.sent_on:
        raise ValidationError(_("An answer cannot be received before the item was sent."))
    with transaction.atomic():
        answer = FollowUpAnswer.objects.create(
            follow_up=follow_up,
            received_on=received_on,
            content=content,
            reference=reference,
            progress=progress,
            recorded_by=by,
        )
        follow_up.progress = 100 if status == FollowUpStatus.DONE else progress
        follow_up.status = status
        follow_up.closed_on = received_on if status == FollowUpStatus.DONE else None
        follow_up.save()
    return answer


def follow_up_set_due(*, follow_up: FollowUp, rule_key: str, start: Any) -> Deadline:
    """Set a follow-up's due date from a rule (deadline engine), keeping how it was computed so
    that a change of the holiday calendar recomputes it. The caller saves the follow-up."""
    deadline = due_date(rule_key, start, council=follow_up.council)
    follow_up.due_rule = rule_key
    follow_up.due_start = start
    follow_up.due_date = deadline.date
    # Stored in the portal's language; pages in another one build it again (portal tags).
    with translation.override(settings.LANGUAGE_CODE):
        follow_up.due_explanation = deadline.explanation[:300]
    return deadline


def follow_ups_recompute(day: Any) -> int:
    """Recompute the rule-based due dates of open follow-ups whose period may include `day`."""
    moved = 0
    candidates = (
        FollowUp.objects.open()
        .exclude(due_rule="")
        .filter(due_start__lte=day)
        .select_related("council")
    )
    for follow_up in candidates:
        # A period that ended well before the changed day cannot include it (the longest roll
        # over a holiday block is about ten days).
        if follow_up.due_date < day - dt.timedelta(days=15):
            continue
        old = follow_up.due_date
        follow_up_set_due(
            follow_up=follow_up, rule_key=follow_up.due_rule, start=follow_up.due_start
        )
        if follow_up.due_date != old:
            follow_up.save(update_fields=["due_date", "due_explanation"])
            moved += 1
    return moved


def calendar_override_save(*, override: CalendarOverride, old_date: Any = None) -> dict[str, int]:
    """Save a day off or a swapped working day, then recompute the open due dates it affects
    (the core's follow-ups and every app that registered a recomputer)."""
    with transaction.atomic():
        override.save()
        moved = calendar_changed(override.date)
        if old_date and old_date != override.date:
            for name, count in calendar_changed(old_date).items():
                moved[name] = moved.get(name, 0) + count
    return moved


def calendar_override_delete(*, override: CalendarOverride) -> dict[str, int]:
    with transaction.atomic():
        day = override.date
        override.delete()
        return calendar_changed(day)


def notify(
    *,
    user: Any,
    key: str,
    title: str,
    link: str = "",
    body: str = "",
    council: Council | None = None,
    email: str = "notification",
) -> Notification | None:
    """Notify a user once per key (an item and a threshold): the in-app list, and an e-mail
    through the one e-mail helper. Returns None when this key was already notified."""
    from .emails import send_email

    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key[:200],
            defaults={"title": title[:300], "link": link[:300], "body": body, "council": council},
        )
    if not created:
        return None
    if email and getattr(user, "email", ""):
        context = {"notification": notification, "user": user, "site_url": settings.SITE_URL}
        notification.emailed = send_email(email, [user.email], context)
        notification.save(update_fields=["emailed"])
    return notification


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
