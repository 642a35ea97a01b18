"""Re-encrypt every petitioner's identity (and its history rows) and every confidential file
(petitions' scans, unredacted letters) with the newest key of FIELD_ENCRYPTION_KEYS. Put the new
key first, keep the old ones after it, run this command, then remove the old keys.

A confidential file still stored in clear (made before files were encrypted) is encrypted on
the way, so running the command once after upgrading leaves no identity in a plain file."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Model, Q

from councilportal.documents.registry import get_kind
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument
from petitions.crypto import Sealed, encrypt_bytes, rotate, rotate_bytes
from petitions.models import Petition, Petitioner

FIELDS = ("full_name", "address", "phone", "id_number")


def _reseal(model: type[Model], row: Any) -> None:
    """Write the file again, encrypted with the newest key, under a new name; the row points
    to it before the old file is removed (an interrupted run loses nothing)."""
    field_file = row.file
    with field_file.open("rb") as handle:
        data = handle.read()
    data = rotate_bytes(data) if row.encrypted else encrypt_bytes(data)
    storage, old_name = field_file.storage, field_file.name
    new_name = storage.save(old_name, ContentFile(data))
    model._default_manager.filter(pk=row.pk).update(file=new_name, encrypted=True)
    if new_name != old_name:
        storage.delete(old_name)


def _confidential_files() -> list[tuple[type[Model], Any]]:
    from django.contrib.contenttypes.models import ContentType

    confidential_kinds = [
        key
        for key in GeneratedDocument.objects.values_list("kind", flat=True).distinct()
        if (spec := get_kind(key)) is not None and spec.confidential
    ]
    documents = GeneratedDocument.objects.filter(
        Q(encrypted=True) | Q(kind__in=confidential_kinds), status=DocumentStatus.DONE
    ).exclude(file="")
    # A petition's (or petitioner's) only attachments are its scans (petitions.views).
    scans_of = ContentType.objects.get_for_models(Petition, Petitioner).values()
    attachments = Attachment.objects.filter(Q(encrypted=True) | Q(owner_type__in=list(scans_of)))
    return [(GeneratedDocument, d) for d in documents] + [(Attachment, a) for a in attachments]


class Command(BaseCommand):
    help = "Re-encrypt denouncers' identity and confidential files with the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for model in (Petitioner, Petitioner.history.model):
            with transaction.atomic():
                for row in model.objects.select_for_update().iterator():  # type: ignore[attr-defined,misc]
                    changes = {}
                    for name in FIELDS:
                        value = getattr(row, name)
                        if isinstance(value, Sealed) and value.token:
                            changes[name] = Sealed(rotate(value.token))
                    if changes:
                        # A plain UPDATE: re-encryption is not an edit and makes no history row.
                        model.objects.filter(pk=row.pk).update(**changes)  # type: ignore[attr-defined,misc]
                        count += 1
        files = 0
        for model, row in _confidential_files():
            _reseal(model, row)
            files += 1
        self.stdout.write(f"Re-encrypted {count} rows and {files} files.")
