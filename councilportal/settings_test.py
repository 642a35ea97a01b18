"""The test suite's settings (pytest: pyproject's DJANGO_SETTINGS_MODULE): production's, shaped
for a test run. DEBUG stays off; plain HTTP and no collectstatic: no HTTPS redirect, no
secure-only cookies, no HSTS (a browser would remember it for localhost).

Processes a test starts (workers, gunicorn, manage.py) run production's settings module
(tests/conftest.py puts it back into their environment)."""

import os

# Parallel runs (pytest-xdist: gw0, gw1...) share one Redis database: each worker's jobs go
# under its own key prefix, so that one worker's Celery processes never take another's jobs.
# Set before the settings are read; the processes a test starts inherit it.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_KEY_PREFIX"] = f"pytest-{os.environ['PYTEST_XDIST_WORKER']}:"

from .settings import *  # noqa: E402, F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Secrets as in the demo: generated under VAR_DIR (a process started by a test gets them
# explicitly: tests/faults/processes.py, production_secrets()). Only DEMO itself changes: the
# values production's module derives from it (SECRET_KEY, static files...) stay as it made them.
DEMO = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Two-step log-in has its own tests (tests/core/test_two_factor.py, the handler's demo journey)
# which set the roles; elsewhere a handler logs in with the password alone. Superusers and staff
# always need it: tests/conftest.py `log_in` gives them a verified session.
TWO_FACTOR_REQUIRED_ROLES = []
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The public portal's cache, rate limits and challenge tokens: none (a page cached in one test,
# from data rolled back since, must never answer the next); tests/public/conftest.py gives its
# tests a memory cache of their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PUBLIC_CHALLENGE_MIN_SECONDS = 0
