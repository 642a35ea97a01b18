"""The petitions register as an Excel workbook: exactly the filtered rows, redacted. A
denunciation's petitioner is "Người tố cáo (bảo mật)"; other petitioners are named. The export
is not a reveal: it never contains a denouncer's identity, whoever asks."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .confidential import label
from .crypto import REDACTED, Sealed, decrypt
from .models import Petition, Status

MAX_ROWS = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _petitioner(petition: Petition) -> str:
    if petition.is_confidential:
        return str(REDACTED)
    names = []
    for person in petition.petitioners.all():  # prefetched
        value = person.full_name
        if isinstance(value, Sealed) and value.token:
            names.append(decrypt(value.token))
    if not names:
        return label(petition, [])
    return ", ".join(names)


def petitions_xlsx(queryset: Any) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    today = timezone.localdate()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Petitions")[:31]
    header = [
        _("Number"),
        _("Received on"),
        pgettext("petition", "Subject"),
        _("Petitioner"),
        _("Kind"),
        _("Council"),
        _("Status"),
        _("Due"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = queryset.select_related("council").prefetch_related("items__follow_up", "petitioners")
    for petition in rows[:MAX_ROWS]:
        due = petition.next_due
        sheet.append(
            [
                f"{petition.number:02d}/{petition.year}",
                petition.received_on,
                petition.subject,
                _petitioner(petition),
                ", ".join(sorted({i.get_kind_display() for i in petition.items.all()})),
                petition.council.name,
                str(Status(petition.status_on(today)).label),
                due[0] if due else None,
            ]
        )
    for column, width in zip("ABCDEFGH", (10, 12, 50, 28, 20, 28, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[1], row[7]):
            cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="don-thu-{today:%Y%m%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
