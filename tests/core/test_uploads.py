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
def item_page(world: Any, login: Any, settings: Any, tmp_path: Path) -> tuple[Any, AgendaItem]:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(world.users["commune_clerk"])
    return client, world.own_objects[AgendaItem]


def _upload(client: Any, item: AgendaItem, name: str, data: bytes) -> Any:
    """The upload form of the item's page, posted to the one upload view."""
    return client.post(
        reverse("core:attachment-create"),
        {
            "owner_type": "council_sessions.agendaitem",
            "owner": item.pk,
            "title": "",
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_a_pdf_is_stored_outside_the_web_root_under_a_clean_name(
    item_page: tuple[Any, AgendaItem], tmp_path: Path
) -> None:
    client, item = item_page
    response = _upload(client, item, '../../etc/Tờ trình <b>:"số 12".pdf', PDF)
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
    item_page: tuple[Any, AgendaItem], tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    client, item = item_page
    before = Attachment.objects.count()
    response = _upload(client, item, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == before
    assert not any((tmp_path / "media").rglob("*.*"))


def test_a_file_over_the_limit_is_refused_with_the_limit_stated(
    item_page: tuple[Any, AgendaItem], settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    client, item = item_page
    before = Attachment.objects.count()
    response = _upload(client, item, "lon.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    page = response.content.decode()
    assert "giới hạn" in page and "KB" in page
    assert Attachment.objects.count() == before


def test_someone_who_cannot_read_the_record_cannot_download_its_file(
    item_page: tuple[Any, AgendaItem], world: Any, login: Any
) -> None:
    client, item = item_page
    _upload(client, item, "to-trinh.pdf", PDF)
    attachment = Attachment.objects.get(original_name="to-trinh.pdf")
    outsider = login(world.users["outsider"])
    assert outsider.get(reverse("core:attachment-download", args=[attachment.pk])).status_code in (
        403,
        404,
    )


def test_one_upload_view_takes_the_files_of_every_attachable_record(
    world: Any, login: Any, settings: Any, tmp_path: Path
) -> None:
    from resolutions.models import Resolution

    settings.MEDIA_ROOT = tmp_path / "media"
    url = reverse("core:attachment-create")
    resolution = world.own_objects[Resolution]
    hidden = {"owner_type": "resolutions.resolution", "owner": resolution.pk}
    clerk = login(world.users["commune_clerk"])
    page = clerk.get(resolution.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and 'value="resolutions.resolution"' in page
    response = clerk.post(url, {**hidden, "file": SimpleUploadedFile("ban-ky.pdf", PDF)})
    assert response.status_code == 302 and response.url == resolution.get_absolute_url()
    scan = Attachment.objects.get(original_name="ban-ky.pdf")
    assert (scan.owner_id, scan.council_id) == (resolution.pk, resolution.council_id)
    assert scan.title == "Bản chụp văn bản đã ký"  # a resolution's file: its signed scan
    before = Attachment.objects.count()
    # A reader may not write: 403; a record out of scope, an unknown owner: 404.
    reader = login(world.users["leader"])
    upload = SimpleUploadedFile("x.pdf", PDF)
    assert reader.post(url, {**hidden, "file": upload}).status_code == 403
    foreign = {**hidden, "owner": world.foreign_objects[Resolution].pk}
    assert clerk.post(url, {**foreign, "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    for bad in ({**hidden, "owner_type": "core.council"}, {**hidden, "owner": "x"}):
        assert clerk.post(url, {**bad, "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert clerk.get(url).status_code == 405
    assert Attachment.objects.count() == before
