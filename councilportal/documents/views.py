"""Generated documents in the interface: request, watch, download, retry. Files are served only
here, after the access rules of the record they were made from."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councilportal.access import get_for_user
from councilportal.documents.registry import (
    DocumentKind,
    attachment_downloaded,
    get_kind,
    kinds_for,
)
from councilportal.documents.services import UnknownDocumentKind, document_request, document_retry
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument
from councilportal.typing import AnyUser, AuthenticatedHttpRequest

log = logging.getLogger(__name__)


def _document_for(request: HttpRequest, pk: int) -> tuple[GeneratedDocument, DocumentKind, Any]:
    document = get_for_user(
        GeneratedDocument.objects.select_related("requested_by", "source_type"), request.user, pk
    )
    spec = get_kind(document.kind)
    source = spec.model._default_manager.filter(pk=document.source_id).first() if spec else None
    if spec is None or source is None or not spec.can_read(request.user, source):
        raise Http404
    return document, spec, source


@login_required
@require_POST
def document_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    spec = get_kind(request.POST.get("kind", ""))
    source_id = request.POST.get("source", "")
    if spec is None or not source_id.isdigit():
        raise Http404
    source = get_for_user(spec.model._default_manager.all(), request.user, int(source_id))
    try:
        document = document_request(kind=spec.key, source=source, by=request.user)
    except UnknownDocumentKind:
        raise Http404 from None
    messages.info(request, _("The document has been queued; this page shows its progress."))
    return redirect(document)


document_create.model = GeneratedDocument  # type: ignore[attr-defined]


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document, spec, source = _document_for(request, pk)
    context = {"document": document, "spec": spec, "source": source}
    if getattr(request, "htmx", False):
        response = render(request, "core/_document_status.html", context)
        if document.is_finished:
            # Polling only runs while the job is unfinished: reload the page once so the
            # versions table and timings below the status line are current too.
            response["HX-Refresh"] = "true"
        return response
    versions = GeneratedDocument.objects.filter(
        kind=document.kind, source_type=document.source_type, source_id=document.source_id
    ).select_related("requested_by")
    context["versions"] = versions
    context["can_request"] = spec.can_request(request.user, source)
    return render(request, "core/document_detail.html", context)


document_detail.model = GeneratedDocument  # type: ignore[attr-defined]


def _open_stored(field_file: Any) -> Any:
    """A stored file for reading, decrypted when it is stored encrypted (a confidential file);
    a record whose file is gone from the store, or that no key opens, is a 404 (and a warning
    in the log), not a server error."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        log.warning("stored file missing: %s (%s)", field_file.name, type(exc).__name__)
        raise Http404 from exc
    if not getattr(field_file.instance, "encrypted", False):
        return handle
    from cryptography.fernet import InvalidToken

    from petitions.crypto import decrypt_bytes  # the field keys

    with handle:
        token = handle.read()
    try:
        return io.BytesIO(decrypt_bytes(token))
    except InvalidToken as exc:
        log.warning("stored file not readable with the field keys: %s", field_file.name)
        raise Http404 from exc


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document, spec, source = _document_for(request, pk)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    response = FileResponse(
        _open_stored(document.file),
        as_attachment=request.GET.get("inline") != "1",
        filename=document.filename(),
        content_type="application/pdf",
    )
    if spec.on_download is not None:
        spec.on_download(request.user, source)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


document_download.model = GeneratedDocument  # type: ignore[attr-defined]


@login_required
@require_POST
def document_retry_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document, spec, source = _document_for(request, pk)
    if not spec.can_request(request.user, source):
        raise PermissionDenied
    document_retry(document=document, by=request.user)
    messages.info(request, _("The document has been queued again."))
    return redirect(document)


document_retry_view.model = GeneratedDocument  # type: ignore[attr-defined]


def documents_panel(user: AnyUser, source: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Context for the "Documents" panel of a printable record's page (kinds in `exclude`
    have their own place on the page, e.g. minutes with their approval flow)."""
    kinds = [
        k for k in kinds_for(type(source)) if k.key not in exclude and k.can_read(user, source)
    ]
    versions = []
    if kinds:
        versions = list(
            GeneratedDocument.objects.filter(
                source_type=ContentType.objects.get_for_model(source),
                source_id=source.pk,
                kind__in=[k.key for k in kinds],
            ).select_related("requested_by")[:20]
        )
    return {
        "doc_kinds": [(k, k.can_request(user, source)) for k in kinds],
        "doc_versions": versions,
        "doc_source": source,
    }


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, after the access rules of its council and of the record it belongs to."""
    attachment = get_for_user(Attachment.objects.select_related("owner_type"), request.user, pk)
    owner_model = attachment.owner_type.model_class()
    manager: Any = owner_model._default_manager if owner_model else None
    if manager is None or (
        hasattr(manager, "visible_to")
        and not manager.visible_to(request.user).filter(pk=attachment.owner_id).exists()
    ):
        raise Http404
    response = FileResponse(
        _open_stored(attachment.file),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    attachment_downloaded(owner_model, request.user, attachment.owner_id)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


attachment_download.model = Attachment  # type: ignore[attr-defined]
