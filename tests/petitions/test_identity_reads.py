"""Every read of a denouncer's identity is logged, refused ones too (DOMAIN.md §2): leaders see
who probed, who downloaded a scan, who downloaded the unredacted copy again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councilportal.documents.services import document_render
from councilportal.models import GeneratedDocument
from petitions.models import IdentityAccess, IdentityAccessLog
from petitions.services import item_guide
from petitions.views import _attach_scan

from .conftest import Desk


@pytest.mark.parametrize("persona", ["province_clerk", "leader", "delegate"])
def test_a_refused_reveal_is_logged_and_leaders_see_it(
    desk: Desk, login: Any, persona: str
) -> None:
    user = desk.world.users[persona]
    client = login(user)
    url = reverse("petitions:petition-identity", args=[desk.denunciation.pk])
    assert client.get(url).status_code == 403
    log = IdentityAccessLog.objects.get()
    assert (log.user, log.petition, log.action) == (user, desk.denunciation, "refused")
    page = login(desk.world.users["leader"]).get(reverse("petitions:access-log"))
    body = page.content.decode()
    assert "Bị từ chối xem danh tính" in body and persona in body


def test_reading_a_complaints_petitioner_is_not_logged(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["province_clerk"])
    client.get(reverse("petitions:petition-identity", args=[desk.complaint.pk]))
    assert not IdentityAccessLog.objects.exists()


def test_the_handlers_scan_download_is_logged(desk: Desk, login: Any, media: Path) -> None:
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.4 chu ky", content_type="application/pdf")
    attachment = _attach_scan(desk.denunciation, scan, None)
    handler = desk.world.users["handler"]
    response = login(handler).get(reverse("core:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    log = IdentityAccessLog.objects.get()
    assert (log.user, log.petition, log.action) == (handler, desk.denunciation, "scan_download")
    body = login(desk.world.users["leader"]).get(reverse("petitions:access-log")).content
    assert "Tải bản chụp đơn" in body.decode()


def test_a_complaints_scan_download_is_not_logged(desk: Desk, login: Any, media: Path) -> None:
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.4 don", content_type="application/pdf")
    attachment = _attach_scan(desk.complaint, scan, None)
    client = login(desk.world.users["province_clerk"])
    assert client.get(reverse("core:attachment-download", args=[attachment.pk])).status_code == 200
    assert not IdentityAccessLog.objects.exists()


def test_each_download_of_the_unredacted_copy_is_logged(
    desk: Desk, login: Any, eager_jobs: None
) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.denunciation.items.get()
    item_guide(item=item, on=dt.date(2023, 1, 18), note="Gửi đơn đến Thanh tra huyện.", by=clerk)
    handler = login(desk.world.users["handler"])
    assert handler.post(reverse("petitions:item-unredacted", args=[item.pk])).status_code == 302
    document = GeneratedDocument.objects.get(kind="petitions.guidance-letter-unredacted")
    document_render(document_id=document.pk)
    download = reverse("core:document-download", args=[document.pk])
    for _ in range(2):
        assert handler.get(download).status_code == 200
    actions = list(IdentityAccessLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        IdentityAccess.UNREDACTED_COPY,
        IdentityAccess.UNREDACTED_DOWNLOAD,
        IdentityAccess.UNREDACTED_DOWNLOAD,
    ]
    # The redacted letter is no read of the identity.
    redacted = GeneratedDocument.objects.create(
        kind="petitions.guidance-letter",
        title="x",
        council=desk.world.province,
        source_type=document.source_type,
        source_id=item.pk,
    )
    handler.get(reverse("core:document-download", args=[redacted.pk]))
    assert IdentityAccessLog.objects.count() == 3
