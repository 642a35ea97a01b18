"""Denouncer confidentiality (Law on Denunciations 2018, arts 9, 47, 49): the identity is
encrypted at rest, readable only by the council's confidential petition handlers through one
logged reveal, and absent from every other output, for every persona."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from councilportal.follow_ups.reminders import run_reminders
from councilportal.models import DocumentStatus, GeneratedDocument, Notification
from petitions.access import reveal
from petitions.crypto import Sealed, blind_index
from petitions.documents import (
    FORWARDING_SLIP,
    GUIDANCE_LETTER,
    GUIDANCE_LETTER_UNREDACTED,
    REMINDER_LETTER,
)
from petitions.models import IdentityAccess, IdentityAccessLog, Petitioner
from petitions.services import item_forward, item_guide, reminder_send
from petitions.views import _attach_scan

from .. import conftest as root
from ..pdftools import pdf_text
from .conftest import SECRET_ID, SECRET_NAME, SECRET_PHONE, SECRETS, Desk

NON_HANDLERS = [p for p in root.PERSONA_NAMES if p != "handler"]


def _assert_no_secret(text: str, where: str) -> None:
    text = unicodedata.normalize("NFC", text)
    flat = " ".join(text.split())
    for secret in SECRETS:
        assert secret not in flat, (where, secret)


def _pdf(document: GeneratedDocument) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        content = handle.read()
    if document.encrypted:  # a confidential kind: stored encrypted with the field keys
        from petitions.crypto import decrypt_bytes

        content = decrypt_bytes(content)
    return pdf_text(content, layout=False)


def test_identity_is_ciphertext_in_the_table_and_in_its_history(desk: Desk) -> None:
    with connection.cursor() as cursor:
        for table in ("petitions_petitioner", "petitions_historicalpetitioner"):
            cursor.execute(f"SELECT full_name, address, phone, id_number FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
            assert rows, table
            dump = " ".join(str(v) for row in rows for v in row)
            _assert_no_secret(dump, table)
            assert "gAAAA" in dump  # Fernet tokens
    person = Petitioner.objects.get(petition=desk.denunciation)
    assert isinstance(person.full_name, Sealed)
    assert SECRET_NAME not in str(person.full_name)
    assert SECRET_NAME not in repr(person.full_name)
    history = person.history.first()
    assert isinstance(history.full_name, Sealed)


def test_blind_index_matches_the_same_person_without_the_plaintext(desk: Desk) -> None:
    person = Petitioner.objects.get(petition=desk.denunciation)
    assert person.id_index == blind_index(" 034187000999 ")
    assert person.phone_index == blind_index("0987654321")
    assert person.name_index == blind_index("tran thi bao mat")
    assert SECRET_ID not in person.id_index


@pytest.mark.parametrize("persona", NON_HANDLERS)
def test_nobody_but_the_handler_sees_the_denouncer(desk: Desk, login: Any, persona: str) -> None:
    client = login(desk.world.users[persona])
    petition = desk.denunciation
    for url in (
        reverse("petitions:petition-detail", args=[petition.pk]),
        reverse("petitions:petition-list"),
        reverse("petitions:petition-list") + "?q=Bao+Mat",
        reverse("petitions:petition-history", args=[petition.pk]),
        reverse("petitions:statistics"),
        reverse("core:search") + "?q=Bao+Mat",
        reverse("core:notification-list"),
    ):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), url
        _assert_no_secret(response.content.decode(), f"{persona} {url}")
    identity = client.get(reverse("petitions:petition-identity", args=[petition.pk]))
    assert identity.status_code in (403, 404)
    _assert_no_secret(identity.content.decode(), persona)
    assert not IdentityAccessLog.objects.exclude(action=IdentityAccess.REFUSED).exists()


def test_the_leader_reads_the_redacted_label(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["leader"])
    body = client.get(reverse("petitions:petition-detail", args=[desk.denunciation.pk])).content
    assert "Người tố cáo (bảo mật)" in body.decode()
    assert reverse("petitions:petition-identity", args=[desk.denunciation.pk]) not in body.decode()


def test_search_by_the_denouncers_name_finds_nothing(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["handler"])
    for query in ("Trần Thị Bảo Mật", SECRET_PHONE, SECRET_ID):
        response = client.get(reverse("petitions:petition-list"), {"q": query})
        assert response.context["paginator"].count == 0, query
    response = client.get(reverse("petitions:petition-list") + "?q=boi thuong")
    assert response.context["paginator"].count == 1


def test_the_handler_reads_the_identity_and_the_read_is_logged(desk: Desk, login: Any) -> None:
    handler = desk.world.users["handler"]
    client = login(handler)
    detail = client.get(reverse("petitions:petition-detail", args=[desk.denunciation.pk]))
    _assert_no_secret(detail.content.decode(), "handler detail page")
    assert not IdentityAccessLog.objects.exists()  # the detail page alone reveals nothing
    response = client.get(reverse("petitions:petition-identity", args=[desk.denunciation.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    assert SECRET_NAME in body and SECRET_PHONE in body and SECRET_ID in body
    log = IdentityAccessLog.objects.get()
    assert (log.user, log.petition, log.action) == (handler, desk.denunciation, "view")


def test_a_handler_of_another_council_cannot_reveal(desk: Desk) -> None:
    commune_clerk = desk.world.users["commune_clerk"]
    with pytest.raises(PermissionDenied):
        reveal(petition=desk.denunciation, by=commune_clerk)
    leader = desk.world.users["leader"]
    with pytest.raises(PermissionDenied):
        reveal(petition=desk.denunciation, by=leader)
    # Both refusals are logged, nothing was read.
    assert sorted(IdentityAccessLog.objects.values_list("user__username", "action")) == [
        ("commune_clerk", IdentityAccess.REFUSED),
        ("leader", IdentityAccess.REFUSED),
    ]


def test_a_complaint_names_its_petitioner_without_a_log(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["province_clerk"])
    body = client.get(reverse("petitions:petition-detail", args=[desk.complaint.pk])).content
    assert "Lê Văn Công Khai" in body.decode()
    assert not IdentityAccessLog.objects.exists()


def test_leaders_read_the_access_log_clerks_do_not(desk: Desk, login: Any) -> None:
    reveal(petition=desk.denunciation, by=desk.world.users["handler"])
    leader = login(desk.world.users["leader"])
    response = leader.get(reverse("petitions:access-log"))
    assert response.status_code == 200
    assert "handler" in response.content.decode()
    _assert_no_secret(response.content.decode(), "access log")
    clerk = login(desk.world.users["province_clerk"])
    assert clerk.get(reverse("petitions:access-log")).status_code == 403


@pytest.mark.django_db
def test_slip_and_reminder_pdfs_are_redacted(desk: Desk, eager_jobs: None) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.denunciation.items.get()
    slip = item_forward(item=item, agency=desk.agency, on=dt.date(2023, 1, 18), by=clerk)
    document = document_request(kind=FORWARDING_SLIP.key, source=slip, by=clerk)
    document_render(document_id=document.pk)
    text = _pdf(document)
    assert "PHIẾU CHUYỂN ĐƠN" in unicodedata.normalize("NFC", text)
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    assert "danh tính người tố cáo được giữ bí mật" in flat
    _assert_no_secret(text, "forwarding slip")
    item.refresh_from_db()
    letter = reminder_send(item=item, on=dt.date(2023, 3, 1), by=clerk)
    reminder = document_request(kind=REMINDER_LETTER.key, source=letter, by=clerk)
    document_render(document_id=reminder.pk)
    _assert_no_secret(_pdf(reminder), "reminder letter")


def test_an_unredacted_copy_is_logged_and_only_handlers_read_it(
    desk: Desk, login: Any, eager_jobs: None
) -> None:
    clerk = desk.world.users["province_clerk"]
    item = desk.denunciation.items.get()
    item_guide(item=item, on=dt.date(2023, 1, 18), note="Gửi đơn đến Thanh tra huyện.", by=clerk)
    redacted = document_request(kind=GUIDANCE_LETTER.key, source=item, by=clerk)
    document_render(document_id=redacted.pk)
    _assert_no_secret(_pdf(redacted), "guidance letter")

    url = reverse("petitions:item-unredacted", args=[item.pk])
    assert login(desk.world.users["leader"]).post(url).status_code == 403
    refused = IdentityAccessLog.objects.get()  # the leader's attempt, logged as refused
    assert refused.action == IdentityAccess.REFUSED
    handler = login(desk.world.users["handler"])
    response = handler.post(url)
    assert response.status_code == 302
    log = IdentityAccessLog.objects.exclude(pk=refused.pk).get()
    assert log.action == IdentityAccess.UNREDACTED_COPY
    document = GeneratedDocument.objects.get(kind=GUIDANCE_LETTER_UNREDACTED.key)
    document_render(document_id=document.pk)
    assert SECRET_NAME in " ".join(unicodedata.normalize("NFC", _pdf(document)).split())
    download = reverse("core:document-download", args=[document.pk])
    assert handler.get(download).status_code == 200
    for persona in NON_HANDLERS:
        client = login(desk.world.users[persona])
        assert client.get(download).status_code == 404, persona
    # The generic "Generate PDF" endpoint cannot produce an unredacted copy without the log.
    handler = login(desk.world.users["handler"])  # one client: the loop logged in as others
    generic = handler.post(
        reverse("core:document-create"),
        {"kind": GUIDANCE_LETTER_UNREDACTED.key, "source": item.pk},
    )
    assert generic.status_code == 403


def test_signature_scans_are_for_handlers_only(desk: Desk, login: Any, media: Path) -> None:
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.4 chu ky", content_type="application/pdf")
    attachment = _attach_scan(desk.denunciation, scan, None)
    assert attachment.owner_type == ContentType.objects.get_for_model(Petitioner)
    url = reverse("core:attachment-download", args=[attachment.pk])
    assert login(desk.world.users["handler"]).get(url).status_code == 200
    for persona in NON_HANDLERS:
        assert login(desk.world.users[persona]).get(url).status_code == 404, persona


def test_reminders_and_follow_ups_never_name_the_denouncer(desk: Desk, login: Any) -> None:
    clerk = desk.world.users["province_clerk"]
    run_reminders(dt.date(2023, 2, 1))  # the triage is overdue
    item = desk.denunciation.items.get()
    item_forward(item=item, agency=desk.agency, on=dt.date(2023, 2, 1), by=clerk)
    run_reminders(dt.date(2023, 3, 1))  # the agency's answer is overdue
    notes = Notification.objects.all()
    assert notes.count() >= 2
    for note in notes:
        _assert_no_secret(f"{note.title} {note.body} {note.link}", "notification")
    item.refresh_from_db()
    _assert_no_secret(item.follow_up.content, "follow-up")
    for persona in root.PERSONA_NAMES:
        client = login(desk.world.users[persona])
        response = client.get(reverse("core:follow-up-detail", args=[item.follow_up.pk]))
        _assert_no_secret(response.content.decode(), f"follow-up page {persona}")


def test_the_admin_shows_no_identity(desk: Desk, login: Any, django_user_model: Any) -> None:
    root_user = django_user_model.objects.create_superuser("root", "r@example.org", "x-Pass-2026")
    client = login(root_user)
    petition = desk.denunciation
    reveal(petition=desk.complaint, by=root_user)
    for url in (
        reverse("admin:petitions_petition_changelist") + "?q=Bao",
        reverse("admin:petitions_petition_change", args=[petition.pk]),
        reverse("admin:petitions_petition_history", args=[petition.pk]),
        reverse("admin:petitions_identityaccesslog_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_secret(response.content.decode(), url)
    # Even a superuser is no handler: the identity page refuses.
    identity = client.get(reverse("petitions:petition-identity", args=[petition.pk]))
    assert identity.status_code == 403


def test_keys_rotate_and_old_rows_still_decrypt(desk: Desk, settings: Any) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from petitions.crypto import _keys, forget_keys

    old = _keys()
    old_keys = [f._encryption_key for f in old[0]._fernets]  # type: ignore[attr-defined]
    assert old_keys
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    settings.FIELD_BLIND_INDEX_KEY = old[1].decode()
    forget_keys()
    try:
        # Without the old key the identity cannot be read (and nothing crashes).
        assert (
            reveal(petition=desk.denunciation, by=desk.world.users["handler"])[0].full_name == "?"
        )
        forget_keys()
        import base64

        previous = [
            base64.urlsafe_b64encode(f._signing_key + f._encryption_key).decode()  # type: ignore[attr-defined]
            for f in old[0]._fernets  # type: ignore[attr-defined]
        ]
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *previous]
        forget_keys()
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        settings.FIELD_ENCRYPTION_KEYS = [new_key]
        forget_keys()
        people = reveal(petition=desk.denunciation, by=desk.world.users["handler"])
        assert people[0].full_name == SECRET_NAME
    finally:
        forget_keys()


def test_half_a_key_configuration_is_refused(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from petitions.crypto import encrypt, forget_keys

    settings.FIELD_ENCRYPTION_KEYS = ["x" * 43 + "="]
    settings.FIELD_BLIND_INDEX_KEY = ""
    forget_keys()
    try:
        with pytest.raises(ImproperlyConfigured):
            encrypt("a")
    finally:
        forget_keys()


@pytest.mark.parametrize("persona", root.PERSONA_NAMES)
def test_the_excel_export_is_redacted_for_everyone(desk: Desk, login: Any, persona: str) -> None:
    import io

    from openpyxl import load_workbook

    client = login(desk.world.users[persona])
    response = client.get(reverse("petitions:petition-list"), {"export": "xlsx", "q": "to cao"})
    if persona in root.AGENCY_PERSONAS:  # the agency workspace only
        assert response.status_code == 404
        return
    assert response.status_code == 200
    if persona in ("outsider",):
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) == 1  # the header only: nothing of this council
        return
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    _assert_no_secret(text, f"excel {persona}")
    if persona != "commune_clerk":
        assert "Người tố cáo (bảo mật)" in text
        assert any("Tố cáo chủ tịch xã" in str(row[2]) for row in rows[1:])
    everything = client.get(reverse("petitions:petition-list"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(everything.content))
    dump = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row)
    _assert_no_secret(dump, f"excel all {persona}")
    if persona not in ("commune_clerk",):
        # A complaint names its petitioner, as on its page; a denunciation never does.
        assert "Lê Văn Công Khai" in dump
