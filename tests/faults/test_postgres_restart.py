"""PostgreSQL restarts under a running portal: the next requests are answered normally, without
restarting the web server (persistent connections are health-checked before each request).

The portal runs as in production — gunicorn, DEBUG off — against a throwaway PostgreSQL cluster
of our own on a free port (the machine's cluster on 5432 is never touched), holding a copy of
this test's database."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from councilportal.councils.documents import TERM_ROSTER

from .. import factories as f
from .processes import (
    Gunicorn,
    PostgresCluster,
    RedisServer,
    term_with_delegates,
    wait_for,
    worker_pool,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL, as on CI"),
]


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    # Under /tmp itself: the postgres user must reach the directory (pytest's tmp_path is
    # private to the user running the tests).
    base = Path(tempfile.mkdtemp(prefix="cp-faults-pg-", dir="/tmp"))
    pg = PostgresCluster(base)
    try:
        pg.init()
        pg.start()
        yield pg
    finally:
        try:
            pg.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)


def _copy_test_database(pg: PostgresCluster, name: str) -> None:
    """This test's database (schema, rules, the rows made above, the clerk's login session)
    into the cluster: faster than running every migration again."""
    db = connection.settings_dict
    pg.createdb(name)
    dump = subprocess.run(
        ["pg_dump", "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], "--no-owner"]
        + [db["NAME"]],
        capture_output=True,
        check=True,
        timeout=60,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "-q"]
        + ["-v", "ON_ERROR_STOP=1", name],
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=60,
    )


class Browser:
    """Just enough of a browser over urllib: the clerk's session cookie, the CSRF cookie and
    token, redirects followed."""

    def __init__(self, base: str, session_key: str) -> None:
        self.base = base
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.csrf = ""

    def _open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                for header in response.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
                text = response.read().decode()
                found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
                if found:
                    self.csrf = found.group(1)
                return response.status, response.geturl().removeprefix(self.base), text
        except urllib.error.HTTPError as exc:
            return exc.code, path, ""

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        return self._open(path, {**data, "csrfmiddlewaretoken": self.csrf})


def _get(url: str, session_key: str) -> tuple[int, str, str]:
    base, path = url[: url.index("/", 8)], url[url.index("/", 8) :]
    status, final, body = Browser(base, session_key).get(path)
    return status, base + final, body


def test_after_a_postgresql_restart_the_portal_answers_without_being_restarted(
    cluster: PostgresCluster, client: Any, tmp_path: Path
) -> None:
    term = term_with_delegates(3)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    _copy_test_database(cluster, "portal")

    portal = Gunicorn(tmp_path, {"DATABASE_URL": cluster.url("portal")})
    portal.start()
    try:
        pages = [
            reverse("core:term-list"),
            reverse("core:term-detail", args=[term.pk]),
            reverse("core:dashboard"),
        ]

        def answers() -> list[tuple[str, int]]:
            seen = []
            for path in pages:
                status, final, body = _get(portal.url + path, session_key)
                assert final == portal.url + path, f"{path} sent the clerk to {final}"
                assert status != 200 or term.council.name in body
                seen.append((path, status))
            return seen

        assert all(status == 200 for _path, status in answers())
        started = time.perf_counter()
        cluster.restart()  # pg_ctl restart -m fast: every open connection is cut
        restart_seconds = time.perf_counter() - started
        # Every request after the restart is answered (none fails), three rounds, on the same
        # gunicorn worker that held the cut connection.
        after = [result for _ in range(3) for result in answers()]
        assert after == [(path, 200) for _ in range(3) for path in pages], after
        assert portal.proc is not None and portal.proc.poll() is None
        assert portal.log.read_text().count("Booting worker") == 1, "gunicorn was restarted"
        assert restart_seconds < 20
    finally:
        portal.stop()


def test_after_a_postgresql_restart_clerks_can_write_and_workers_finish_jobs(
    cluster: PostgresCluster,
    redis_server: RedisServer,
    client: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    """The write path end to end after the restart: a clerk's request through gunicorn is
    stored, and the worker (also not restarted) renders the document."""
    term = term_with_delegates(3)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    _copy_test_database(cluster, "portal")
    env = {"DATABASE_URL": cluster.url("portal"), "REDIS_URL": redis_server.url}
    with worker_pool(settings, tmp_path) as workers:
        workers.start(**env, DB_CONN_MAX_AGE="60")
        portal = Gunicorn(tmp_path, {**env, "MEDIA_ROOT": str(workers.media_root)})
        portal.start()
        try:
            browser = Browser(portal.url, client.cookies[settings.SESSION_COOKIE_NAME].value)

            def request_document() -> str:
                status, _final, _body = browser.get(reverse("core:term-detail", args=[term.pk]))
                assert status == 200 and browser.csrf
                status, final, _body = browser.post(
                    reverse("core:document-create"),
                    {"kind": TERM_ROSTER.key, "source": str(term.pk)},
                )
                assert status == 200 and final.startswith("/documents/"), (status, final)
                return final

            def done(path: str) -> bool:
                status, _final, body = browser.get(path)
                assert status == 200, f"{path} answered {status}"
                assert 'data-status="failed"' not in body
                return 'data-status="done"' in body

            first = request_document()
            wait_for(lambda: done(first), 60, "the first document")
            cluster.restart()
            second = request_document()
            assert second != first
            wait_for(lambda: done(second), 60, "the document requested after the restart")
            assert portal.log.read_text().count("Booting worker") == 1
            assert all(proc.poll() is None for proc in workers.procs)
        finally:
            portal.stop()
