"""Production secrets: with DEBUG off the portal runs only on secrets of its own.

SECRET_KEY signs sessions and password-reset links; FIELD_ENCRYPTION_KEYS and
FIELD_BLIND_INDEX_KEY protect denouncers' identity (petitions/crypto.py). Every machine of an
installation needs the same ones, so none may be made up on the spot: with DEBUG off, the web
server (councilportal/wsgi.py, which `runserver` loads too) and the Celery worker and beat
(councilportal/celery.py) refuse to start without them, and `check --deploy` reports them.
Generated secrets under VAR_DIR are for development (DEBUG=1), the demo (DEMO=1, `make run`) and
the test suite only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def generated_secrets_allowed() -> bool:
    """Whether missing secrets may be replaced by development ones generated under VAR_DIR."""
    return bool(settings.DEBUG or settings.DEMO)


def missing_production_secrets() -> list[str]:
    """The secrets production must set that the environment does not give."""
    if generated_secrets_allowed():
        return []
    missing = []
    if not settings.SECRET_KEY_GIVEN:
        missing.append("SECRET_KEY")
    if not settings.FIELD_ENCRYPTION_KEYS:
        missing.append("FIELD_ENCRYPTION_KEYS")
    if not settings.FIELD_BLIND_INDEX_KEY:
        missing.append("FIELD_BLIND_INDEX_KEY")
    return missing


def explain(missing: list[str]) -> str:
    return (
        f"DEBUG is off but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
        "production runs only on secrets of its own, the same on every machine (see "
        "docs/operations.md, Environment). For the demo on this machine set DEMO=1 (it "
        "generates them under VAR_DIR); for development set DEBUG=1."
    )


def require_production_secrets(what: str) -> None:
    """Refuse to start `what` (the web server, a worker) without the production secrets."""
    missing = missing_production_secrets()
    if missing:
        raise ImproperlyConfigured(f"Refusing to start {what}. {explain(missing)}")


@checks.register(checks.Tags.security, deploy=True)
def check_production_secrets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    missing = missing_production_secrets()
    if missing:
        errors.append(checks.Error(explain(missing), id="councilportal.E010"))
    elif settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY and not generated_secrets_allowed():
        errors.append(
            checks.Error(
                "SECRET_KEY is the development key written in the repository: set a key of "
                "your own (docs/operations.md, Environment).",
                id="councilportal.E011",
            )
        )
    return errors
