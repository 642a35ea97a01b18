"""The purge of abandoned import uploads (Celery beat).

The task keeps its old name "councilportal.tasks.purge_import_stashes" (CELERY_BEAT_SCHEDULE
and jobs already queued use it)."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger("councilportal.tasks")


@shared_task(
    name="councilportal.tasks.purge_import_stashes",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
)
def purge_import_stashes() -> int:
    """Every quarter of an hour: delete the uploads of import previews never confirmed (they
    hold petitioners' identities, encrypted) once their hour is over."""
    from councilportal.spreadsheets.importing import stash_purge

    deleted = stash_purge()
    if deleted:
        log.info("purged %s abandoned import upload(s)", deleted)
    return deleted
