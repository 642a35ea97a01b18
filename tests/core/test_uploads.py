"""Uploads: size limit, type by content, names sanitised, stored outside the web root and served
only through the access-checked view with safe headers (an agenda item's documents)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councilportal.models import Attachment
from sessions.models import AgendaItem

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def item_page(world: Any, login: Any, settings: Any, tmp_path: Path) -> tuple[Any, str]:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(world.users["commune_clerk"])
    item = world.own_objects[AgendaItem]
    return client, reverse("sessions:item-detail", args=[item.pk])


def _upload(client: Any, url: str, name: str, data: bytes) -> Any:
    return client.post(url, {"title": "", "file": SimpleUploadedFile(name, data)})


def test_a_pdf_is_stored_outside_the_web_root_under_a_clean_name(
    item_page: tuple[Any, str], tmp_path: Path
) -> None:
    client, url = item_page
    response = _upload(client, url, '../../etc/Tờ trình <b>:"số 12".pdf', PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get(original_name__contains="Tờ trình")
    assert attachment.original_name.endswith(".pdf") and "Tờ trình" in attachment.original_name
    for bad in ("..", "/", "<", ">", ":", '"'):
        assert bad not in attachment.original_name
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((tmp_path / "media").resolve())
    web_roots = [Path(django_settings.STATIC_ROOT).resolve(), *django_settings.STATICFILES_DIRS]
    assert not any(stored.is_relative_to(Path(root).resolve()) for root in web_roots)
    assert stored.read_bytes() == PDF
    # Media is not served by URL; only the access-checked view gives the file.
    assert client.get(f"{django_settings.MEDIA_URL}{attachment.file.name}").status_code == 404
    download = client.get(reverse("core:attachment-download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "không thuộc định dạng"),
        ("bao-cao.pdf", b"MZ\x90\x00 an executable", "không thuộc định dạng"),
        ("bao-cao.exe", PDF, "không khớp"),
        ("bao-cao.pdf", b"", "rỗng"),
        ("bang.xlsx", b"PK\x03\x04 not really a zip", "không thuộc định dạng"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_refused_and_nothing_is_stored(
    item_page: tuple[Any, str], tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    client, url = item_page
    before = Attachment.objects.count()
    response = _upload(client, url, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Attachment.objects.count() == before
    assert not any((tmp_path / "media").rglob("*.*"))


def test_a_file_over_the_limit_is_refused_with_the_limit_stated(
    item_page: tuple[Any, str], settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    client, url = item_page
    before = Attachment.objects.count()
    response = _upload(client, url, "lon.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    page = response.content.decode()
    assert "giới hạn" in page and "KB" in page
    assert Attachment.objects.count() == before


def test_someone_who_cannot_read_the_record_cannot_download_its_file(
    item_page: tuple[Any, str], world: Any, login: Any
) -> None:
    client, url = item_page
    _upload(client, url, "to-trinh.pdf", PDF)
    attachment = Attachment.objects.get(original_name="to-trinh.pdf")
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("core:attachment-download", args=[attachment.pk])).status_code in (
        403,
        404,
    )
