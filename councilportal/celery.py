"""The Celery application, configured from Django settings (CELERY_* names)."""

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")

app = Celery("councilportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _refuse_without_secrets(what: str) -> None:
    """With DEBUG off, never run jobs on development secrets (councilportal/security/secrets.py). A
    SystemExit, because Celery logs and ignores any Exception raised by a signal handler."""
    from django.core.exceptions import ImproperlyConfigured

    from councilportal.security.secrets import require_production_secrets

    try:
        require_production_secrets(what)
    except ImproperlyConfigured as exc:
        raise SystemExit(f"ImproperlyConfigured: {exc}") from None


@celeryd_init.connect
def _worker_needs_secrets(**kwargs: Any) -> None:
    _refuse_without_secrets("the Celery worker")


@beat_init.connect
def _beat_needs_secrets(**kwargs: Any) -> None:
    _refuse_without_secrets("Celery beat")
