"""The online petition: it lands in the council's intake like one handed in at the reception
office (online channel, a denunciation's identity encrypted at once), the citizen gets a
tracking code and sees their own petition's progress and nothing else; the abuse guards hold
(issue 20)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from councilportal.models import Attachment
from petitions import services as petition_services
from petitions.models import Channel, Petition, Petitioner
from public.services import tracking_digest, tracking_normalise

from .. import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _answer(body: str) -> str:
    a, b = re.search(r"(\d+) (?:cộng|plus) (\d+)", body).groups()  # type: ignore[union-attr]
    return str(int(a) + int(b))


def _form(client: Any, url: str) -> dict[str, str]:
    body = client.get(url).content.decode()
    token = re.search(r'name="challenge" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    return {"challenge": token, "answer": _answer(body)}


def _send(client: Any, council: Any, **overrides: Any) -> Any:
    url = reverse("public:petition-create", args=[council.pk])
    data = {
        **_form(client, url),
        "kind": "denunciation",
        "field": "land",
        "subject": "Tố cáo cán bộ địa chính",
        "content": "Cán bộ địa chính xã nhận tiền để cấp sổ đỏ sai quy định.",
        "locality": "Xã Cây Đa",
        "full_name": "Trần Thị Tố Giác",
        "address": "Thôn Đông, xã Cây Đa",
        "phone": "0912345678",
        "email": "to.giac@example.org",
        "website": "",
        **overrides,
    }
    return client.post(url, data, follow=True)


def test_a_denunciation_sent_online_lands_in_the_intake_encrypted(
    client: Any, world: Any, media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("bang-chung.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, world.commune, attachments=[upload])
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "no-store" in response["Cache-Control"]
    code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]
    petition = Petition.objects.get(council=world.commune, channel=Channel.ONLINE)
    assert petition.is_confidential and petition.created_by is None
    assert (
        petition.tracking_digest == tracking_digest(code) and code not in petition.tracking_digest
    )
    assert petition.items.get().triage_due is not None  # counted like any other
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, address, phone FROM petitions_petitioner")
        for row in cursor.fetchall():
            assert all("Tố Giác" not in str(v) and "0912345678" not in str(v) for v in row)
    person = Petitioner.objects.get(petition=petition)
    scan = Attachment.objects.get(
        owner_type=ContentType.objects.get_for_model(Petitioner), owner_id=person.pk
    )
    assert scan.encrypted and "bang-chung" not in scan.original_name
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body
    # The clerk of the commune sees it in the intake register, without the denouncer's name.
    body = _clerk(world).get(reverse("petitions:petition-list")).content.decode()
    assert "Tố cáo cán bộ địa chính" in body and "Tố Giác" not in body


def _clerk(world: Any) -> Any:
    from django.test import Client

    from ..conftest import log_in

    return log_in(Client(), world.users["commune_clerk"])


def test_the_tracking_page_shows_the_own_petition_and_nothing_else(
    client: Any, world: Any, media: Any
) -> None:
    response = _send(client, world.commune, kind="complaint", email="")
    code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', response.content.decode()).group(1)  # type: ignore[union-attr]
    petition = Petition.objects.get(channel=Channel.ONLINE)
    item = petition.items.get()
    agency = f.AgencyFactory(council=world.commune, name="UBND xã Cây Đa")
    petition_services.item_forward(
        item=item, agency=agency, on=petition.received_on, note="Ghi chú nội bộ bí mật", by=None
    )
    item.refresh_from_db()
    petition_services.item_answer(
        item=item, received_on=petition.received_on, content="Đã thu hồi quyết định sai.", by=None
    )
    other = f.PetitionFactory(council=world.commune, number=99, subject="Đơn của người khác")
    url = reverse("public:tracking")
    body = client.post(url, {"code": code.lower().replace("-", " ")}).content.decode()
    assert "UBND xã Cây Đa" in body
    assert "Đã thu hồi quyết định sai." not in body  # not published yet
    for secret in (
        "Trần Thị",
        "0912345678",
        "Cán bộ địa chính",
        other.subject,
        "bí mật",
        f"{petition.number:02d}/{petition.year}",
    ):
        assert secret not in body
    item.answer_published = True
    item.save()
    body = client.post(url, {"code": code}).content.decode()
    assert "Đã thu hồi quyết định sai." in body
    # A wrong code says only that: no petition, whatever its shape.
    for guess in ("", "A" * 16, code[:-1] + ("B" if code[-1] != "B" else "C"), "' OR 1=1 --"):
        body = client.post(url, {"code": guess}).content.decode()
        assert "UBND xã Cây Đa" not in body


def test_tracking_lookups_are_throttled_per_address(client: Any, world: Any) -> None:
    url = reverse("public:tracking")
    statuses = [client.post(url, {"code": f"WRONG{n:012d}"}).status_code for n in range(25)]
    assert statuses[:20] == [200] * 20 and statuses[-1] == 429
    assert tracking_normalise(" abcd-efgh ") == "ABCDEFGH"


def test_the_guards_refuse_robots_and_write_nothing(
    client: Any, world: Any, media: Any, settings: Any
) -> None:
    settings.PUBLIC_PETITION_LIMIT = 100
    before, files = Petition.objects.count(), Attachment.objects.count()
    assert _send(client, world.commune, answer="0").status_code == 400  # wrong answer
    assert _send(client, world.commune, website="http://spam").status_code == 400  # honeypot
    assert _send(client, world.commune, challenge="forged").status_code == 400
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert _send(client, world.commune, attachments=[fake]).status_code == 400
    many = [SimpleUploadedFile(f"a{n}.pdf", PDF, content_type="application/pdf") for n in range(4)]
    assert _send(client, world.commune, attachments=many).status_code == 400
    assert _send(client, world.commune, content="x" * 10_001).status_code == 400
    assert Petition.objects.count() == before
    assert Attachment.objects.count() == files
    # A token is accepted once.
    url = reverse("public:petition-create", args=[world.commune.pk])
    guard = _form(client, url)
    assert _send(client, world.commune, **guard).status_code == 200
    assert _send(client, world.commune, **guard).status_code == 400
    assert Petition.objects.count() == before + 1


def test_the_form_is_rate_limited_per_address(client: Any, world: Any, settings: Any) -> None:
    settings.PUBLIC_PETITION_LIMIT = 2
    codes = [_send(client, world.commune, email="").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Petition.objects.filter(channel=Channel.ONLINE).count() == 2


def test_a_council_merged_away_takes_no_petition(client: Any, world: Any) -> None:
    world.commune.valid_to = dt.date(2025, 6, 30)
    world.commune.save()
    url = reverse("public:petition-create", args=[world.commune.pk])
    assert client.get(url).status_code == 404
