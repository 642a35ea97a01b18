"""Attachments: the one upload validator (size limit and type by content, not only by the file
name), the one upload form, the registry of the records that take files (`Attachable`, declared
in each app's `documents.py`, as printable kinds are) and the service that stores an uploaded
file on its owner. The one view that receives uploads is `core:attachment-create`."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councilportal.models import Attachment
from councilportal.typing import User

PDF, JPEG, PNG, DOCX, XLSX = "pdf", "jpeg", "png", "docx", "xlsx"
MIME = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: {"pdf"}, JPEG: {"jpg", "jpeg"}, PNG: {"png"}, DOCX: {"docx"}, XLSX: {"xlsx"}}
DOCUMENT_TYPES = (PDF, DOCX, XLSX, JPEG, PNG)


def sniff(handle: IO[bytes]) -> str | None:
    """The file's real type from its first bytes (and, for Office files, its zip contents)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            handle.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    return None


def validate_upload(upload: Any, allowed: tuple[str, ...] = DOCUMENT_TYPES) -> str:
    """Check an uploaded file; return its detected kind or raise a ValidationError saying, in
    the user's language, what is wrong and what is accepted."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(upload.file if hasattr(upload, "file") else upload)
    accepted = ", ".join(k.upper() for k in allowed)
    if kind not in allowed:
        raise ValidationError(
            _("The file's content is not of an accepted type (%(types)s).") % {"types": accepted},
            code="bad_type",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name (.%(ext)s) does not match its content (%(kind)s).")
            % {"ext": extension or "?", "kind": kind.upper()},
            code="mismatch",
        )
    return kind


def safe_name(name: str) -> str:
    """A file name safe to store: the base name only, no path, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    return cleaned[:200] or "file"


def attachment_add(
    *,
    owner: Any,
    council: Any,
    upload: Any,
    title: str,
    by: User | None,
    confidential: bool = False,
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


@dataclass(frozen=True)
class Attachable:
    """A kind of record that takes uploaded files, and on what terms. The upload goes to
    `core:attachment-create`, which checks that the user may write the record."""

    model: type[Model]
    council_of: Callable[[Any], Any]
    types: tuple[str, ...] = DOCUMENT_TYPES
    # The file field's label and help, and the title given when the uploader names none (the
    # file's own name when empty).
    label: Any = gettext_lazy("File")
    help_text: Any = gettext_lazy("PDF, DOCX, XLSX, JPEG or PNG; checked by its content.")
    default_title: Any = ""
    # Where on the owner's page the upload returns ("#files").
    anchor: str = ""

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_ATTACHABLES: dict[str, Attachable] = {}


def register_attachable(attachable: Attachable) -> Attachable:
    _ATTACHABLES[attachable.key] = attachable
    return attachable


def get_attachable(key: str) -> Attachable | None:
    return _ATTACHABLES.get(key)


class AttachmentForm(forms.Form):
    """The one upload form: a file checked by `validate_upload` against the types its owner's
    kind accepts, and an optional title. The owner travels in two hidden fields."""

    owner_type = forms.CharField(widget=forms.HiddenInput)
    owner = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    file = forms.FileField()

    def __init__(self, *args: Any, attachable: Attachable, owner: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"owner_type": attachable.key, "owner": owner.pk})
        super().__init__(*args, **kwargs)
        self.attachable = attachable
        self.owner_object = owner
        self.fields["file"].label = attachable.label
        self.fields["file"].help_text = attachable.help_text
        for name in ("title", "file"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_upload(upload, self.attachable.types)
        return upload


def attachment_form(owner: Any) -> AttachmentForm:
    """The empty upload form of a record's page (its model must be registered as attachable)."""
    attachable = get_attachable(type(owner)._meta.label_lower)
    if attachable is None:
        raise LookupError(f"{type(owner).__name__} takes no attachments: register it.")
    return AttachmentForm(attachable=attachable, owner=owner)
