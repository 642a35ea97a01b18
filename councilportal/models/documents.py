"""Generated documents (PDFs rendered in the background) and uploaded attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models.councils import Council, scoped_queryset

if TYPE_CHECKING:
    pass


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def document_upload_to(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.kind.replace('.', '/')}/{instance.source_id}/{filename}"


class GeneratedDocument(models.Model):
    """A generated document (văn bản được tạo): one rendered version of a printable record.

    Versions are never overwritten: regenerating adds version n+1, so a printed and signed copy
    stays retrievable exactly as it was (file + SHA-256)."""

    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="documents"
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=300)
    # The stored file is a MultiFernet token of the PDF (field keys): a confidential kind.
    encrypted = models.BooleanField(_("encrypted at rest"), default=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # When its job was last handed to the broker; empty while the broker refused it. The
    # periodic requeue job re-sends a document queued too long (broker down, message lost).
    sent_at = models.DateTimeField(_("sent to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)

    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "version"],
                name="document_unique_version",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")),
                name="document_done_has_file",
            ),
        ]
        indexes = [models.Index(fields=["source_type", "source_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("core:document-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def source(self) -> Any:
        return self.source_type.get_object_for_this_type(pk=self.source_id)

    def filename(self) -> str:
        from councilportal.web.text import search_normalise

        slug = "-".join(search_normalise(self.title).split())[:80] or "document"
        slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")
        return f"{slug}-v{self.version}.pdf"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.council_id}/{timezone.now():%Y/%m}/{filename}"


class AttachmentQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> AttachmentQuerySet:
        """Files shown on the public portal: published by a clerk, never encrypted (a scan
        naming a petitioner), and attached to a record that is itself public."""
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        owners = Q(pk__in=[])
        for label in PUBLIC_ATTACHMENT_OWNERS:
            model = apps.get_model(label)
            owners |= Q(
                owner_type=ContentType.objects.get_for_model(model),
                owner_id__in=model.objects.public().values("pk"),
            )
        return self.filter(owners, published=True, encrypted=False)


# The records whose files may be public (each has a `.public()` queryset method).
PUBLIC_ATTACHMENT_OWNERS = (
    "council_sessions.Session",
    "council_sessions.AgendaItem",
    "council_sessions.Meeting",
    "resolutions.Resolution",
    "resolutions.Submission",
    "supervision.Programme",
    "supervision.Activity",
    "supervision.Questioning",
)


class Attachment(models.Model):
    """A file attached to a record (tài liệu đính kèm): stored outside the web root and served
    only through an access-checked view; its type was checked by content on upload."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="attachments"
    )
    owner_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    # The stored file is a MultiFernet token (field keys): a scan naming a petitioner.
    encrypted = models.BooleanField(_("encrypted at rest"), default=False)
    published = models.BooleanField(
        _("published on the public portal"),
        default=False,
        help_text=_("Only a file of a public record, never an encrypted one."),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:attachment-download", args=[self.pk])
