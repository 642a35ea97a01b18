"""Spreadsheets: .xlsx and .csv out of every register, and in for the importers.

Export writes exactly the rows of the filtered list, with Vietnamese headers, dates as dates
(shown dd/mm/yyyy), and only the columns the list shows, so whatever a list redacts stays
redacted. Reading accepts .xlsx (calamine, whose XML parser expands no entities) and .csv
(UTF-8, with or without BOM; comma or semicolon separated).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("xlsx", "csv")
# A register is exported whole; past this, the user is asked to narrow the filters.
MAX_EXPORT_ROWS = 200_000
# Limits on what an uploaded workbook may unpack to: a few megabytes of zip can declare a
# sheet of 16,384 columns or inflate to gigabytes of XML (a "zip bomb").
MAX_COLUMNS = 256
MAX_XLSX_UNPACKED = 500 * 2**20
# The reader allocates the rectangle from A1 to the farthest cell (a sheet with cells A1 and
# XFD1048576 would ask for 512 GiB): the cell references are read first, and a sheet whose
# rectangle is wider, longer or larger than this is refused before it is read.
MAX_SHEET_COLUMNS = 1024
MAX_SHEET_CELLS = 20_000_000


# A cell whose text begins with one of these is a formula to Excel and LibreOffice: text from
# the records (typed by anyone, or imported) must never run as one (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text cell for a .csv: a leading apostrophe keeps a would-be formula text (OWASP);
    `csv_unsafe` takes it off again when the file is imported back."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_unsafe(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SpreadsheetError(ValueError):
    """An uploaded file that cannot be read as a spreadsheet (the message says why)."""


def _plain(value: Any) -> Any:
    """A cell value: dates stay dates (xlsx) and everything else becomes text or a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | int | float):
        return value
    return str(value)


def xlsx_bytes(sheet_title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(sheet_title))
    widths = [max(10, min(60, len(str(h)) + 2)) for h in headers]
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    for index, width in enumerate(widths):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            plain = _plain(value)
            if isinstance(plain, dt.datetime):
                cell = WriteOnlyCell(sheet, value=plain)
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(plain, dt.date):
                cell = WriteOnlyCell(sheet, value=plain)
                cell.number_format = "dd/mm/yyyy"
            elif plain == "":
                cell = WriteOnlyCell(sheet, value=None)  # a blank cell, not an empty text
            else:
                cell = WriteOnlyCell(sheet, value=plain)
                if isinstance(plain, str):
                    # Always a string cell: openpyxl would store text beginning with "=" as a
                    # formula, which runs when the file is opened (and reads back as empty).
                    cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        out = []
        for value in row:
            plain = _plain(value)
            if isinstance(plain, dt.datetime):
                plain = plain.strftime("%d/%m/%Y %H:%M")
            elif isinstance(plain, dt.date):
                plain = plain.strftime("%d/%m/%Y")
            out.append(csv_safe(plain))
        writer.writerow(out)
    # The BOM makes Excel read the file as UTF-8 (Vietnamese letters intact).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_response(
    fmt: str, filename: str, sheet_title: str, headers: Sequence[Any], rows: Iterable[Any]
) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(sheet_title, headers, rows), content_type=XLSX_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return (cleaned or "Sheet")[:31]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_rows(upload: Any, *, max_rows: int = 500_000) -> tuple[list[str], Iterator[list[Any]]]:
    """The header row and an iterator over the data rows of an uploaded .xlsx or .csv file.
    Raises SpreadsheetError with a message for the user."""
    name = (getattr(upload, "name", "") or "").lower()
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return _read_xlsx(upload, max_rows)
    return _read_csv(upload, max_rows)


def _read_xlsx(upload: Any, max_rows: int) -> tuple[list[str], Iterator[list[Any]]]:
    """Read with calamine (Rust): about twenty times faster than openpyxl's read-only mode,
    which took most of the time of a 100,000-row import. Its XML parser expands no entities.
    Values come as openpyxl gave them (numbers, dates, text) except that a blank cell is "".
    A workbook that would unpack past MAX_XLSX_UNPACKED is refused before it is parsed, and
    rows are cut to the header's width (at most MAX_COLUMNS), whatever the file declares."""
    import zipfile

    from python_calamine import CalamineWorkbook

    unreadable = _("The file is not a readable .xlsx workbook.")
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(unreadable) from exc
    upload.seek(0)
    if unpacked > MAX_XLSX_UNPACKED:
        raise SpreadsheetError(
            _("The workbook unpacks to more than %(mb)d MB; split it.")
            % {"mb": MAX_XLSX_UNPACKED // 2**20}
        )
    _check_extent(upload, max_rows)
    upload.seek(0)
    try:
        book = CalamineWorkbook.from_filelike(upload)
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()  # from A1, blank rows and columns included
        first = next(rows, None)
    except Exception as exc:  # anything a broken or hostile workbook makes calamine raise
        raise SpreadsheetError(unreadable) from exc
    if first is None:
        raise SpreadsheetError(_("The file is empty."))
    header = [_header_cell(v) for v in first[:MAX_COLUMNS]]
    width = len(header)

    def data() -> Iterator[list[Any]]:
        count = 0
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # the sheet's XML breaks further down
                raise SpreadsheetError(unreadable) from exc
            if row is None:
                break
            count += 1
            if count > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(n)d rows; split it.") % {"n": max_rows}
                )
            yield list(row[:width])
        book.close()

    return header, data()


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


# Simple patterns only (a pattern that allows namespace prefixes is several times slower): a
# sheet with prefixed elements, or with a row or cell without its reference, is read by the
# exact parser instead.
_CELL = re.compile(rb"<c[\s/>]")
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,9})"')
_ROW = re.compile(rb"<row[\s/>]")
_ROW_REF = re.compile(rb'<row r="([0-9]{1,9})"')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")


def _largest(numbers: list[bytes]) -> int:
    """The largest of many decimal numbers, without converting them all."""
    if not numbers:
        return 0
    longest = max(map(len, numbers))
    return int(max(n for n in numbers if len(n) == longest))


def _sheet_extent(member: Any) -> tuple[int, int] | None:
    """The farthest row and column a worksheet's cells reference, read in chunks with regular
    expressions (a 100,000-row sheet in about a second). None when some row or cell is
    written another way (positional, prefixed, attributes reordered): the exact parser then
    reads it."""
    max_row = 0
    letters: set[bytes] = set()
    tail = b""
    while True:
        chunk = member.read(8 * 2**20)
        data = tail + chunk
        if chunk:
            cut = data.rfind(b">") + 1
            data, tail = data[:cut], data[cut:]
        if _PREFIXED.search(data):
            return None
        found = _CELL_LETTERS.findall(data)
        rows = _ROW_REF.findall(data)
        if len(found) != len(_CELL.findall(data)) or len(rows) != len(_ROW.findall(data)):
            return None
        cell_rows = _CELL_ROWS.findall(data)
        if len(cell_rows) != len(found):
            return None
        letters.update(found)
        max_row = max(max_row, _largest(cell_rows), _largest(rows))
        if not chunk:
            break
    max_col = max((_column_number(col.decode()) for col in letters), default=0)
    return max_row, max_col


def _exact_extent(member: Any) -> tuple[int, int]:
    """The farthest row and column, with a streaming parser (expat, no DTD, no entities),
    counting cells and rows without a reference as following the previous one, as Excel
    does."""
    from xml.parsers import expat

    ref = re.compile(r"([A-Z]{1,3})([0-9]{1,9})$")
    state = {"row": 0, "col": 0, "max_row": 0, "max_col": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isascii() and r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            found = ref.match(attrs.get("r", "").upper())
            if found:
                state["col"] = _column_number(found.group(1))
                state["row"] = max(int(found.group(2)), state["row"])
            else:
                state["col"] += 1
            state["max_col"] = max(state["max_col"], state["col"])
            state["max_row"] = max(state["max_row"], state["row"])

    def no_doctype(*args: Any) -> None:
        raise SpreadsheetError(_("The file is not a readable .xlsx workbook."))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.ParseFile(member)
    return state["max_row"], state["max_col"]


def _check_extent(upload: Any, max_rows: int) -> None:
    """Read every worksheet's cell references before calamine allocates the rectangle from
    A1 to the farthest cell, and refuse a sheet beyond the limits."""
    import zipfile
    from xml.parsers import expat

    unreadable = _("The file is not a readable .xlsx workbook.")
    with zipfile.ZipFile(upload) as archive:
        sheets = [
            info
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        for info in sheets:
            try:
                with archive.open(info) as member:
                    extent = _sheet_extent(member)
                if extent is None:
                    with archive.open(info) as member:
                        extent = _exact_extent(member)
            except SpreadsheetError:
                raise
            except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise SpreadsheetError(unreadable) from exc
            rows, columns = extent
            if (
                rows > max_rows + 1
                or columns > MAX_SHEET_COLUMNS
                or rows * columns > MAX_SHEET_CELLS
            ):
                raise SpreadsheetError(
                    _(
                        "The sheet reaches row %(rows)d and column %(columns)d: more than this "
                        "importer reads (at most %(max_rows)d rows and %(max_columns)d "
                        "columns). Delete the stray cells far from the table, or split it."
                    )
                    % {
                        "rows": rows,
                        "columns": columns,
                        "max_rows": max_rows + 1,
                        "max_columns": MAX_SHEET_COLUMNS,
                    }
                )


def _header_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(upload: Any, max_rows: int) -> tuple[list[str], Iterator[list[Any]]]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("The .csv file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a text .csv file."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    unreadable = _("The .csv file cannot be read: %(reason)s.")
    try:
        first = next(reader, None)
    except csv.Error as exc:  # a field over the csv module's limit, a stray quote…
        raise SpreadsheetError(unreadable % {"reason": exc}) from exc
    if first is None:
        raise SpreadsheetError(_("The file is empty."))
    header = [h.strip() for h in first[:MAX_COLUMNS]]
    width = len(header)

    def data() -> Iterator[list[Any]]:
        count = 0
        while True:
            try:
                row = next(reader, None)
            except csv.Error as exc:
                raise SpreadsheetError(unreadable % {"reason": exc}) from exc
            if row is None:
                break
            count += 1
            if count > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(n)d rows; split it.") % {"n": max_rows}
                )
            yield [csv_unsafe(cell) for cell in row[:width]]

    return header, data()
