"""Import kind of the resolutions app: the register of resolutions, including historical ones
with their own numbers (checked for uniqueness like a number typed in the form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.spreadsheets.importing import (
    ImportColumn,
    ImportKind,
    by_natural_key,
    choice,
    council_column,
    register_import,
    yes_no,
)
from councilportal.typing import User
from sessions.models import Session

from .forms import ResolutionForm
from .models import Field, Issuer, Kind, Resolution
from .services import resolution_save

DATE = "dd/mm/yyyy"


class ResolutionImportForm(ResolutionForm):
    """The interface's form on the template's columns only: what a file does not carry (full
    text, recipients, suspension) is left as it is on update."""

    class Meta(ResolutionForm.Meta):
        fields = [
            "council", "issuer", "kind", "manual_number", "title", "field", "session",
            "adopted_on", "signed_on", "signer_name", "effective_from", "shortened_procedure",
            "expires_on", "legal_bases", "gazette_reference",
        ]  # fmt: skip


def _year(text: str) -> int | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").year
    except (TypeError, ValueError):
        return None


def _match(values: dict[str, Any]) -> Any:
    council, number = values.get("council"), str(values.get("manual_number", ""))
    year = _year(values.get("adopted_on", ""))
    if not isinstance(council, int) or not number.isdigit() or year is None:
        return None
    return Resolution.objects.filter(
        council_id=council,
        issuer=values.get("issuer"),
        kind=values.get("kind"),
        year=year,
        number=int(number),
    ).first()


def _initial(values: dict[str, Any], instance: Any) -> dict[str, Any]:
    # The stored number is the row's number: an unedited export is "unchanged".
    return {"initial": {"manual_number": instance.number}} if instance is not None else {}


def _save(form: Any, user: User) -> Resolution:
    return resolution_save(
        resolution=form.save(commit=False),
        manual_number=form.cleaned_data.get("manual_number"),
        by=user,
    )


register_import(
    ImportKind(
        key="resolutions",
        register="resolutions:resolution-list",
        label=_("Resolutions"),
        model=Resolution,
        form_class=ResolutionImportForm,
        match=_match,
        match_rule="Mã HĐND + Cơ quan ban hành + Loại + Số + năm của ngày thông qua",
        form_kwargs=_initial,
        save=_save,
        columns=[
            council_column(),
            ImportColumn(
                "Cơ quan ban hành",
                "issuer",
                True,
                "Hội đồng nhân dân / Thường trực",
                "Hội đồng nhân dân",
                choice(Issuer.choices),
            ),
            ImportColumn(
                "Loại",
                "kind",
                True,
                "Nghị quyết quy phạm pháp luật / cá biệt",
                "Nghị quyết cá biệt",
                choice(Kind.choices),
            ),
            ImportColumn(
                "Số", "manual_number", False, "để trống: lấy số tiếp theo", "52", out="number"
            ),
            ImportColumn("Trích yếu", "title", True, "", "Về dự toán ngân sách năm 2024"),
            ImportColumn(
                "Lĩnh vực",
                "field",
                True,
                "xem danh mục lĩnh vực",
                "Ngân sách, tài chính",
                choice(Field.choices),
            ),
            ImportColumn(
                "Khóa (số)",
                "term_ordinal",
                False,
                "khóa của kỳ họp",
                "17",
                out="session.term.ordinal",
            ),
            ImportColumn(
                "Kỳ họp thứ",
                "session",
                False,
                "kỳ họp thông qua",
                "15",
                by_natural_key(
                    Session, "ordinal", council_id="council", term__ordinal="term_ordinal"
                ),
                out="session.ordinal",
            ),
            ImportColumn("Ngày thông qua", "adopted_on", True, DATE, "08/12/2023"),
            ImportColumn("Ngày ký", "signed_on", False, DATE, "08/12/2023"),
            ImportColumn("Người ký", "signer_name", False, "", ""),
            ImportColumn("Có hiệu lực từ ngày", "effective_from", True, DATE, "08/12/2023"),
            ImportColumn(
                "Thủ tục rút gọn", "shortened_procedure", False, "Có / Không", "Không", yes_no
            ),
            ImportColumn("Hết hiệu lực từ ngày", "expires_on", False, DATE, ""),
            ImportColumn("Căn cứ ban hành", "legal_bases", False, "mỗi căn cứ một dòng", ""),
            ImportColumn("Nơi đăng công báo", "gazette_reference", False, "", ""),
        ],
    )  # fmt: skip
)
