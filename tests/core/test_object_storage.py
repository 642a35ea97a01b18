"""Scale-out: with STORAGE_BACKEND=s3 a document rendered by a worker process (another machine,
as far as it knows) lands in an S3-compatible object store, and the web process serves it from
there through the access-checked view; attachments go the same way; nothing is written to the
local media folder. The store here is a real S3-protocol server on loopback (moto's server)."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councilportal.documents.attachments import attachment_add
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument

from .. import factories as f
from ..faults.processes import (
    Workers,
    document_status,
    free_port,
    term_with_delegates,
    wait_for,
)
from ..pdftools import pdf_text

BUCKET = "hdnd-media"
KEY_ID, SECRET = "test-access-key", "test-secret-key"


@pytest.fixture
def s3_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "s3.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("the S3 server did not start") from None
            time.sleep(0.2)
    _client(url).create_bucket(Bucket=BUCKET)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _client(url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )


def _s3_env(url: str) -> dict[str, str]:
    return {
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_LOCATION": "media",
    }


def _s3_storages(settings: Any, url: str) -> None:
    env = _s3_env(url)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": url,
                "region_name": "us-east-1",
                "access_key": KEY_ID,
                "secret_key": SECRET,
                "location": env["AWS_LOCATION"],
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }


def test_a_worker_stores_the_pdf_in_the_object_store_and_the_web_serves_it(
    workers: Workers, s3_server: str, settings: Any, client: Any
) -> None:
    workers.start(**_s3_env(s3_server))
    _s3_storages(settings, s3_server)
    term = term_with_delegates(12)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    client.force_login(clerk)
    client.post(reverse("core:document-create"), {"kind": "core.term-roster", "source": term.pk})
    doc = GeneratedDocument.objects.get()
    wait_for(lambda: document_status(doc) == DocumentStatus.DONE, 90, "the document to be done")
    keys = [o["Key"] for o in _client(s3_server).list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{doc.file.name}"]
    assert not workers.media_root.exists() or not any(workers.media_root.rglob("*.pdf"))
    download = client.get(reverse("core:document-download", args=[doc.pk]))
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == doc.sha256
    assert "Lê Thị Ngọc Ánh 11" in pdf_text(content, layout=False)
    outsider = f.UserFactory(username="outsider")
    f.RoleFactory(user=outsider, role="clerk")
    client.force_login(outsider)
    assert client.get(reverse("core:document-download", args=[doc.pk])).status_code == 404


def test_attachments_go_to_the_object_store_too(
    transactional_db: Any, s3_server: str, settings: Any, client: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _s3_storages(settings, s3_server)
    term = term_with_delegates(1)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    data = b"%PDF-1.4\n% to trinh\n%%EOF\n"
    upload = SimpleUploadedFile("Tờ trình số 12.pdf", data, content_type="application/pdf")
    attachment = attachment_add(
        owner=term, council=term.council, upload=upload, title="Tờ trình", by=clerk
    )
    stored = Attachment.objects.get(pk=attachment.pk)
    body = _client(s3_server).get_object(Bucket=BUCKET, Key=f"media/{stored.file.name}")["Body"]
    assert body.read() == data
    assert not (tmp_path / "media").exists()
    client.force_login(clerk)
    download = client.get(reverse("core:attachment-download", args=[stored.pk]))
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_confidential_file_is_encrypted_in_the_object_store_and_served_in_clear(
    transactional_db: Any, s3_server: str, settings: Any, client: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _s3_storages(settings, s3_server)
    term = term_with_delegates(1)
    clerk = f.UserFactory(username="clerk")
    f.RoleFactory(user=clerk, council=term.council, role="clerk")
    data = b"%PDF-1.4\n% Tran Thi Bao Mat, so 9 ngo Kin\n%%EOF\n"
    upload = SimpleUploadedFile("don.pdf", data, content_type="application/pdf")
    attachment = attachment_add(
        owner=term, council=term.council, upload=upload, title="Đơn", by=clerk, confidential=True
    )
    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.encrypted
    body = _client(s3_server).get_object(Bucket=BUCKET, Key=f"media/{stored.file.name}")["Body"]
    at_rest = body.read()
    assert b"Bao Mat" not in at_rest and b"%PDF" not in at_rest
    client.force_login(clerk)
    download = client.get(reverse("core:attachment-download", args=[stored.pk]))
    assert b"".join(download.streaming_content) == data
