"""Re-encrypt every petitioner's identity (and its history rows) with the newest key of
FIELD_ENCRYPTION_KEYS. Put the new key first, keep the old ones after it, run this command, then
remove the old keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from petitions.crypto import Sealed, rotate
from petitions.models import Petitioner

FIELDS = ("full_name", "address", "phone", "id_number")


class Command(BaseCommand):
    help = "Re-encrypt denouncers' identity with the newest FIELD_ENCRYPTION_KEYS key."

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
        self.stdout.write(f"Re-encrypted {count} rows.")
