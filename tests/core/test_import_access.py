"""The access matrix of the import path: every import kind × every persona applies the same
write rule as the edit pages. A row for a record the user may read but not change (a council
below a province clerk's or a leader's) is refused with a Vietnamese reason, never written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from councilportal.models import Council
from councilportal.spreadsheets.importing import get_import_kind, import_kinds
from councilportal.spreadsheets.importing import run_import as _run_import
from tests.conftest import PERSONA_NAMES

# A free-text column of each kind, changed by the row so that it is an update.
CHANGED_COLUMN = {
    "councils": "address",
    "agencies": "head_name",
    "delegates": "position",
    "sessions": "venue",
    "resolutions": "signer_name",
    "voter-recommendations": "locality",
    "terms": "name",
}


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(**kwargs: Any) -> Any:
    with translation.override("vi"):
        return _run_import(**kwargs)


def _editable(user: Any, obj: Any) -> bool:
    manager: Any = type(obj)._default_manager
    return bool(manager.editable_by(user).filter(pk=obj.pk).exists())


def _matched_kinds() -> list[str]:
    return [k.key for k in import_kinds() if k.bulk is None and k.key in CHANGED_COLUMN]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("key", _matched_kinds())
def test_an_import_changes_a_record_only_where_the_edit_page_would(
    world: Any, key: str, persona: str
) -> None:
    kind = get_import_kind(key)
    assert kind is not None
    user = world.users[persona]
    record = world.own_objects[kind.model]  # a record of the commune, below the province
    row = next(iter(kind.export_rows([record])))
    fields = [c.field for c in kind.columns]
    index = fields.index(CHANGED_COLUMN[key])
    row[index] = "Giá trị mới do nhập từ tệp"
    header = [c.header for c in kind.columns]
    report = run_import(
        kind=kind,
        upload=SimpleUploadedFile("a.xlsx", _xlsx([header, row])),
        user=user,
        dry_run=False,
    )
    record.refresh_from_db()
    stored = getattr(record, CHANGED_COLUMN[key])
    messages = " ".join(" ".join(r.errors) for r in report.errors)
    if _editable(user, record):
        assert "không có quyền sửa" not in messages
        if key == "councils" and persona == "commune_clerk":
            # As on the edit page: a council's parent must be one the user writes.
            assert "Mã HĐND cấp trên" in messages
            return
        assert report.committed, [(r.line, r.errors) for r in report.errors]
        assert report.updated == 1
        assert stored == "Giá trị mới do nhập từ tệp"
    else:
        assert "không có quyền sửa" in messages or "Mã HĐND" in messages or "Khóa" in messages
        assert not report.committed and report.updated == 0 and report.created == 0
        assert stored != "Giá trị mới do nhập từ tệp"
        assert [r.line for r in report.errors] == [2]


@pytest.mark.parametrize("persona", ["province_clerk", "leader"])
def test_a_province_clerk_or_leader_cannot_rewrite_a_commune_council(
    world: Any, login: Any, persona: str
) -> None:
    kind = get_import_kind("councils")
    assert kind is not None
    row = next(iter(kind.export_rows([world.commune])))
    row[[c.field for c in kind.columns].index("name")] = "HĐND xã Đổi Tên"
    content = _xlsx([[c.header for c in kind.columns], row])
    client = login(world.users[persona])
    # The edit page refuses them…
    assert client.get(reverse("core:council-update", args=[world.commune.pk])).status_code == 403
    # …and so does the import, in its preview, with the reason in Vietnamese.
    page = client.post(
        reverse("core:import"),
        {"kind": "councils", "file": SimpleUploadedFile("a.xlsx", content)},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert page.status_code == 200
    report = page.context["report"]
    assert report.updated == 0 and [r.line for r in report.errors] == [2]
    message = " ".join(report.errors[0].errors)
    assert "không có quyền sửa" in message and "HĐND xã Cây Đa" in message
    assert not page.context["token"]
    assert Council.objects.get(pk=world.commune.pk).name == "HĐND xã Cây Đa"


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_petitions_are_created_only_for_a_council_the_user_writes(world: Any, persona: str) -> None:
    kind = get_import_kind("petitions")
    assert kind is not None
    row = ["P-C" if c.example == "HY" else c.example for c in kind.columns]
    header = [c.header for c in kind.columns]
    user = world.users[persona]
    report = run_import(
        kind=kind,
        upload=SimpleUploadedFile("a.xlsx", _xlsx([header, row])),
        user=user,
        dry_run=False,
    )
    writable = Council.objects.editable_by(user).filter(pk=world.commune.pk).exists()
    assert report.committed is writable
    if not writable:
        assert [r.line for r in report.errors] == [2]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_an_administrator_imports_users(world: Any, persona: str) -> None:
    kind = get_import_kind("users")
    assert kind is not None
    header = [c.header for c in kind.columns]
    row = ["moi.cayda", "Lê Thị Mới", "", "P-C", "Chuyên viên"]
    report = run_import(
        kind=kind,
        upload=SimpleUploadedFile("a.xlsx", _xlsx([header, row])),
        user=world.users[persona],
        dry_run=False,
    )
    assert report.committed is (persona == "council_admin")
    if not report.committed:
        assert "quản trị viên" in " ".join(report.file_errors)


@pytest.mark.parametrize("persona", ["province_clerk", "leader", "council_admin"])
def test_the_users_import_is_offered_to_administrators_only(
    world: Any, login: Any, persona: str
) -> None:
    page = login(world.users[persona]).get(reverse("core:import"))
    offered = [key for key, _label in page.context["form"].fields["kind"].choices]
    assert ("users" in offered) is (persona == "council_admin")
    assert "delegates" in offered
