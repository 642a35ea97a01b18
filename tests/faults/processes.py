"""Real processes for the fault tests: Celery workers, a throwaway Redis, a throwaway PostgreSQL
cluster, a gunicorn web server. Each helper starts its process in its own session (process
group) so that stopping it stops its children too, and each is stopped by the fixture that made
it, even when the test fails."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

VENV_BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def document_status(doc: Any) -> str:
    """A generated document's status as stored now."""
    doc.refresh_from_db()
    return str(doc.status)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def current_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_<name>)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def production_secrets() -> dict[str, str]:
    """The secrets a process started with DEBUG off must be given
    (councilportal/security/secrets.py): this test process's own, so that it and the process
    read each other's sessions and encrypted fields."""
    from django.conf import settings

    from petitions.crypto import _dev_keys

    if settings.FIELD_ENCRYPTION_KEYS:
        encryption, index_key = list(settings.FIELD_ENCRYPTION_KEYS), settings.FIELD_BLIND_INDEX_KEY
    else:
        dev = _dev_keys()
        encryption, index_key = dev["encryption"], dev["blind_index"]
    return {
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(encryption),
        "FIELD_BLIND_INDEX_KEY": index_key,
    }


class Workers:
    """Celery worker processes (`celery -A councilportal worker`) on the test database."""

    def __init__(self, tmp_path: Path, media_root: Path) -> None:
        self.tmp_path = tmp_path
        self.media_root = media_root
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            **production_secrets(),
            "DATABASE_URL": current_database_url(),
            "MEDIA_ROOT": str(self.media_root),
            "CELERY_VISIBILITY_TIMEOUT": "4",
            **extra_env,
        }
        n = len(self.procs)
        log = self.tmp_path / f"worker{n}.log"
        proc = subprocess.Popen(
            [
                str(VENV_BIN / "celery"),
                "-A",
                "councilportal",
                "worker",
                "-Q",
                "default,documents",
                "-c",
                "1",
                "-n",
                f"test{n}-{os.getpid()}@%h",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(ROOT),
            start_new_session=True,
        )
        self.procs.append(proc)
        wait_for(lambda: log.exists() and "ready." in log.read_text(), 60, "the worker to start")
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            _stop(proc)

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("worker*.log")))


@contextmanager
def worker_pool(settings: Any, tmp_path: Path) -> Iterator[Workers]:
    """Workers writing files under a temporary MEDIA_ROOT shared with the test process."""
    import pytest

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as on CI")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    pool = Workers(tmp_path, media)
    try:
        yield pool
    finally:
        pool.stop_all()


class RedisServer:
    """A redis-server of our own on a free port, without persistence (as on the machine)."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir(exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.dir)],
            stdout=(self.dir / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self.answers, 20, "redis-server to answer")

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGCONT)  # a paused server cannot stop
            _stop(self.proc)
            self.proc = None

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections open but nothing answers, as when the
        machine or the network hangs."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGCONT)


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (the one the views enqueue with) at another broker,
    and back afterwards. Its connection pools are dropped so that nothing keeps the old one."""
    from councilportal.celery import app

    def drop_pools() -> None:
        from kombu import pools

        if app._pool is not None:  # type: ignore[attr-defined]
            app._pool.force_close_all()  # type: ignore[attr-defined]
            app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None
        # kombu also keeps producer pools per connection in a global registry; one left there
        # would hand a later test a producer on the pool just closed ("Acquire on closed pool").
        pools.reset()

    old = app.conf.broker_url
    old_options = dict(app.conf.broker_transport_options or {})
    drop_pools()
    app.conf.broker_url = url
    if url.startswith("redis://"):
        # The production broker's timeouts (settings with REDIS_URL set): on the embedded
        # defaults the app starts on the filesystem transport, which has none, and a publish
        # to a frozen Redis would then wait forever.
        app.conf.broker_transport_options = {
            **old_options,
            "socket_connect_timeout": 2,
            "socket_timeout": 3,
        }
    try:
        yield
    finally:
        drop_pools()
        app.conf.broker_url = old
        app.conf.broker_transport_options = old_options


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster of our own (never the machine's on 5432). As root,
    its binaries run as the `postgres` user, who must own the data directory."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.dir = base
        self.data = base / "data"
        self.log = base / "postgres.log"

    def _run(self, *args: str, timeout: float = 120) -> str:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=str(self.dir)
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}\n{done.stderr}")
        return done.stdout

    def init(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-U",
            "postgres",
        )

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l",
            str(self.log),
            "-w",
            action,
            *extra,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def createdb(self, name: str) -> None:
        self._run(
            str(PG_BIN.parent / "bin" / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name
        )


class Gunicorn:
    """The portal served by gunicorn, as in production (DEBUG off), on a free port."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log = tmp_path / "gunicorn.log"
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import urllib.request

        env = {
            **os.environ,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "0",
            **production_secrets(),
            **self.env,
        }
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "councilportal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "--timeout",
                "60",
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(ROOT),
            start_new_session=True,
        )

        def up() -> bool:
            try:
                url = f"{self.url}/login/"
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http://127.0.0.1
                    return bool(response.status == 200)
            except OSError:
                return False

        wait_for(up, 60, "gunicorn to serve the login page")

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


def term_with_delegates(count: int, code: str = "HY") -> Any:
    """A term whose roster document has `count` rows (1,000 take long enough to render for a
    worker to be killed in the middle)."""
    from councilportal.models import Delegate

    from .. import factories as f

    council = f.CouncilFactory(
        code=code,
        name="HĐND tỉnh Hưng Yên",
        place_name="Hưng Yên",
        administrative_name="TỈNH HƯNG YÊN",
    )
    term = f.TermFactory(council=council)
    Delegate.objects.bulk_create(
        Delegate(
            term=term,
            full_name=f"Lê Thị Ngọc Ánh {i}",
            electoral_unit=f"Đơn vị bầu cử số {i % 9 + 1}",
            start_date=term.start_date,
            position="Trưởng phòng Tổ chức cán bộ, Sở Nội vụ",
        )
        for i in range(count)
    )
    return term
