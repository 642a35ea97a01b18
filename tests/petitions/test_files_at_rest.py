"""The denouncer's identity in files at rest: the media folder and a backup.

A denunciation's signature scan and the handler's unredacted guidance letter carry the identity.
On disk they are encrypted with the field keys (MultiFernet), every file and folder under
MEDIA_ROOT is private to the portal's user (0600/0700), and a backup made by scripts/backup.sh
is readable by its owner only and holds no identity without the keys: every file is read raw
and every PDF through pdftotext. The handler still downloads both in clear (decrypted on
serving), also after `manage.py rotate_field_keys` and with the old key dropped.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
import stat
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument
from petitions.confidential import reveal
from petitions.models import IdentityAccess
from petitions.services import ItemData, PersonData, item_guide, petition_receive
from petitions.views import _attach_scan

from ..pdftools import pdf_text
from .conftest import SECRET_ADDRESS, SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk
from .test_denouncer_leak import SCAN_NAME, secrets_in

ROOT = Path(__file__).resolve().parents[2]
SCAN = f"%PDF-1.4\n% {SECRET_NAME} {SECRET_ADDRESS} {SECRET_PHONE}\n%%EOF\n".encode()


def _readable(data: bytes) -> str:
    """Everything a reader without keys gets from a file: its bytes as text, and for a PDF
    what pdftotext reads."""
    text = data.decode("utf-8", errors="replace")
    if data.startswith(b"%PDF") and b"%%EOF" in data[-64:]:
        # A file that is not a whole PDF (the scan of this test) is read as bytes above.
        with contextlib.suppress(subprocess.CalledProcessError):
            text += pdf_text(data, layout=False)
    return text


def _confidential_files(desk: Desk) -> tuple[Attachment, GeneratedDocument]:
    """The scan of the desk's denunciation and a handler's unredacted guidance letter."""
    world = desk.world
    handler, clerk = world.users["handler"], world.users["province_clerk"]
    scan = _attach_scan(
        desk.denunciation,
        SimpleUploadedFile(SCAN_NAME, SCAN, content_type="application/pdf"),
        handler,
    )
    guided = petition_receive(
        council=world.province,
        channel="post",
        received_on=dt.date(2023, 1, 25),
        subject="Tố cáo cán bộ địa chính thôn",
        items=[ItemData(kind="denunciation", field="land", content="Cán bộ nhận quà.")],
        people=[
            PersonData(
                full_name=SECRET_NAME,
                address=SECRET_ADDRESS,
                phone=SECRET_PHONE,
                id_number=SECRET_ID,
                is_representative=True,
            )
        ],
        by=handler,
    )
    item = guided.items.get()
    item_guide(item=item, on=dt.date(2023, 1, 30), note="Gửi Thanh tra huyện.", by=clerk)
    redacted = document_request(kind="petitions.guidance-letter", source=item, by=clerk)
    reveal(petition=guided, by=handler, action=IdentityAccess.UNREDACTED_COPY)
    unredacted = document_request(kind="petitions.guidance-letter-unredacted", source=item, by=None)
    for document in (redacted, unredacted):
        document_render(document_id=document.pk)
        document.refresh_from_db()
        assert document.status == DocumentStatus.DONE, document.error
    return scan, unredacted


def _handler_downloads(desk: Desk, scan: Attachment, unredacted: GeneratedDocument) -> None:
    """The positive control: the handler reads both files in clear."""
    client = Client()
    client.force_login(desk.world.users["handler"])
    response = client.get(reverse("core:attachment-download", args=[scan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCAN
    response = client.get(reverse("core:document-download", args=[unredacted.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert SECRET_NAME in pdf_text(content, layout=False)
    assert secrets_in(_readable(content))  # the reader of the files below would see it
    unredacted.refresh_from_db()
    assert hashlib.sha256(content).hexdigest() == unredacted.sha256


def _assert_private_and_sealed(folder: Path) -> int:
    files = 0
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, f"{path}: {oct(mode)}"
            continue
        files += 1
        assert mode == 0o600, f"{path}: {oct(mode)}"
        leaks = secrets_in(_readable(path.read_bytes())) + secrets_in(str(path))
        assert not leaks, f"{path.relative_to(folder)} shows {leaks}"
    return files


def test_confidential_files_are_encrypted_and_private_in_the_media_folder(
    desk: Desk, media: Path
) -> None:
    scan, unredacted = _confidential_files(desk)
    # The clear text is what was rendered and uploaded (the needles would find it).
    assert secrets_in(SCAN.decode())
    assert _assert_private_and_sealed(media) == 3  # the scan and two letters
    _handler_downloads(desk, scan, unredacted)


def test_rotating_the_keys_reencrypts_the_files_and_the_handler_still_reads_them(
    desk: Desk, media: Path, settings: Any
) -> None:
    from cryptography.fernet import Fernet

    from petitions.crypto import _keys, forget_keys

    scan, unredacted = _confidential_files(desk)
    before = {p: p.read_bytes() for p in media.rglob("*") if p.is_file()}
    old, index_key = _keys()
    previous = [
        base64.urlsafe_b64encode(f._signing_key + f._encryption_key).decode()  # type: ignore[attr-defined]
        for f in old._fernets  # type: ignore[attr-defined]
    ]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_BLIND_INDEX_KEY = index_key.decode()
    try:
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *previous]
        forget_keys()
        call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
        settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
        forget_keys()
        scan.refresh_from_db()
        unredacted.refresh_from_db()
        after = {p: p.read_bytes() for p in media.rglob("*") if p.is_file()}
        # The sealed files were rewritten (the redacted letter, in clear, is left as it was).
        assert len(after) == len(before) == 3
        assert len(set(after.values()) - set(before.values())) == 2
        assert _assert_private_and_sealed(media) == 3
        _handler_downloads(desk, scan, unredacted)
    finally:
        forget_keys()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="scripts/backup.sh runs pg_dump: it needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_backup_is_private_and_holds_no_identity(desk: Desk, media: Path, tmp_path: Path) -> None:
    from django.db import connection

    from ..ops.test_backup_restore import run, url_of

    _confidential_files(desk)
    env = {**os.environ, "DATABASE_URL": url_of(connection.settings_dict["NAME"])}
    env["MEDIA_ROOT"] = str(media)
    backups = tmp_path / "backups"
    backup = Path(run(["bash", "scripts/backup.sh", str(backups)], env).strip())
    for path in [backups, backup, *backup.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
    # Every file of the media archive, read as its taker would (no keys).
    with tarfile.open(backup / "media.tar") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        assert len(members) == 3
        for member in members:
            handle = archive.extractfile(member)
            assert handle is not None
            leaks = secrets_in(_readable(handle.read())) + secrets_in(member.name)
            assert not leaks, f"media.tar:{member.name} shows {leaks}"
            assert member.mode & 0o077 == 0, f"{member.name}: {oct(member.mode)}"
    # The database dump as SQL text: the identity is ciphertext there.
    dump = subprocess.run(
        ["pg_restore", "--file=-", str(backup / "database.dump")],
        capture_output=True,
        check=True,
    ).stdout
    assert b"COPY public.petitions_petitioner" in dump
    assert not secrets_in(dump.decode("utf-8", errors="replace"))
    for name in ("MANIFEST", "media.sha256", "SHA256SUMS"):
        assert not secrets_in((backup / name).read_text())
