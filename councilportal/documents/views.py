"""Generated documents in the interface: request, watch, download, retry. Files are served only
here, after the access rules of the record they were made from."""

from __future__ import annotations

import io
import logging
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councilportal.access import get_for_user, object_view
from councilportal.documents.attachments import AttachmentForm, attachment_add, get_attachable
from councilportal.documents.registry import (
    DocumentKind,
    attachment_downloaded,
    get_kind,
    kinds_for,
)
from councilportal.documents.services import UnknownDocumentKind, document_request, document_retry
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument
from councilportal.typing import AuthenticatedHttpRequest

log = logging.getLogger(__name__)


def _kind_and_source(
    request: AuthenticatedHttpRequest, document: GeneratedDocument
) -> tuple[DocumentKind, Any]:
    """A document is read after the access rules of the record it was made from."""
    spec = get_kind(document.kind)
    source = spec.model._default_manager.filter(pk=document.source_id).first() if spec else None
    if spec is None or source is None or not spec.can_read(request.user, source):
        raise Http404
    return spec, source


_DOCUMENT_RELATED = ("requested_by", "source_type")


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


@object_view(GeneratedDocument, related=_DOCUMENT_RELATED)
def document_detail(request: AuthenticatedHttpRequest, document: GeneratedDocument) -> HttpResponse:
    spec, source = _kind_and_source(request, document)
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


@object_view(GeneratedDocument, related=_DOCUMENT_RELATED)
def document_download(
    request: AuthenticatedHttpRequest, document: GeneratedDocument
) -> FileResponse:
    spec, source = _kind_and_source(request, document)
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


@object_view(GeneratedDocument, related=_DOCUMENT_RELATED)
@require_POST
def document_retry_view(
    request: AuthenticatedHttpRequest, document: GeneratedDocument
) -> HttpResponse:
    spec, source = _kind_and_source(request, document)
    if not spec.can_request(request.user, source):
        raise PermissionDenied
    document_retry(document=document, by=request.user)
    messages.info(request, _("The document has been queued again."))
    return redirect(document)


def documents_panel(user: Any, source: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
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
@require_POST
def attachment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Attach an uploaded file to a record (POST `owner_type`, `owner`, `title`, `file`), for
    those who may write the record: a reader gets 403, a record out of scope 404. A file that
    fails the checks is not stored: the form comes back with the reason (400)."""
    attachable = get_attachable(request.POST.get("owner_type", ""))
    owner_id = request.POST.get("owner", "")
    if attachable is None or not owner_id.isdigit():
        raise Http404
    owner = get_for_user(
        attachable.model._default_manager.all(), request.user, int(owner_id), write=True
    )
    form = AttachmentForm(request.POST, request.FILES, attachable=attachable, owner=owner)
    if not form.is_valid():
        return render(
            request, "core/attachment_form.html", {"form": form, "owner": owner}, status=400
        )
    attachment_add(
        owner=owner,
        council=attachable.council_of(owner),
        upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"] or str(attachable.default_title),
        by=request.user,
    )
    messages.success(request, _("The file has been attached."))
    return redirect(cast(Any, owner).get_absolute_url() + attachable.anchor)


attachment_create.model = Attachment  # type: ignore[attr-defined]


@object_view(Attachment, related=("owner_type",))
def attachment_download(request: AuthenticatedHttpRequest, attachment: Attachment) -> FileResponse:
    """An attachment, after the access rules of its council and of the record it belongs to."""
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
