"""Settings for Council Portal: one module, driven by environment variables.

Development defaults (SQLite, broker-free background jobs, DEBUG on only when asked) need no
configuration; production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The demo (`make run`): DEBUG off, as users see the portal, but with its secrets generated once
# into VAR_DIR and the demo's known passwords. Explicit, and never in production.
DEMO = env_bool("DEMO", False)
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def generated_secret(path: Path) -> str:
    """A random secret kept in a file under VAR_DIR, created once (the demo's SECRET_KEY); of
    two processes starting together the second reads the first's."""
    import secrets
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            if text := path.read_text().strip():
                return text
            time.sleep(0.02)
        raise
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


# Production sets SECRET_KEY: with DEBUG off (and not the demo) the web server and the workers
# refuse to start without it, and `check --deploy` says so (councilportal/security/secrets.py). The
# development key below serves DEBUG=1, `manage.py` housekeeping and the test suite only.
DEVELOPMENT_SECRET_KEY = "dev-insecure-key-change-me-0123456789-abcdefghijklmnop"  # noqa: S105
SECRET_KEY_GIVEN = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    generated_secret(VAR_DIR / "secret-key") if DEMO else DEVELOPMENT_SECRET_KEY
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "councilportal.apps.CoreConfig",
    "sessions.apps.SessionsConfig",
    "resolutions.apps.ResolutionsConfig",
    "supervision.apps.SupervisionConfig",
    "petitions.apps.PetitionsConfig",
    "liaison.apps.LiaisonConfig",
    "agencies.apps.AgenciesConfig",
    "public.apps.PublicConfig",
    "django.contrib.sitemaps",
    "oparl.apps.OparlConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "councilportal.web.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "councilportal.security.two_factor.TwoFactorMiddleware",
    # An agency user sees the agency workspace only (every other page: 404).
    "agencies.middleware.AgencyWorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): five wrong passwords for one user name from one address lock
# that pair out for AXES_COOLOFF_MINUTES; a success clears the count. Locking the user name
# alone would let anyone lock a clerk out; locking the address alone would lock a whole
# secretariat behind one office gateway.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "councilportal.security.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "councilportal.security.throttling.client_ip"
AXES_VERBOSE = False  # its log lines would carry user names and addresses
# Behind a reverse proxy, how many proxies append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Two-step log-in (django-otp, codes from an authenticator app): optional for everyone, required
# for the roles listed here (default: the confidential petition handler; e.g. "leader,handler")
# and always for superusers and staff; the codes' issuer name in the app.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", "handler")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Cong thong tin HDND")

# Content Security Policy (django-csp): scripts and styles only from our own static files; no
# inline script, style attribute, eval, plug-in or framing anywhere (tests check every page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "councilportal.urls"
WSGI_APPLICATION = "councilportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # EXTRA_TEMPLATE_DIRS lets a secretariat override a template (e.g. its own letterhead
        # wording) without changing the code; those directories come first.
        "DIRS": [*env_list("EXTRA_TEMPLATE_DIRS"), BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "councilportal.web.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy demo must not fail on "database is locked" while a worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Covering indexes (INCLUDE) are for PostgreSQL's dashboard; SQLite makes them plain ones.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # Vietnamese text sorts and lower-cases correctly only with a UTF-8 collation.
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = "template0"
    DATABASES["default"]["TEST"]["CHARSET"] = "UTF8"
    # No JIT compilation: on the dashboard's counts over millions of rows PostgreSQL judged it
    # worth compiling them and spent 250 ms doing so, more than some queries take to run.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "councilportal.security.throttling.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and time: Vietnamese first, English second; Vietnam's time zone; dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["councilportal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads and generated documents live outside the web root and are served only through
# access-checked views; MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
# Uploads and generated documents go through Django's storage API only. One machine: local
# files under MEDIA_ROOT. Several machines (a worker writes a PDF that another machine's web
# process serves): STORAGE_BACKEND=s3 and an S3-compatible object store (django-storages).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "location": os.environ.get("AWS_LOCATION", ""),
            # Private objects, never public URLs: files are served by access-checked views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", not DEMO)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The demo serves static files straight from the source folders (no collectstatic step), through
# WhiteNoise as in production: `runserver` serves none with DEBUG off.
WHITENOISE_USE_FINDERS = DEMO
WHITENOISE_AUTOREFRESH = DEMO

# Background jobs: Redis when REDIS_URL is set; otherwise a broker-free filesystem transport
# under VAR_DIR, served by the worker that `make run` starts next to the web server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
    # Optional: this portal's keys apart from others' on the same Redis database (the test
    # suite's parallel workers use it; councilportal/settings_test.py).
    if os.environ.get("REDIS_KEY_PREFIX"):
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = os.environ["REDIS_KEY_PREFIX"]
else:
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = str(VAR_DIR / "broker")
    # The transport neither creates its folders nor says so clearly: a fresh clone needs them.
    for _folder in (VAR_DIR / "broker", VAR_DIR / "broker-processed"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue_dir,
        "data_folder_out": _queue_dir,
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # Its exchange tables, which would otherwise land in a "control" folder of the cwd.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# A job is acknowledged only when it ends, so a worker that dies mid-job leaves it to the next
# one; the broker hands an unacknowledged job out again after the visibility timeout, which
# must exceed the longest job (render_document stops at 300 s, daily_reminders at 900 s).
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = int(
    os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1800")
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Slow PDF jobs have their own queue so that they never delay reminders and other short jobs.
CELERY_TASK_ROUTES = {"councilportal.tasks.render_document": {"queue": "documents"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down a web request must not hang: a publish is tried once and given up at
# once when Redis refuses connections, within 3 s when it hangs without answering (socket
# timeout; it must stay above the workers' 1 s BRPOP poll). redis-py itself reconnects a pooled
# connection gone stale (Redis restarted). The document stays queued and the requeue job below
# sends it once the broker is back. Measured: refused 0.01 s, hung (SIGSTOP) 3.0 s; with
# Celery's defaults a hung Redis still held it after 60 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] = 3
# A document queued this long (seconds) without a worker taking it is sent again; one left
# "rendering" this long (beyond the 300 s hard limit) lost its worker and is queued again.
DOCUMENT_REQUEUE_SECONDS = int(os.environ.get("DOCUMENT_REQUEUE_SECONDS", "60"))
DOCUMENT_RENDER_STALL_SECONDS = int(os.environ.get("DOCUMENT_RENDER_STALL_SECONDS", "900"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_IGNORE_RESULT = True
# Periodic jobs, versioned with the code (`celery -A councilportal beat`). Apps add sources to
# the one daily reminder job (follow_ups/reminders.py register_reminder), not entries here.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "councilportal.tasks.daily_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "requeue-stalled-documents": {
        "task": "councilportal.tasks.requeue_stalled_documents",
        "schedule": 60.0,
    },
    "purge-import-stashes": {
        "task": "councilportal.tasks.purge_import_stashes",
        "schedule": 900.0,
    },
}

# Sessions and cookies: short idle sessions for a portal holding confidential records.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # The demo serves plain HTTP on this machine: no HTTPS redirect, secure cookies or HSTS
    # (a browser would remember HSTS for 127.0.0.1) unless asked.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEMO)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEMO)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEMO)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEMO else "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "council-portal@localhost")
# The portal's own address, for links in e-mails sent by background jobs (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

PAGE_SIZE = 25
# Uploads: the largest file accepted (bytes); the web server's own limit must be at least this.
# The public portal (issue 20): Django's cache holds its rendered pages (public/cache.py), the
# rate-limit counters and the used challenge tokens: Redis when REDIS_URL is set, so every web
# process shares them; else the process's memory (the demo's single server).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "") + "cache",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))
PUBLIC_PETITION_LIMIT = int(os.environ.get("PUBLIC_PETITION_LIMIT", "5"))  # per address, hour
PUBLIC_CHALLENGE_MIN_SECONDS = float(os.environ.get("PUBLIC_CHALLENGE_MIN_SECONDS", "3"))
PUBLIC_UPLOAD_TOTAL_BYTES = int(os.environ.get("PUBLIC_UPLOAD_TOTAL_BYTES", str(20 * 1024 * 1024)))

MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads and generated documents (and the folders made for them) are the portal user's only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# Error reports (mails to ADMINS, the debug page) carry no request values, cookies, local
# variables or secrets: councilportal/security/error_reports.py.
DEFAULT_EXCEPTION_REPORTER = "councilportal.security.error_reports.PortalExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "councilportal.security.error_reports.PortalReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "councilportal.web.log_filters.ClientErrorsWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # 4xx answers: one line each, without a traceback (councilportal/web/log_filters.py).
        "django.request": {"filters": ["client_errors"]},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Petitions: keys encrypting denouncers' identity at rest (Law on Denunciations 2018, art. 47),
# their own setting, never SECRET_KEY and never in the repository. FIELD_ENCRYPTION_KEYS is a
# comma-separated list of Fernet keys, newest first (older ones still decrypt: rotation);
# FIELD_BLIND_INDEX_KEY keys the HMAC used for exact-match lookups. Both are required with DEBUG
# off; with DEBUG on, in the demo and in the test suite, keys are generated once into
# VAR_DIR/field-keys.json (git-ignored).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_BLIND_INDEX_KEY = os.environ.get("FIELD_BLIND_INDEX_KEY", "")
