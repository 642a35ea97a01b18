"""Hostile files for the importers: random rows (hypothesis) written as real .xlsx and .csv
files, and broken files of every sort. Whatever the file, no exception escapes (the web flow
answers 200 with the errors, the command a CommandError), every refusal says why (per row with
its line, or per file), and an import with any invalid row writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from councilportal.spreadsheets.importing import get_import_kind, import_kinds, run_import
from councilportal.spreadsheets.io import csv_bytes, xlsx_bytes

from .conftest import changed_tables, fingerprint
from .strategies import DATES, NASTY, RAW_MARKERS, hostile_text, number_text

KINDS = [kind.key for kind in import_kinds()]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _cell() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        number_text(),
        st.sampled_from(DATES),
        st.integers(min_value=-(2**62), max_value=2**62),
        st.floats(allow_nan=True, allow_infinity=False),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
        st.booleans(),
        st.none(),
    )


def _rows(kind: Any) -> st.SearchStrategy[list[list[Any]]]:
    """Rows of the kind's template: each starts as the template's example (a valid row) and
    has some cells replaced by hostile ones."""
    example = [c.example for c in kind.columns]
    row = st.lists(st.tuples(st.integers(0, len(example) - 1), _cell()), max_size=4).map(
        lambda changes: _changed(example, changes)
    )
    return st.lists(st.one_of(st.just(list(example)), row), min_size=1, max_size=4)


def _changed(example: list[Any], changes: list[tuple[int, Any]]) -> list[Any]:
    out = list(example)
    for index, value in changes:
        out[index] = value
    return out


def _check(report: Any, lines: int, before: dict[str, str]) -> None:
    for message in report.file_errors:
        assert message.strip()
    for row in report.errors:
        assert 2 <= row.line <= lines + 1, row.line  # the line of the file, header is 1
        assert row.errors and all(e.strip() for e in row.errors)
    if report.committed:
        assert report.ok
    else:
        assert not changed_tables(before, fingerprint()), "a refused import wrote rows"


@pytest.mark.parametrize("key", KINDS)
def test_random_rows_never_crash_an_import_and_write_all_or_nothing(
    hostile_world: Any, key: str
) -> None:
    kind = get_import_kind(key)
    user = hostile_world.users["handler" if key == "petitions" else "province_clerk"]
    header = [c.header for c in kind.columns]

    @given(rows=_rows(kind), fmt=st.sampled_from(["xlsx", "csv"]))
    def example(rows: list[list[Any]], fmt: str) -> None:
        # The example row of each template names the council "HY": make it this world's.
        rows = [["P" if v == "HY" else v for v in row] for row in rows]
        content = _xlsx([header, *rows]) if fmt == "xlsx" else _csv([header, *rows])
        with transaction.atomic():
            before = fingerprint()
            upload = SimpleUploadedFile(f"rows.{fmt}", content)
            report = run_import(kind=kind, upload=upload, user=user, dry_run=False)
            _check(report, len(rows), before)
            transaction.set_rollback(True)

    example()


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["a"], ["b"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info, data)
    return out.getvalue()


def _bomb_rows() -> bytes:
    """A sheet that declares 16,384 columns by a million rows, and has 20,000 rows."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, 20_001)
    )
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def _inflating_zip() -> bytes:
    """A zip whose one member inflates 1,000 times (a zip bomb, scaled down)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (600 * 2**20))
    return out.getvalue()


def _broken_files(kind: Any) -> dict[str, tuple[str, bytes]]:
    header = [c.header for c in kind.columns]
    example = [c.example for c in kind.columns]
    good = _xlsx([header, example])
    return {
        "truncated xlsx": ("a.xlsx", good[: len(good) // 2]),
        "zip that is not a workbook": ("a.xlsx", _zip({"hello.txt": b"hi"})),
        "workbook with broken XML": ("a.xlsx", _xlsx_with_sheet(b"<worksheet><sheetData><row")),
        "workbook with an entity bomb": (
            "a.xlsx",
            _xlsx_with_sheet(
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>'
            ),
        ),
        "workbook declaring a million rows": ("a.xlsx", _xlsx_with_sheet(_bomb_rows())),
        "zip bomb": ("a.xlsx", _inflating_zip()),
        "csv in cp1258": ("a.csv", _csv([header, ["Hội đồng nhân dân"]], "cp1258")),
        "csv in latin-1": ("a.csv", _csv([header, ["Société"]], "latin-1")),
        "csv with a BOM and no rows": ("a.csv", b"\xef\xbb\xbf" + _csv([header])),
        "csv with NUL bytes": ("a.csv", _csv([header]) + b"P,\x00\x00\x00\n"),
        "csv with a field over the csv module's limit": (
            "a.csv",
            _csv([header]) + b'"' + b"x" * 200_000 + b'"\n',
        ),
        "csv with formula injection": (
            "a.csv",
            _csv([header, ["=cmd|' /C calc'!A0", "+SUM(1)", "@SUM(1)", "-2+3"]]),
        ),
        "wrong headers": ("a.csv", _csv([["a", "b", "c"], ["1", "2", "3"]])),
        "empty csv": ("a.csv", b"\n\n"),
        "0-byte csv": ("a.csv", b""),
        "0-byte xlsx": ("a.xlsx", b""),
        "binary junk as csv": ("a.csv", bytes(range(256)) * 40),
        "binary junk as xlsx": ("a.xlsx", b"PK\x03\x04" + bytes(range(256)) * 40),
        "markup in every cell": (
            "a.csv",
            _csv([header, *[[v] * len(header) for v in NASTY if "<" in v]]),
        ),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("key", ["agencies", "petitions", "voter-recommendations"])
def test_broken_files_get_a_clear_error_and_write_nothing(
    hostile_world: Any, login: Any, tmp_path: Path, key: str
) -> None:
    kind = get_import_kind(key)
    client = login(hostile_world.users["province_clerk"])
    for label, (name, content) in _broken_files(kind).items():
        before = fingerprint()
        report = run_import(
            kind=kind,
            upload=SimpleUploadedFile(name, content),
            user=hostile_world.users["province_clerk"],
            dry_run=False,
        )
        assert not report.ok and not report.committed, label
        assert report.file_errors or report.errors, label
        assert not changed_tables(before, fingerprint()), label
        # The web preview: a page with the errors, markup escaped.
        page = client.post(
            reverse("core:import"), {"kind": key, "file": SimpleUploadedFile(name, content)}
        )
        assert page.status_code == 200, label
        body = page.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in body, label
        # The command line: a CommandError, never a traceback.
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CommandError):
            call_command("import_records", key, str(path), stdout=io.StringIO())
        assert not changed_tables(before, fingerprint()), label


def test_a_petition_number_that_is_no_ascii_number_is_a_row_error_not_a_crash(
    hostile_world: Any,
) -> None:
    kind = get_import_kind("petitions")
    header = [c.header for c in kind.columns]
    example = ["P" if c.example == "HY" else c.example for c in kind.columns]
    number = header.index("Số đơn")
    rows = []
    for typed in ("²", "9" * 30, "٣"):
        row = list(example)
        row[number] = typed
        rows.append(row)
    report = run_import(
        kind=kind,
        upload=SimpleUploadedFile("a.csv", _csv([header, *rows])),
        user=hostile_world.users["handler"],
        dry_run=False,
    )
    assert [r.line for r in report.errors] == [2, 3, 4]
    assert "Số đơn" in report.errors[0].errors[0]


def test_a_session_ordinal_written_as_text_is_a_row_error_not_a_crash(hostile_world: Any) -> None:
    kind = get_import_kind("voter-recommendations")
    header = [c.header for c in kind.columns]
    row = ["P" if c.example == "HY" else c.example for c in kind.columns]
    row[header.index("Kỳ họp thứ")] = "mười lăm"
    row[header.index("Khóa (số)")] = "XVII"
    report = run_import(
        kind=kind,
        upload=SimpleUploadedFile("a.csv", _csv([header, row])),
        user=hostile_world.users["province_clerk"],
        dry_run=False,
    )
    assert [r.line for r in report.errors] == [2]


def test_a_workbook_declaring_16384_columns_is_read_at_its_real_width(hostile_world: Any) -> None:
    from councilportal.spreadsheets.io import read_rows

    header, rows = read_rows(SimpleUploadedFile("a.xlsx", _xlsx_with_sheet(_bomb_rows())))
    assert header == ["x"]
    assert all(len(row) <= 1 for row in rows)


def test_exported_cells_that_look_like_formulas_stay_text() -> None:
    values = ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@SUM(1)", "plain", "\t=1"]
    book = load_workbook(io.BytesIO(xlsx_bytes("t", ["h"] * len(values), [values])))
    cells = next(book.worksheets[0].iter_rows(min_row=2, max_row=2))
    assert [c.value for c in cells] == values  # the text itself, read back intact…
    assert all(c.data_type == "s" for c in cells)  # …as text, never a formula
    text = csv_bytes(["h"] * len(values), [values]).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row == ["'=cmd|' /C calc'!A0", "'+SUM(1)", "'-2+3", "'@SUM(1)", "plain", "'\t=1"]


def test_a_formula_looking_value_survives_an_export_and_import_round_trip(
    hostile_world: Any, login: Any
) -> None:
    from councilportal.models import Agency

    agency = Agency.objects.filter(council=hostile_world.province).order_by("pk").first()
    Agency.objects.filter(pk=agency.pk).update(name="=HYPERLINK(1)")
    client = login(hostile_world.users["council_admin"])
    for fmt in ("xlsx", "csv"):
        exported = client.get(reverse("core:agency-list"), {"export": fmt}).content
        report = run_import(
            kind=get_import_kind("agencies"),
            upload=SimpleUploadedFile(f"a.{fmt}", exported),
            user=hostile_world.users["council_admin"],
            dry_run=True,
        )
        assert report.ok, [(r.line, r.errors) for r in report.errors]
        assert report.created == 0 and report.updated == 0, fmt


FAR_CELL_SHEETS = {
    "plain": (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    ),
    "prefixed elements": (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t></x:is>'
        b'</x:c></x:row><x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
        b"</x:sheetData></x:worksheet>"
    ),
    "reference after another attribute, row without reference": (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row><c t="inlineStr" r="A1"><is><t>x</t></is></c></row>'
        b'<row><c t="n" r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    ),
}


def _far_cell_workbook(variant: str = "plain") -> bytes:
    """1.5 KB: a sheet with cells A1 and XFD1048576, whose rectangle is 512 GiB of cells."""
    return _xlsx_with_sheet(FAR_CELL_SHEETS[variant])


READ_IN_A_SMALL_PROCESS = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from councilportal.spreadsheets.io import SpreadsheetError, read_rows
translation.activate("vi")
try:
    header, rows = read_rows(SimpleUploadedFile("a.xlsx", open(sys.argv[1], "rb").read()))
    list(rows)
except SpreadsheetError as exc:
    print("REFUSED:", exc)
else:
    print("READ")
"""


@pytest.mark.parametrize("variant", list(FAR_CELL_SHEETS))
def test_a_tiny_workbook_with_a_far_away_cell_is_refused_before_it_is_read(
    tmp_path: Path, variant: str
) -> None:
    """Read in a subprocess with 1.5 GB of address space: unfixed, the reader aborts it (the
    web worker's SIGABRT) instead of taking this whole test run down."""
    import os
    import subprocess
    import sys

    content = _far_cell_workbook(variant)
    assert len(content) < 6000
    path = tmp_path / "far.xlsx"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-c", READ_IN_A_SMALL_PROCESS, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "councilportal.settings"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "REFUSED:" in result.stdout and "1048576" in result.stdout, result.stdout
    assert "16384" in result.stdout  # the column it reaches, XFD


def test_a_far_away_cell_is_a_clear_error_in_the_preview(hostile_world: Any, login: Any) -> None:
    from councilportal.spreadsheets.io import MAX_SHEET_COLUMNS

    client = login(hostile_world.users["province_clerk"])
    page = client.post(
        reverse("core:import"),
        {"kind": "agencies", "file": SimpleUploadedFile("a.xlsx", _far_cell_workbook())},
    )
    assert page.status_code == 200
    errors = " ".join(page.context["report"].file_errors)
    assert "1048576" in errors and str(MAX_SHEET_COLUMNS) in errors
