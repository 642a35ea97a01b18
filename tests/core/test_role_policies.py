"""Two access policies decided on purpose (issue 15.17), each held by a test:

- A council leader (lãnh đạo HĐND: chair, vice-chairs of the Standing Committee) reads its
  council and every council below it, and **writes its own council** like its clerks: the
  Standing Committee approves minutes, adopts and signs, and in a small council a vice-chair
  keeps the records. It never writes a council below.
- A denouncer's identity: a clerk who receives a denunciation at the desk **types it at intake**
  (write-only: encrypted as it is stored, never shown back to the clerk), but only the
  confidential petition handler **imports** identities from a spreadsheet, a bulk file of many
  identities outside the portal that only the accountable handler should hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from councilportal.access import can_write
from councilportal.models import Agency
from petitions.models import Petition, Petitioner

from ..petitions.test_intake_and_lists import _form


def test_a_leader_writes_its_own_council_and_only_reads_the_councils_below(
    world: Any, login: Any
) -> None:
    leader = world.users["leader"]
    assert can_write(leader, world.province) and not can_write(leader, world.commune)
    own = Agency.objects.filter(council=world.province).first()
    below = Agency.objects.filter(council=world.commune).first()
    assert own is not None and below is not None
    client = login(leader)
    assert client.get(reverse("core:agency-update", args=[own.pk])).status_code == 200
    assert client.get(reverse("core:agency-detail", args=[below.pk])).status_code == 200
    assert client.get(reverse("core:agency-update", args=[below.pk])).status_code == 403


def test_a_clerk_types_a_denouncers_identity_at_intake_and_never_reads_it_back(
    world: Any, login: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(world.users["province_clerk"])
    data = _form(
        world,
        **{
            "subject": "Tố cáo trưởng thôn thu tiền",
            "items-TOTAL_FORMS": "1",
            "items-0-kind": "denunciation",
            "items-0-field": "land",
            "items-0-content": "Trưởng thôn thu tiền trái phép.",
            "people-0-full_name": "Phạm Thị Kín Tiếng",
            "people-0-phone": "0977 333 444",
        },
    )
    response = client.post(reverse("petitions:petition-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    petition = Petition.objects.get(subject="Tố cáo trưởng thôn thu tiền")
    assert petition.is_confidential
    stored = Petitioner.objects.get(petition=petition)
    assert stored.full_name.token and "Phạm" not in stored.full_name.token  # ciphertext
    page = client.get(response.url).content.decode()
    assert "Phạm Thị Kín Tiếng" not in page and "0977" not in page
    identity = reverse("petitions:petition-identity", args=[petition.pk])
    assert client.get(identity).status_code == 403
    handler = login(world.users["handler"])
    assert "Phạm Thị Kín Tiếng" in handler.get(identity).content.decode()


def test_only_the_handler_imports_a_denouncers_identity(world: Any) -> None:
    """The import side of the policy (the importer's own test is in test_spreadsheets.py)."""
    from councilportal.spreadsheets.importing import get_import_kind, run_import

    from .test_spreadsheets import _petition, _petition_rows, _upload

    kind = get_import_kind("petitions")
    rows = [_petition(**{"Loại đơn": "Tố cáo", "Trích yếu": "Tố cáo cán bộ xã"})]
    clerk = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert not clerk.committed
    assert "xử lý đơn thư" in " ".join(str(e) for r in clerk.errors for e in r.errors).lower()
    handler = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["handler"],
        dry_run=False,
    )
    assert handler.committed
