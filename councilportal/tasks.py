"""Celery's autodiscovery imports `<app>.tasks`: the core's tasks live with their mechanisms.

Each keeps its old name "councilportal.tasks.<function>" (explicit in its decorator), used by
CELERY_TASK_ROUTES, CELERY_BEAT_SCHEDULE and any job already queued."""

from councilportal.documents.tasks import render_document, requeue_stalled_documents
from councilportal.follow_ups.tasks import daily_reminders
from councilportal.spreadsheets.tasks import purge_import_stashes

__all__ = [
    "daily_reminders",
    "purge_import_stashes",
    "render_document",
    "requeue_stalled_documents",
]
