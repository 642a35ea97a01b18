"""PostgreSQL restarts under a running portal: the next requests are answered normally, without
restarting the web server (persistent connections are health-checked before each request).

The portal runs as in production — gunicorn, DEBUG off — against a throwaway PostgreSQL cluster
of our own on a free port (the machine's cluster on 5432 is never touched), holding a copy of
this test's database."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from .. import factories as f
from .processes import Gunicorn, PostgresCluster, term_with_delegates

pytestmark = [
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


def _get(url: str, session_key: str) -> tuple[int, str, str]:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 of our own gunicorn
        url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, ""


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
