"""The document pipeline with real Celery worker processes on the real Redis broker and the real
PostgreSQL test database: queued -> done -> download, a template error. (A worker SIGKILLed
mid-job is in tests/faults/.) These need PostgreSQL and REDIS_URL (CI has both and fails on
any skip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from councilportal.documents.services import document_request
from councilportal.models import DocumentStatus, GeneratedDocument

from .. import factories as f
from ..faults.processes import Workers, document_status, term_with_delegates, wait_for
from ..pdftools import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_goes_from_queued_to_done_and_is_downloadable(
    workers: Workers, client: Any
) -> None:
    workers.start()
    term = term_with_delegates(30)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    response = client.post(
        reverse("core:document-create"), {"kind": "core.term-roster", "source": term.pk}
    )
    doc = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response.url == doc.get_absolute_url()
    wait_for(lambda: document_status(doc) == DocumentStatus.DONE, 60, "the document to be done")
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
    wait_for(lambda: document_status(second) == DocumentStatus.DONE, 60, "the second version")
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
    term = term_with_delegates(3)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    doc = document_request(kind="core.term-roster", source=term, by=clerk)
    wait_for(lambda: document_status(doc) == DocumentStatus.FAILED, 60, "the document to fail")
    assert "Template error" in doc.error
    client.force_login(clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert doc.error.split(":")[0] in page
    assert reverse("core:document-retry", args=[doc.pk]) in page
