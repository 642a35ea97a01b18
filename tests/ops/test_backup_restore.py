"""scripts/backup.sh and scripts/restore.sh, really run: a database with records of every app
and a generated PDF is backed up, restored into a fresh database and a fresh media folder, and
the portal is started on the copy (the test client in a `manage.py shell` process against the
restored database) to read a record and download the document."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from councilportal.documents.services import document_render
from councilportal.models import Attachment, DocumentStatus, GeneratedDocument
from resolutions.models import Resolution
from tests import factories as f
from tests.conftest import _objects_of
from tests.faults.processes import production_secrets

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="pg_dump and pg_restore need PostgreSQL (set DATABASE_URL)",
)

# Run in the restored portal: log in, open a record's page, download the document.
CHECK_RESTORED = """
import hashlib, json
from django.contrib.auth import get_user_model
from django.test import Client
from councilportal.models import GeneratedDocument
from resolutions.models import Resolution
from django_otp.plugins.otp_totp.models import TOTPDevice
document = GeneratedDocument.objects.get(pk=DOCUMENT)
client = Client()
admin = get_user_model().objects.get(username="ops-admin")
client.force_login(admin)
# A superuser must use two-step log-in: the session as after typing the code.
session = client.session
session["otp_device_id"] = TOTPDevice.objects.create(user=admin, name="ops").persistent_id
session.save()
page = client.get(f"/resolutions/{RESOLUTION}/")
download = client.get(f"/documents/{document.pk}/download/")
print(json.dumps({
    "page": page.status_code,
    "title_shown": Resolution.objects.get(pk=RESOLUTION).title in page.content.decode(),
    "download": download.status_code,
    "sha256": hashlib.sha256(b"".join(download.streaming_content)).hexdigest(),
    "stored_sha256": document.sha256,
}))
"""


def url_of(name: str) -> str:
    db = connection.settings_dict
    host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or "5432", db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def admin(sql: str) -> None:
    with psycopg.connect(url_of("postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def row_counts(url: str) -> dict[str, int]:
    count = sql.SQL("SELECT count(*) FROM {}")
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(count.format(sql.Identifier(table))).fetchone()[0]  # type: ignore[index]
            for table in tables
        }


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def restore_database() -> Iterator[str]:
    """A fresh, empty database next to the developer's own (cp_ops → cp_ops_restore)."""
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
    name = f"{base}_restore"
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield name
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_and_media_folder_with_every_row_and_file(
    settings: Any, tmp_path: Path, restore_database: str
) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    province = f.CouncilFactory(code="BK", name="HĐND tỉnh Sao Lưu", level="province")
    commune = f.CouncilFactory(
        code="BK-X", name="HĐND xã Khôi Phục", level="commune", parent=province
    )
    records = _objects_of(commune)
    _objects_of(province)
    f.UserFactory(username="ops-admin", is_superuser=True, is_staff=True)
    # A real document: the term roster rendered by WeasyPrint and stored under MEDIA_ROOT.
    document = document_render(document_id=records[GeneratedDocument].pk)
    assert document is not None and document.status == DocumentStatus.DONE
    # And an uploaded file with a Vietnamese name where the attachment row says it is.
    attachment = records[Attachment]
    attachment.file.save("tài-liệu họp.pdf", _pdf_upload(), save=True)
    source_files = checksums(media)
    assert len(source_files) == 2

    env = {**os.environ, "DATABASE_URL": url_of(connection.settings_dict["NAME"])}
    env["MEDIA_ROOT"] = str(media)
    backup = Path(run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], env).strip())
    assert backup.name.startswith("portal-") and backup.is_dir()
    assert {p.name for p in backup.iterdir()} == {
        "database.dump",
        "media.tar",
        "media.sha256",
        "SHA256SUMS",
        "MANIFEST",
    }
    assert "database: test_" in (backup / "MANIFEST").read_text()

    restored_media = tmp_path / "restored-media"
    target = url_of(restore_database)
    restore_env = {**os.environ, "DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)}
    run(["bash", "scripts/restore.sh", str(backup)], restore_env)

    source_counts = row_counts(env["DATABASE_URL"])
    restored_counts = row_counts(target)
    assert restored_counts == source_counts
    for table in ("core_council", "core_generateddocument", "resolutions_resolution"):
        assert source_counts[table] > 0, table
    assert checksums(restored_media) == source_files

    # The portal runs on the copy: the schema is current, a page and the PDF are served.
    portal_env = {
        **restore_env,
        **production_secrets(),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
    }
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--check"], portal_env)
    script = CHECK_RESTORED.replace("DOCUMENT", str(document.pk)).replace(
        "RESOLUTION", str(records[Resolution].pk)
    )
    output = run([*manage, "shell", "-v", "0", "-c", script], portal_env)
    seen = json.loads(output.strip().splitlines()[-1])
    assert seen["page"] == 200 and seen["title_shown"]
    assert seen["download"] == 200
    assert seen["sha256"] == seen["stored_sha256"] == document.sha256


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    """Never over a live portal: the (migrated) test database is refused before anything."""
    backup = tmp_path / "portal-x"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"dump")
    (backup / "SHA256SUMS").write_text(f"{hashlib.sha256(b'dump').hexdigest()}  database.dump\n")
    env = {
        **os.environ,
        "DATABASE_URL": url_of(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "m"),
    }
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "not empty" in result.stderr


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    backup = tmp_path / "portal-x"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"changed")
    (backup / "SHA256SUMS").write_text(
        f"{hashlib.sha256(b'original').hexdigest()}  database.dump\n"
    )
    result = subprocess.run(
        ["bash", "scripts/restore.sh", str(backup)],
        cwd=ROOT,
        env={**os.environ, "MEDIA_ROOT": str(tmp_path / "m")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "damaged" in result.stderr


def _pdf_upload() -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4\n% Bi\xc3\xaan b\xe1\xba\xa3n h\xe1\xbb\x8dp\n%%EOF\n")
