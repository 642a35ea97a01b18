"""docs/operations.md walked as written: the production environment (DEBUG off, hashed static
files, HTTPS behind a proxy that sends X-Forwarded-Proto, its own secrets), the "First
deployment" commands (migrate, collectstatic, compilemessages, check --deploy, createsuperuser),
gunicorn and a `documents` worker started with the documented command lines, then a user's
path: a hashed static file served by WhiteNoise, log in, a register, a PDF requested, rendered
by the worker and downloaded."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from django.db import connection
from django_otp.oath import totp

from councilportal.councils.documents import TERM_ROSTER
from councilportal.models import Delegate, GeneratedDocument
from tests import factories as f
from tests.faults.processes import (
    ROOT,
    VENV_BIN,
    RedisServer,
    _stop,
    current_database_url,
    free_port,
    wait_for,
)
from tests.pdftools import pdf_fonts, pdf_text

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="production runs on PostgreSQL (docs/operations.md): set DATABASE_URL",
    ),
]

# Variables of the developer's or the test run's shell that production does not have.
NOT_IN_PRODUCTION = {
    "DEBUG",
    "DEMO",
    "STATIC_MANIFEST",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_BLIND_INDEX_KEY",
}


def production_env(tmp_path: Path, redis_url: str, port: int) -> dict[str, str]:
    """/etc/councilportal/env of the guide, for this machine."""
    base = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    return {
        **base,
        "DEBUG": "0",
        "SECRET_KEY": "walk-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DATABASE_URL": current_database_url(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "VAR_DIR": str(tmp_path / "var"),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_BLIND_INDEX_KEY": Fernet.generate_key().decode(),
        "DJANGO_SUPERUSER_USERNAME": "quantri.walk",
        "DJANGO_SUPERUSER_PASSWORD": "Walk-the-docs-2026",
        "DJANGO_SUPERUSER_EMAIL": "ops@example.gov.vn",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


class Browser:
    """Requests as nginx passes them on (X-Forwarded-Proto: https), keeping the Secure cookies
    a browser on HTTPS would keep."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.origin = base.replace("http://", "https://")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + "/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def csrf(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, path
        return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_the_operations_guide_deploys_a_portal_that_serves_and_renders(tmp_path: Path) -> None:
    assert connection.vendor == "postgresql"
    term = f.TermFactory()
    Delegate.objects.create(
        term=term,
        full_name="Nguyễn Thị Triển Khai",
        electoral_unit="Đơn vị bầu cử số 1",
        start_date=term.start_date,
    )
    redis = RedisServer(tmp_path)
    redis.start()
    port = free_port()
    env = production_env(tmp_path, redis.url, port)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        # First deployment, in the guide's order.
        manage(env, "migrate")
        manage(env, "collectstatic", "--noinput")
        assert (tmp_path / "static" / "staticfiles.json").exists()
        manage(env, "compilemessages", "--ignore=.venv")
        assert "no issues" in manage(env, "check", "--deploy", "--fail-level", "WARNING")
        manage(env, "createsuperuser", "--noinput")

        # gunicorn and a documents worker, with the guide's command lines (fewer processes:
        # the machine running the suite is small).
        web_log = tmp_path / "gunicorn.log"
        processes.append(
            subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "councilportal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "30",
                ],
                cwd=ROOT,
                env=env,
                stdout=web_log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        worker_log = tmp_path / "worker.log"
        processes.append(
            subprocess.Popen(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "councilportal",
                    "worker",
                    "-Q",
                    "documents",
                    "-n",
                    f"documents-walk{os.getpid()}@%h",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=worker_log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        browser = Browser(f"http://127.0.0.1:{port}")

        def serving() -> bool:
            try:
                return browser.request("GET", "/login/").status_code == 200
            except requests.ConnectionError:
                return False

        wait_for(serving, 60, "gunicorn to serve the login page")
        wait_for(lambda: "ready." in worker_log.read_text(), 60, "the documents worker")

        # Behind nginx the portal redirects plain HTTP to HTTPS.
        plain = requests.get(f"http://127.0.0.1:{port}/login/", allow_redirects=False, timeout=30)
        assert plain.status_code == 301
        assert plain.headers["Location"].startswith("https://")

        # The login page links hashed static files, which WhiteNoise serves for a year.
        login_page = browser.request("GET", "/login/").text
        assert "Debug" not in login_page
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', login_page)
        hashed = [s for s in stylesheets if re.search(r"\.[0-9a-f]{12}\.css$", s)]
        assert hashed, stylesheets
        for path in hashed:
            static = browser.request("GET", path)
            assert static.status_code == 200, path
            assert "max-age=315360000" in static.headers["Cache-Control"], path
        scripts = re.findall(r'src="(/static/[^"]+\.js)"', login_page)
        assert scripts and all(re.search(r"\.[0-9a-f]{12}\.js$", s) for s in scripts), scripts
        bundle = next(s for s in scripts if "bootstrap" in s)
        assert browser.request("GET", bundle).status_code == 200

        # Log in as the superuser the guide creates.
        token = browser.csrf("/login/")
        answer = browser.request(
            "POST",
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": "quantri.walk",
                "password": "Walk-the-docs-2026",
            },
        )
        assert answer.status_code == 302, answer.text[:2000]
        assert answer.headers["Location"] == "/"

        # A superuser must set up two-step log-in first: read the key off the set-up page, as
        # an operator types it into an authenticator app, and confirm with the current code.
        setup = browser.request("GET", "/terms/")
        assert setup.status_code == 302
        assert setup.headers["Location"].startswith("/account/two-step/")
        page = browser.request("GET", setup.headers["Location"]).text
        key = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', page)
        assert key is not None, page[:2000]
        secret = key.group(1).replace(" ", "")
        code = f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"
        token = browser.csrf(setup.headers["Location"])
        confirmed = browser.request(
            "POST",
            setup.headers["Location"],
            data={"csrfmiddlewaretoken": token, "code": code},
        )
        assert confirmed.status_code == 302, confirmed.text[:2000]

        # A register.
        terms = browser.request("GET", "/terms/")
        assert terms.status_code == 200
        assert term.name in terms.text

        # A PDF: requested from the record's page, rendered by the worker, downloaded.
        token = browser.csrf(f"/terms/{term.pk}/")
        queued = browser.request(
            "POST",
            "/documents/new/",
            data={"csrfmiddlewaretoken": token, "kind": TERM_ROSTER.key, "source": term.pk},
        )
        assert queued.status_code == 302, queued.text[:2000]
        document_path = queued.headers["Location"]
        pk = int(document_path.rstrip("/").rsplit("/", 1)[1])
        document = GeneratedDocument.objects.get(pk=pk)

        def finished() -> bool:
            document.refresh_from_db()
            return bool(document.is_finished)

        wait_for(finished, 120, "the worker to render the document")
        assert document.status == "done", (document.error, worker_log.read_text()[-3000:])
        download = browser.request("GET", f"/documents/{pk}/download/")
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "application/pdf"
        # A long name may wrap inside its cell: read the text in order, spaces folded.
        assert "Nguyễn Thị Triển Khai" in " ".join(pdf_text(download.content, layout=False).split())
        assert "Portal-Serif" in pdf_fonts(download.content)  # embedded from static/fonts
    finally:
        for proc in processes:
            _stop(proc)
        redis.stop()
        time.sleep(0.1)
    assert "Traceback" not in web_log.read_text(), web_log.read_text()[-3000:]
