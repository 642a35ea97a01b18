"""Import kinds of the core registers: councils, terms, agencies, delegates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .forms import AgencyForm, CouncilForm, DelegateForm, TermForm
from .importing import ImportColumn, ImportKind, by_natural_key, choice, register_import, yes_no
from .models import Agency, AgencyKind, Council, CouncilLevel, Delegate, Gender, Organ, Term

DATE = "dd/mm/yyyy"


def _council_match(values: dict[str, Any]) -> Any:
    return Council.objects.filter(code=values.get("code", "")).first()


register_import(
    ImportKind(
        key="councils",
        register="core:council-list",
        label=_("Councils"),
        model=Council,
        form_class=CouncilForm,
        match=_council_match,
        match_rule="Mã HĐND",
        columns=[
            ImportColumn("Mã HĐND", "code", True, "chữ, số và dấu gạch ngang", "HY-TT"),
            ImportColumn("Tên HĐND", "name", True, "", "HĐND xã Tân Tiến"),
            ImportColumn(
                "Cấp", "level", True, "Tỉnh / Huyện / Xã", "Xã", choice(CouncilLevel.choices)
            ),
            ImportColumn(
                "Mã HĐND cấp trên",
                "parent",
                False,
                "mã đã có",
                "HY",
                by_natural_key(Council, "code"),
                out="parent.code",
            ),
            ImportColumn("Địa danh ghi trên văn bản", "place_name", True, "", "Tân Tiến"),
            ImportColumn(
                "Tên đơn vị hành chính (in hoa)", "administrative_name", True, "", "XÃ TÂN TIẾN"
            ),
            ImportColumn("Hiệu lực từ ngày", "valid_from", False, DATE, "01/07/2025"),
            ImportColumn("Hiệu lực đến ngày", "valid_to", False, DATE, ""),
            ImportColumn("Địa chỉ", "address", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
        ],
    )  # fmt: skip
)


def _term_match(values: dict[str, Any]) -> Any:
    council, ordinal = values.get("council"), str(values.get("ordinal", ""))
    if not isinstance(council, int) or not (ordinal.isascii() and ordinal.isdigit()):
        return None
    return Term.objects.filter(council_id=council, ordinal=int(ordinal)).first()


# Terms first among a council's records: delegates and sessions name their term.
register_import(
    ImportKind(
        key="terms",
        register="core:term-list",
        label=_("Terms"),
        model=Term,
        form_class=TermForm,
        match=_term_match,
        match_rule="Mã HĐND + Khóa (số)",
        columns=[
            ImportColumn(
                "Mã HĐND",
                "council",
                True,
                "mã đã có",
                "HY",
                by_natural_key(Council, "code"),
                out="council.code",
            ),
            ImportColumn("Khóa (số)", "ordinal", True, "số thứ tự của khóa, ví dụ 17", "17"),
            ImportColumn("Tên khóa", "name", True, "", "Khóa XVII"),
            ImportColumn("Ngày bắt đầu", "start_date", True, DATE, "01/07/2021"),
            ImportColumn("Ngày kết thúc", "end_date", True, DATE, "30/06/2026"),
        ],
    )  # fmt: skip
)


def _agency_match(values: dict[str, Any]) -> Any:
    council = values.get("council")
    if not isinstance(council, int):
        return None
    return Agency.objects.filter(council_id=council, name=values.get("name", "")).first()


register_import(
    ImportKind(
        key="agencies",
        register="core:agency-list",
        label=_("Agencies"),
        model=Agency,
        form_class=AgencyForm,
        match=_agency_match,
        match_rule="Mã HĐND + Tên cơ quan",
        columns=[
            ImportColumn(
                "Mã HĐND",
                "council",
                True,
                "mã đã có",
                "HY",
                by_natural_key(Council, "code"),
                out="council.code",
            ),
            ImportColumn("Tên cơ quan", "name", True, "", "Sở Tư pháp tỉnh Hưng Yên"),
            ImportColumn("Tên viết tắt", "short_name", False, "", "STP"),
            ImportColumn(
                "Loại cơ quan",
                "kind",
                True,
                "xem danh mục loại cơ quan",
                "Sở, cơ quan thuộc Ủy ban nhân dân",
                choice(AgencyKind.choices),
            ),
            ImportColumn("Thủ trưởng", "head_name", False, "", ""),
            ImportColumn("Địa chỉ", "address", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
            ImportColumn("Còn hoạt động", "is_active", False, "Có / Không", "Có", yes_no),
        ],
    )  # fmt: skip
)


def _delegate_match(values: dict[str, Any]) -> Any:
    term = values.get("term")
    if not isinstance(term, int):
        return None
    return Delegate.objects.filter(
        term_id=term,
        full_name=values.get("full_name", ""),
        electoral_unit=values.get("electoral_unit", ""),
    ).first()


register_import(
    ImportKind(
        key="delegates",
        register="core:delegate-list",
        label=_("Delegates"),
        model=Delegate,
        form_class=DelegateForm,
        match=_delegate_match,
        match_rule="Mã HĐND + Khóa + Họ và tên + Đơn vị bầu cử",
        columns=[
            ImportColumn(
                "Mã HĐND", "council_code", True, "mã đã có", "HY", out="term.council.code"
            ),
            ImportColumn(
                "Khóa (số)",
                "term",
                True,
                "số thứ tự của khóa, ví dụ 17",
                "17",
                by_natural_key(Term, "ordinal", council__code="council_code"),
                out="term.ordinal",
            ),
            ImportColumn("Họ và tên", "full_name", True, "", "Nguyễn Văn An"),
            ImportColumn("Giới tính", "gender", False, "Nam / Nữ", "Nam", choice(Gender.choices)),
            ImportColumn("Ngày sinh", "birth_date", False, DATE, "12/05/1975"),
            ImportColumn("Chức vụ, nơi công tác", "position", False, "", ""),
            ImportColumn("Đơn vị bầu cử", "electoral_unit", True, "", "Đơn vị bầu cử số 1"),
            ImportColumn(
                "Tổ đại biểu",
                "delegate_group",
                False,
                "tên tổ đã có",
                "",
                by_natural_key(Organ, "name", term_id="term"),
                out="delegate_group.name",
            ),
            ImportColumn("Chuyên trách", "is_full_time", False, "Có / Không", "Không", yes_no),
            ImportColumn("Bắt đầu nhiệm vụ", "start_date", True, DATE, "01/07/2021"),
            ImportColumn("Thôi nhiệm vụ", "end_date", False, DATE, ""),
            ImportColumn("Lý do thôi nhiệm vụ", "end_reason", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
        ],
    )  # fmt: skip
)
