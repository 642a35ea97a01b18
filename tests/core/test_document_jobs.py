"""The document pipeline with real Celery worker processes on the real Redis broker and the real
PostgreSQL test database: queued -> done -> download, a template error, a worker SIGKILLed
mid-job. These need PostgreSQL and REDIS_URL (CI has both and fails on any skip)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from councilportal.models import Delegate, DocumentStatus, GeneratedDocument
from councilportal.services import document_request

from .. import factories as f
from ..pdftools import pdf_text

VENV_BIN = Path(sys.executable).parent
pytestmark = pytest.mark.django_db(transaction=True)


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Workers:
    def __init__(self, tmp_path: Path, media_root: Path) -> None:
        self.tmp_path = tmp_path
        self.media_root = media_root
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
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
            cwd=str(Path(__file__).resolve().parents[2]),
            start_new_session=True,
        )
        self.procs.append(proc)
        _wait(lambda: log.exists() and "ready." in log.read_text(), 60, "the worker to start")
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("worker*.log")))


@pytest.fixture
def workers(transactional_db: Any, settings: Any, tmp_path: Path) -> Iterator[Workers]:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as on CI")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    pool = Workers(tmp_path, media)
    yield pool
    pool.stop_all()


def _term_with_delegates(count: int) -> Any:
    council = f.CouncilFactory(
        code="HY",
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


def _status(doc: GeneratedDocument) -> str:
    doc.refresh_from_db()
    return doc.status


def test_a_request_goes_from_queued_to_done_and_is_downloadable(
    workers: Workers, client: Any
) -> None:
    workers.start()
    term = _term_with_delegates(30)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    response = client.post(
        reverse("core:document-create"), {"kind": "core.term-roster", "source": term.pk}
    )
    doc = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response.url == doc.get_absolute_url()
    _wait(lambda: _status(doc) == DocumentStatus.DONE, 60, "the document to be done")
    # The page's poll shows the download link once done.
    polled = client.get(doc.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert reverse("core:document-download", args=[doc.pk]) in polled.content.decode()
    assert polled["HX-Refresh"] == "true"
    download = client.get(reverse("core:document-download", args=[doc.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(content).hexdigest() == doc.sha256
    assert doc.size == len(content) and doc.page_count >= 1
    assert "Lê Thị Ngọc Ánh 29" in pdf_text(content, layout=False)
    # Someone outside the council gets 404 for the file.
    outsider = f.UserFactory(username="outsider")
    f.RoleFactory(user=outsider, role="clerk")
    client.force_login(outsider)
    assert client.get(reverse("core:document-download", args=[doc.pk])).status_code == 404
    # Regenerating keeps the earlier version exactly as it was.
    client.force_login(clerk)
    client.post(reverse("core:document-create"), {"kind": "core.term-roster", "source": term.pk})
    second = GeneratedDocument.objects.exclude(pk=doc.pk).get()
    _wait(lambda: _status(second) == DocumentStatus.DONE, 60, "the second version")
    assert second.version == 2
    doc.refresh_from_db()
    with doc.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == doc.sha256


def test_a_template_error_ends_as_failed_with_its_message(
    workers: Workers, client: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "overrides" / "core" / "pdf"
    broken.mkdir(parents=True)
    (broken / "term_roster.html").write_text(
        '{% extends "core/pdf/base.html" %}{% block body %}{% if %}{% endblock %}'
    )
    workers.start(EXTRA_TEMPLATE_DIRS=str(tmp_path / "overrides"))
    term = _term_with_delegates(3)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    doc = document_request(kind="core.term-roster", source=term, by=clerk)
    _wait(lambda: _status(doc) == DocumentStatus.FAILED, 60, "the document to fail")
    assert "Template error" in doc.error
    client.force_login(clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert doc.error.split(":")[0] in page
    assert reverse("core:document-retry", args=[doc.pk]) in page


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(workers: Workers) -> None:
    first = workers.start()
    term = _term_with_delegates(2500)
    doc = document_request(kind="core.term-roster", source=term, by=None)
    _wait(lambda: _status(doc) == DocumentStatus.RENDERING, 60, "rendering to start")
    time.sleep(1.0)
    assert _status(doc) == DocumentStatus.RENDERING, "the job finished before it could be killed"
    workers.kill(first)
    workers.start()
    _wait(lambda: _status(doc) == DocumentStatus.DONE, 180, "the next worker to finish the job")
    assert GeneratedDocument.objects.filter(source_id=term.pk).count() == 1
    assert doc.attempts >= 2
    assert doc.page_count and doc.page_count > 10
    stored = list((workers.media_root / "documents").rglob("*.pdf"))
    assert len(stored) == 1, stored
