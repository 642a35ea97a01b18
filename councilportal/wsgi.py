"""WSGI entry point (gunicorn councilportal.wsgi; `runserver` loads it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")
application = get_wsgi_application()

# With DEBUG off, never serve on development secrets (councilportal/security/secrets.py).
from councilportal.security.secrets import require_production_secrets  # noqa: E402

require_production_secrets("the web server")
