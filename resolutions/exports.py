"""Excel export of the register: exactly the filtered rows, streamed in write-only mode."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Field, Issuer, Kind, LegalStatus

HEADERS = [
    "STT",
    "Số, ký hiệu",
    "Trích yếu",
    "Hội đồng nhân dân",
    "Cơ quan ban hành",
    "Loại",
    "Lĩnh vực",
    "Kỳ họp",
    "Ngày thông qua",
    "Ngày ký",
    "Ngày có hiệu lực",
    "Ngày hết hiệu lực",
    "Tình trạng hiệu lực",
    "Công báo",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_xlsx(rows: Any, day: dt.date) -> HttpResponse:
    """The rows must carry `status_code` (ResolutionQuerySet.with_status_on(day))."""
    from django.utils import translation

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nghị quyết")
    for column, width in zip(
        "ABCDEFGHIJKLMN", [6, 18, 60, 28, 18, 22, 26, 24, 13, 13, 13, 13, 20, 24], strict=True
    ):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    title = f"Sổ nghị quyết — tình trạng hiệu lực tại ngày {day:%d/%m/%Y}"
    sheet.append([title])
    header = []
    for text in HEADERS:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    with translation.override("vi"):
        kinds, issuers, fields = dict(Kind.choices), dict(Issuer.choices), dict(Field.choices)
        statuses = dict(LegalStatus.choices)
        for n, res in enumerate(rows.iterator(chunk_size=2000), start=1):
            session = res.session
            sheet.append(
                [
                    n,
                    res.symbol,
                    res.title,
                    res.council.name,
                    str(issuers[res.issuer]),
                    str(kinds[res.kind]),
                    str(fields.get(res.field, res.field)),
                    f"Kỳ họp thứ {session.ordinal}, {session.term.name}" if session else "",
                    res.adopted_on,
                    res.signed_on,
                    res.effective_from,
                    res.expires_on,
                    str(statuses[res.status_code]),
                    res.gazette_reference,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="so-nghi-quyet-{day:%Y%m%d}.xlsx"'
    return response
