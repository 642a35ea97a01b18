"""Spreadsheets: every register exports its filtered rows; imports are validated row by row
with the interface's forms, previewed, all-or-nothing, and round-trip with the export."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from councilportal.models import Agency, Council, Delegate, Term
from councilportal.spreadsheets.importing import get_import_kind, import_kinds, run_import
from sessions.models import Session

from .. import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "file.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _sheet(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_a_list_exports_exactly_its_filtered_rows(world: Any, login: Any) -> None:
    client = login(world.users["leader"])
    f.AgencyFactory(council=world.province, name="Sở Tư pháp", kind="department")
    f.AgencyFactory(council=world.province, name="Công an tỉnh", kind="police")
    response = client.get(reverse("core:agency-list"), {"kind": "department", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = _sheet(response.content)
    assert rows[0][:2] == ["Mã HĐND", "Tên cơ quan"]
    names = [r[1] for r in rows[1:]]
    assert "Sở Tư pháp" in names and "Công an tỉnh" not in names
    assert not any("F-C" in str(r) for r in rows)  # a foreign council's agency never appears


def test_csv_export_is_utf8_with_dates_as_dd_mm_yyyy(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    term = Term.objects.get(council=world.province)
    f.DelegateFactory(term=term, full_name="Trần Thị Hương")
    response = client.get(reverse("core:delegate-list"), {"export": "csv", "q": "tran thi"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffMã HĐND,")
    assert "Trần Thị Hương" in text
    assert "/20" in text  # a date written dd/mm/yyyy


def test_every_list_page_offers_the_export(world: Any, login: Any) -> None:
    client = login(world.users["leader"])
    for name in ("core:council-list", "core:delegate-list", "sessions:session-list"):
        body = client.get(reverse(name)).content.decode()
        assert 'data-export="xlsx"' in body, name


def test_each_kind_has_a_template_with_an_example_row(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    assert {k.key for k in import_kinds()} >= {
        "councils",
        "agencies",
        "delegates",
        "sessions",
        "resolutions",
        "voter-recommendations",
    }
    for kind in import_kinds():
        response = client.get(reverse("core:import-template"), {"kind": kind.key})
        assert response.status_code == 200
        rows = _sheet(response.content)
        assert rows[0] == [c.header for c in kind.columns]
        assert len(rows) == 2
    assert client.get(reverse("core:import-template"), {"kind": "nope"}).status_code == 404


def test_an_invalid_row_stops_the_whole_import_and_is_reported_with_its_line(
    world: Any,
) -> None:
    kind = get_import_kind("agencies")
    content = _xlsx(
        [
            [c.header for c in kind.columns],
            ["P", "Sở Xây dựng", "SXD", "Sở, cơ quan thuộc Ủy ban nhân dân", "", "", "", "", "Có"],
            ["P", "", "", "Không có loại này", "", "", "", "x@", ""],
            ["F", "Sở của tỉnh khác", "", "Khác", "", "", "", "", ""],
        ]
    )
    report = run_import(
        kind=kind, upload=_upload(content), user=world.users["province_clerk"], dry_run=False
    )
    assert not report.committed
    assert [r.line for r in report.errors] == [3, 4]
    line3 = " ".join(report.errors[0].errors)
    assert "Tên cơ quan" in line3 and "Loại cơ quan" in line3 and "Thư điện tử" in line3
    assert "Mã HĐND" in " ".join(report.errors[1].errors)  # not a council the clerk writes
    assert not Agency.objects.filter(name="Sở Xây dựng").exists()  # nothing written


def test_a_valid_file_is_previewed_then_imported(world: Any, login: Any) -> None:
    kind = get_import_kind("sessions")
    content = _xlsx(
        [
            [c.header for c in kind.columns],
            ["P", 17, 20, "Kỳ họp chuyên đề", "Chuyên đề đầu tư công", "15/03/2023",
             "15/03/2023", "15/03/2023", "15/03/2023", "Hội trường", "Có", "", ""],
        ]
    )  # fmt: skip
    Term.objects.filter(council=world.province).update(ordinal=17)
    client = login(world.users["province_clerk"])
    page = client.post(
        reverse("core:import"), {"kind": "sessions", "file": _upload(content, "kyhop.xlsx")}
    )
    assert page.status_code == 200
    assert page.context["report"].created == 1
    assert not Session.objects.filter(ordinal=20).exists()  # the preview writes nothing
    token = page.context["token"]
    done = client.post(reverse("core:import-confirm"), {"kind": "sessions", "token": token})
    assert done.status_code == 302
    # To the register the rows went into, narrowed to their council.
    assert done["Location"] == reverse("sessions:session-list") + f"?within={world.province.pk}"
    listed = client.get(done["Location"])
    assert listed.status_code == 200
    assert any(s.ordinal == 20 for s in listed.context["object_list"])
    session = Session.objects.get(ordinal=20, council=world.province)
    assert session.kind == "thematic" and str(session.actual_start) == "2023-03-15"
    # The token is single-use and bound to its user.
    again = client.post(reverse("core:import-confirm"), {"kind": "sessions", "token": token})
    assert again.status_code == 302
    assert Session.objects.filter(ordinal=20).count() == 1


def test_another_users_token_is_refused(world: Any, login: Any) -> None:
    kind = get_import_kind("agencies")
    content = _xlsx(
        [[c.header for c in kind.columns], ["P", "Sở Nội vụ", "", "Khác", "", "", "", "", ""]]
    )
    client = login(world.users["province_clerk"])
    page = client.post(reverse("core:import"), {"kind": "agencies", "file": _upload(content)})
    token = page.context["token"]
    assert token
    other = login(world.users["council_admin"])
    other.post(reverse("core:import-confirm"), {"kind": "agencies", "token": token})
    assert not Agency.objects.filter(name="Sở Nội vụ").exists()


def test_export_then_import_changes_nothing(world: Any, login: Any) -> None:
    client = login(world.users["council_admin"])
    term = Term.objects.get(council=world.province)
    f.DelegateFactory(term=term, full_name="Lê Văn Bình", gender="male", is_full_time=True)
    for kind_key, list_name in (
        ("councils", "core:council-list"),
        ("agencies", "core:agency-list"),
        ("delegates", "core:delegate-list"),
        ("sessions", "sessions:session-list"),
        ("voter-recommendations", "petitions:recommendation-list"),
    ):
        exported = client.get(reverse(list_name), {"export": "xlsx"}).content
        before = _counts()
        report = run_import(
            kind=get_import_kind(kind_key),
            upload=_upload(exported),
            user=world.users["council_admin"],
            dry_run=False,
        )
        assert report.ok, (kind_key, [(r.line, r.errors) for r in report.errors])
        changed = [(r.line, r.label, r.action) for r in report.rows if r.action != "unchanged"]
        assert report.created == 0 and report.updated == 0, (kind_key, changed)
        assert report.unchanged >= 1
        assert _counts() == before


def _counts() -> tuple[int, ...]:
    return (Council.objects.count(), Agency.objects.count(), Delegate.objects.count())


def test_broken_and_foreign_files_get_a_clear_error(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    broken = client.post(
        reverse("core:import"), {"kind": "agencies", "file": _upload(b"PK\x03\x04garbage")}
    )
    assert broken.status_code == 200
    assert broken.context["report"].file_errors
    wrong = client.post(
        reverse("core:import"),
        {"kind": "agencies", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    latin = client.post(
        reverse("core:import"),
        {
            "kind": "agencies",
            "file": SimpleUploadedFile("a.csv", "Tên;Mã\nHà;x".encode("latin-1")),
        },
    )
    assert latin.status_code == 200
    assert "UTF-8" in " ".join(latin.context["report"].file_errors)
    headers = client.post(
        reverse("core:import"),
        {"kind": "agencies", "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")},
    )
    assert "Mã HĐND" in " ".join(headers.context["report"].file_errors)


def test_a_reader_cannot_import(world: Any, login: Any) -> None:
    assert login(world.users["outsider"]).get(reverse("core:import")).status_code == 200
    assert login(world.users["delegate"]).get(reverse("core:import")).status_code == 403


def test_the_command_line_imports_and_dry_runs(world: Any, tmp_path: Path) -> None:
    kind = get_import_kind("agencies")
    path = tmp_path / "agencies.csv"
    header = ",".join(c.header for c in kind.columns)
    path.write_text(f"{header}\nP,Sở Y tế,SYT,Khác,,,,,Có\n", encoding="utf-8")
    call_command("import_records", "agencies", str(path), "--dry-run")
    assert not Agency.objects.filter(name="Sở Y tế").exists()
    call_command("import_records", "agencies", str(path))
    assert Agency.objects.get(name="Sở Y tế").short_name == "SYT"
    path.write_text(f"{header}\nNOPE,Sở Y tế,SYT,Khác,,,,,Có\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_records", "agencies", str(path))


def test_docs_import_md_is_up_to_date() -> None:
    out = io.StringIO()
    call_command("import_docs", stdout=out)
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text()
    assert docs.strip() == out.getvalue().strip(), "run: manage.py import_docs > docs/import.md"


def test_historical_resolutions_import_with_their_numbers(world: Any) -> None:
    kind = get_import_kind("resolutions")
    headers = [c.header for c in kind.columns]

    def row(number: Any, title: str, adopted: str = "05/01/2019") -> list[Any]:
        values = {
            "Mã HĐND": "P",
            "Cơ quan ban hành": "Hội đồng nhân dân",
            "Loại": "Nghị quyết cá biệt",
            "Số": number,
            "Trích yếu": title,
            "Lĩnh vực": "Ngân sách, tài chính",
            "Ngày thông qua": adopted,
            "Có hiệu lực từ ngày": adopted,
        }
        return [values.get(h, "") for h in headers]

    from resolutions.models import Resolution

    ok = run_import(
        kind=kind,
        upload=_upload(_xlsx([headers, row(7, "Về dự toán 2019"), row(8, "Về quyết toán")])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert ok.committed and ok.created == 2
    assert Resolution.objects.get(title="Về dự toán 2019").symbol == "07/NQ-HĐND"
    # A row with the same series and number is the same document (an update); an invalid row
    # stops everything.
    clash = run_import(
        kind=kind,
        upload=_upload(_xlsx([headers, row(9, "Mới"), row(10, "")])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert not clash.committed
    assert [r.line for r in clash.errors] == [3]
    assert not Resolution.objects.filter(title="Mới").exists()


def _petition_rows(kind: Any, rows: list[dict[str, Any]]) -> bytes:
    headers = [c.header for c in kind.columns]
    return _xlsx([headers] + [[r.get(h, "") for h in headers] for r in rows])


def _petition(**extra: Any) -> dict[str, Any]:
    row = {
        "Mã HĐND": "P",
        "Ngày nhận": "16/01/2023",
        "Hình thức tiếp nhận": "Qua bưu điện",
        "Trích yếu": "Khiếu nại quyết định thu hồi đất",
        "Loại đơn": "Khiếu nại",
        "Lĩnh vực": "Đất đai, nhà ở",
        "Nội dung": "Đề nghị xem xét lại mức bồi thường",
        "Họ tên người gửi đơn": "Nguyễn Văn An",
    }
    row.update(extra)
    return row


def test_petitions_import_in_bulk_with_triage_dates_and_encrypted_identity(world: Any) -> None:
    from petitions.models import Petition, Petitioner

    kind = get_import_kind("petitions")
    content = _petition_rows(kind, [_petition(), _petition(**{"Số đơn": 40})])
    preview = run_import(
        kind=kind, upload=_upload(content), user=world.users["province_clerk"], dry_run=True
    )
    assert preview.ok and preview.created == 2 and not preview.committed
    assert not Petition.objects.filter(subject__startswith="Khiếu nại quyết định").exists()
    report = run_import(
        kind=kind, upload=_upload(content), user=world.users["province_clerk"], dry_run=False
    )
    assert report.committed
    petitions = Petition.objects.filter(subject="Khiếu nại quyết định thu hồi đất")
    # The first takes the year's next number (the world holds one petition of 2023 already).
    assert sorted(p.number for p in petitions) == [2, 40]
    item = petitions.get(number=40).items.get()
    # 10 days from 16/01/2023 across Tết: the rule and the holiday calendar, as at intake.
    assert item.triage_due is not None and item.triage_due > item.petition.received_on
    stored = Petitioner.objects.filter(petition__in=petitions).values_list("full_name", flat=True)
    assert all("Nguyễn" not in str(v) for v in stored)  # ciphertext at rest
    assert petitions.get(number=40).history.count() == 1  # audited like any other write


def test_only_the_handler_imports_a_denouncers_identity(world: Any) -> None:
    from petitions.models import Petition

    kind = get_import_kind("petitions")
    rows = [_petition(), _petition(**{"Loại đơn": "Tố cáo", "Trích yếu": "Tố cáo cán bộ"})]
    clerk = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert not clerk.committed and [r.line for r in clerk.errors] == [3]
    assert not Petition.objects.filter(subject="Tố cáo cán bộ").exists()
    handler = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["handler"],
        dry_run=False,
    )
    assert handler.committed, [(r.line, r.errors) for r in handler.errors]


def test_invalid_petition_rows_are_all_reported_with_their_lines(world: Any) -> None:
    kind = get_import_kind("petitions")
    rows = [
        _petition(),
        _petition(**{"Ngày nhận": "31/02/2023"}),
        _petition(**{"Loại đơn": "Thư cảm ơn", "Họ tên người gửi đơn": ""}),
        _petition(**{"Mã HĐND": "F"}),
    ]
    report = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert not report.committed
    assert [r.line for r in report.errors] == [3, 4, 5]
    assert "Loại đơn" in " ".join(report.errors[1].errors)


def test_imported_petitions_are_stored_as_the_intake_service_stores_them(world: Any) -> None:
    from petitions.access import reveal
    from petitions.models import Petition, Petitioner, PetitionItem
    from petitions.services import ItemData, PersonData, petition_receive

    kind = get_import_kind("petitions")
    rows = [
        _petition(**{"Điện thoại": "0912 345 678"}),
        _petition(**{"Họ tên người gửi đơn": "", "Đơn nặc danh": "Có", "Trích yếu": "Nặc danh"}),
    ]
    report = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["handler"],
        dry_run=False,
    )
    assert report.committed, [(r.line, r.errors) for r in report.errors]
    named = Petition.objects.get(subject="Khiếu nại quyết định thu hồi đất", year=2023)
    anonymous = Petition.objects.get(subject="Nặc danh")
    assert anonymous.is_anonymous and not anonymous.petitioners.exists()
    item = named.items.get()
    # The item carries its petition's council and date, as a saved item does.
    assert (item.petition_council_id, item.petition_received_on) == (
        named.council_id,
        named.received_on,
    )
    assert item.outcome == "pending" and item.triage_rule and item.triage_explanation
    # One "created" history row per record, with the stored (encrypted) values.
    person = Petitioner.objects.get(petition=named)
    assert person.history.get().history_type == "+"
    assert item.history.get().history_user_id == world.users["handler"].pk
    assert str(person.history.get().full_name) == str(person.full_name)
    # Encrypted at rest, readable through the logged reveal; the blind index finds the phone.
    identity = reveal(petition=named, by=world.users["handler"])[0]
    assert identity.full_name == "Nguyễn Văn An" and identity.phone == "0912 345 678"
    assert Petitioner.objects.filter(phone_index=person.phone_index).count() == 1
    assert str(person.id_number) == ""  # an empty field stays empty, not encrypted
    # The ids were drawn from the sequences: records written afterwards do not collide.
    later = petition_receive(
        council=world.province,
        received_on=named.received_on,
        channel="post",
        subject="Đơn sau khi nhập",
        items=[ItemData(kind="complaint", field="land", content="Nội dung")],
        people=[PersonData(full_name="Trần Thị Bình")],
        by=world.users["handler"],
    )
    assert later.number == max(named.number, anonymous.number) + 1
    assert PetitionItem.objects.get(petition=later).petition_council_id == world.province.pk


def test_abandoned_previews_are_purged_after_an_hour_and_sealed_with_the_field_keys(
    world: Any, login: Any, settings: Any, tmp_path: Path
) -> None:
    import base64
    import hashlib
    import os
    import time

    from cryptography.fernet import Fernet, InvalidToken

    from councilportal.celery import app
    from councilportal.spreadsheets.tasks import purge_import_stashes
    from petitions.crypto import _keys

    settings.MEDIA_ROOT = tmp_path / "media"
    kind = get_import_kind("agencies")
    header = [c.header for c in kind.columns]
    client = login(world.users["province_clerk"])

    def preview(name: str) -> Path:
        content = _xlsx([header, ["P", name, "", "Khác", "", "", "", "", ""]])
        before = (
            set((tmp_path / "media" / "imports").glob("*"))
            if (tmp_path / "media" / "imports").exists()
            else set()
        )
        page = client.post(reverse("core:import"), {"kind": "agencies", "file": _upload(content)})
        assert page.context["token"]
        (new,) = set((tmp_path / "media" / "imports").glob("*")) - before
        return new

    first = preview("Sở Nội vụ")
    sealed = first.read_bytes()
    assert _keys()[0].decrypt(sealed).startswith(b"PK")  # the field keys open it…
    old_key = hashlib.sha256(f"councilportal.imports.stash:{settings.SECRET_KEY}".encode())
    with pytest.raises(InvalidToken):  # …a key derived from SECRET_KEY does not
        Fernet(base64.urlsafe_b64encode(old_key.digest())).decrypt(sealed)
    two_hours_ago = time.time() - 7200
    os.utime(first, (two_hours_ago, two_hours_ago))
    second = preview("Sở Tài chính")
    assert not first.exists() and second.exists()  # a new import purges the abandoned one
    # The periodic job too, every quarter of an hour.
    os.utime(second, (two_hours_ago, two_hours_ago))
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "councilportal.tasks.purge_import_stashes"
    )
    assert entry["task"] in app.tasks
    assert purge_import_stashes() == 1
    assert not second.exists()


def test_templates_are_named_by_their_vietnamese_label(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    names = {}
    for key in ("delegates", "councils", "voter-recommendations"):
        response = client.get(reverse("core:import-template"), {"kind": key})
        names[key] = response["Content-Disposition"]
    assert names["delegates"] == 'attachment; filename="mau-nhap-dai-bieu.xlsx"'
    assert names["councils"] == 'attachment; filename="mau-nhap-hoi-dong-nhan-dan.xlsx"'
    assert names["voter-recommendations"].endswith('"mau-nhap-y-kien-kien-nghi-cu-tri.xlsx"')


def _vi_import(key: str, rows: list[list[Any]], user: Any) -> Any:
    from django.utils import translation

    kind = get_import_kind(key)
    with translation.override("vi"):
        return run_import(
            kind=kind,
            upload=_upload(_xlsx([[c.header for c in kind.columns], *rows])),
            user=user,
            dry_run=True,
        )


def test_an_invalid_choice_says_which_values_are_valid(world: Any) -> None:
    row = ["P", "Sở Xây dựng", "", "Không có loại này", "", "", "", "", ""]
    report = _vi_import("agencies", [row], world.users["province_clerk"])
    (message,) = report.errors[0].errors
    assert message.startswith("Loại cơ quan:") and "Không có loại này" in message
    assert "Giá trị hợp lệ" in message and "Sở, cơ quan thuộc Ủy ban nhân dân" in message
    petition = get_import_kind("petitions")
    row = ["P" if c.example == "HY" else c.example for c in petition.columns]
    row[[c.field for c in petition.columns].index("kind")] = "Đơn lạ"
    report = _vi_import("petitions", [row], world.users["province_clerk"])
    (message,) = report.errors[0].errors
    assert message.startswith("Loại đơn:") and "“Đơn lạ”" in message
    assert "Giá trị hợp lệ: Khiếu nại, Tố cáo" in message


def test_a_missing_term_or_session_is_named_with_the_valid_ones(world: Any) -> None:
    term = Term.objects.get(council=world.province)
    kind = get_import_kind("delegates")
    example = {c.field: c.example for c in kind.columns}
    delegate = [
        {"council_code": "P", "term": 99}.get(c.field, example[c.field]) for c in kind.columns
    ]
    report = _vi_import("delegates", [delegate], world.users["province_clerk"])
    message = " ".join(report.errors[0].errors)
    assert "Khóa (số):" in message and "“99”" in message and "Mã HĐND P" in message
    assert f"Giá trị hợp lệ: {term.ordinal}." in message
    assert "Hãy chọn một lựa chọn hợp lệ" not in message
    kind = get_import_kind("voter-recommendations")
    example = {c.field: c.example for c in kind.columns}
    values = {"council": "P", "term_ordinal": term.ordinal, "session": 42}
    recommendation = [values.get(c.field, example[c.field]) for c in kind.columns]
    report = _vi_import("voter-recommendations", [recommendation], world.users["province_clerk"])
    message = " ".join(report.errors[0].errors)
    assert "Kỳ họp thứ:" in message and "“42”" in message
    assert "Giá trị hợp lệ: 3." in message  # the province's session of the world


def test_terms_are_imported_before_the_delegates_and_sessions_that_name_them(
    world: Any, tmp_path: Path
) -> None:
    kind = get_import_kind("terms")
    assert kind is not None
    header = [c.header for c in kind.columns]
    rows = [
        ["P", 18, "Khóa XVIII", "01/07/2026", "30/06/2031"],
        ["P-C", 5, "Khóa V", "01/07/2026", "30/06/2031"],
    ]
    report = run_import(
        kind=kind,
        upload=_upload(_xlsx([header, *rows])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert [r.line for r in report.errors] == [3]  # the commune is not the clerk's to write
    report = run_import(
        kind=kind,
        upload=_upload(_xlsx([header, rows[0]])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert report.committed and report.created == 1
    term = Term.objects.get(council=world.province, ordinal=18)
    assert term.name == "Khóa XVIII" and str(term.end_date) == "2031-06-30"
    # From the command line, then a delegate of the new term.
    path = tmp_path / "terms.csv"
    path.write_text(
        ",".join(header) + "\nP,18,Khóa XVIII (2026–2031),01/07/2026,30/06/2031\n",
        encoding="utf-8",
    )
    call_command("import_records", "terms", str(path), stdout=io.StringIO())
    term.refresh_from_db()
    assert term.name == "Khóa XVIII (2026–2031)"
    delegates = get_import_kind("delegates")
    example = {c.field: c.example for c in delegates.columns}
    values = {"council_code": "P", "term": 18, "start_date": "01/07/2026"}
    row = [values.get(c.field, example[c.field]) for c in delegates.columns]
    report = run_import(
        kind=delegates,
        upload=_upload(_xlsx([[c.header for c in delegates.columns], row])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert report.committed, [(r.line, r.errors) for r in report.errors]
    assert Delegate.objects.filter(term=term).count() == 1


def test_imported_sessions_take_their_status_from_the_file_or_their_past_dates(
    world: Any,
) -> None:
    kind = get_import_kind("sessions")
    header = [c.header for c in kind.columns]
    Term.objects.filter(council=world.province).update(ordinal=17)

    def row(ordinal: int, status: str, actual: str = "15/03/2023") -> list[Any]:
        return ["P", 17, ordinal, "Kỳ họp chuyên đề", "", "15/03/2023", "15/03/2023", actual,
                actual, "", "Có", "", "", status]  # fmt: skip

    report = run_import(
        kind=kind,
        upload=_upload(_xlsx([header, row(20, ""), row(21, "Đang họp"), row(22, "", "")])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert report.committed, [(r.line, r.errors) for r in report.errors]
    status = dict(Session.objects.filter(council=world.province).values_list("ordinal", "status"))
    assert status[20] == "closed"  # held in 2023: not "Dự kiến" any more
    assert status[21] == "in_progress"
    assert status[22] == "planned"  # no actual dates: still planned
    # A status never goes back.
    report = run_import(
        kind=kind,
        upload=_upload(_xlsx([header, row(20, "Dự kiến")])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert not report.committed
    assert "Trạng thái" in " ".join(report.errors[0].errors)


def test_an_administrator_imports_users_with_their_roles_and_one_time_links(
    world: Any, login: Any, client: Any
) -> None:
    from django.contrib.auth import get_user_model

    from councilportal.models import RoleAssignment

    kind = get_import_kind("users")
    header = [c.header for c in kind.columns]
    rows = [
        ["chuyenvien.cayda", "Nguyễn Thị Hoa", "hoa@example.vn", "P-C", "Chuyên viên"],
        ["chuyenvien.cayda", "", "", "P-C", "Cán bộ xử lý đơn thư (bảo mật)"],
        ["lanhdao.moi", "Trần Văn Nam", "", "P", "Lãnh đạo"],
    ]
    content = _xlsx([header, *rows])
    users = get_user_model().objects
    # Nobody but an administrator creates logins: a clerk's rows are all refused.
    report = run_import(
        kind=kind, upload=_upload(content), user=world.users["province_clerk"], dry_run=False
    )
    assert report.file_errors and not report.committed
    assert not users.filter(username="lanhdao.moi").exists()
    admin = login(world.users["council_admin"])
    page = admin.post(reverse("core:import"), {"kind": "users", "file": _upload(content)})
    assert page.context["report"].created == 3, page.context["report"].errors
    done = admin.post(
        reverse("core:import-confirm"), {"kind": "users", "token": page.context["token"]}
    )
    assert done.status_code == 200
    body = done.content.decode()
    hoa = users.get(username="chuyenvien.cayda")
    assert hoa.first_name == "Nguyễn Thị Hoa" and not hoa.has_usable_password()
    assert set(RoleAssignment.objects.filter(user=hoa).values_list("role", flat=True)) == {
        "clerk",
        "handler",
    }
    notes = done.context["report"].notes
    assert len(notes) == 2 and all("/password/set/" in n for n in notes)  # once per new user
    assert "HoaPass" not in body and notes[0].split(": ")[1] in body
    # The link sets the password once.
    link = next(n for n in notes if n.startswith("chuyenvien.cayda")).split(": ")[1]
    client.logout()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    client.post(set_url, {"new_password1": "CayDa@2026!x", "new_password2": "CayDa@2026!x"})
    hoa.refresh_from_db()
    assert hoa.check_password("CayDa@2026!x")
    assert not client.get(link, follow=True).context["validlink"]


def test_an_administrator_cannot_take_over_a_login_of_another_council(world: Any) -> None:
    kind = get_import_kind("users")
    header = [c.header for c in kind.columns]
    report = run_import(
        kind=kind,
        upload=_upload(_xlsx([header, ["outsider", "", "", "P-C", "Quản trị viên"]])),
        user=world.users["council_admin"],
        dry_run=False,
    )
    assert not report.committed
    assert "Tên đăng nhập" in " ".join(report.errors[0].errors)
    assert not world.users["outsider"].council_roles.filter(council=world.commune).exists()


def test_a_historical_register_imports_its_forwarding_and_answers(world: Any) -> None:
    from petitions.models import ForwardingSlip, PetitionItem

    kind = get_import_kind("petitions")
    agency = Agency.objects.get(council=world.province, name="Cơ quan P")
    forwarded = {"Cơ quan được chuyển đơn": "cơ quan p", "Ngày chuyển đơn": "20/01/2023"}
    rows = [
        _petition(**forwarded, **{"Số phiếu chuyển": "7"}),
        _petition(
            **forwarded,
            **{
                "Ngày nhận trả lời": "20/02/2023",
                "Số văn bản trả lời": "15/UBND",
                "Kết quả giải quyết": "Đã giải quyết",
            },
        ),
        _petition(),  # not handled yet
    ]
    report = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, rows)),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert report.committed, [(r.line, r.errors) for r in report.errors]
    items = list(
        PetitionItem.objects.filter(petition__subject="Khiếu nại quyết định thu hồi đất")
        .select_related("follow_up")
        .order_by("petition__number")
    )
    assert [i.outcome for i in items] == ["forward", "forward", "pending"]
    assert items[0].agency == agency and str(items[0].triaged_on) == "2023-01-20"
    assert items[0].follow_up is not None and items[0].follow_up.due_date is not None
    slips = dict(ForwardingSlip.objects.filter(item__in=items[:2]).values_list("item", "number"))
    assert slips[items[0].pk] == 7 and slips[items[1].pk] == 8  # kept, then the next
    assert str(items[1].answered_on) == "2023-02-20"
    assert items[1].follow_up.status == "done"
    # An unknown agency names the valid ones; nothing is written.
    bad = _petition(**{"Cơ quan được chuyển đơn": "Sở Không Có", "Ngày chuyển đơn": "20/01/2023"})
    report = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, [bad])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    message = " ".join(report.errors[0].errors)
    assert "Sở Không Có" in message and "Cơ quan P" in message
    # A slip number already taken is a row error, and the import writes nothing.
    taken = _petition(**forwarded, **{"Số phiếu chuyển": "7", "Trích yếu": "Lần hai"})
    report = run_import(
        kind=kind,
        upload=_upload(_petition_rows(kind, [taken])),
        user=world.users["province_clerk"],
        dry_run=False,
    )
    assert [r.line for r in report.errors] == [2] and not report.committed
    assert not PetitionItem.objects.filter(petition__subject="Lần hai").exists()


def test_the_register_link_narrows_to_the_common_council_of_the_rows(world: Any) -> None:
    from councilportal.spreadsheets.importing import common_council

    assert common_council({world.commune.pk}) == world.commune
    assert common_council({world.commune.pk, world.province.pk}) == world.province
    assert common_council({world.commune.pk, world.foreign.pk}) is None
    assert common_council(set()) is None
