"""Import kind of the sessions app: sessions of a term (kỳ họp)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.importing import (
    ImportColumn,
    ImportKind,
    by_natural_key,
    choice,
    register_import,
    yes_no,
)
from councilportal.models import Council, Term

from .forms import SessionForm
from .models import Session, SessionKind

DATE = "dd/mm/yyyy"


def _match(values: dict[str, Any]) -> Any:
    term, ordinal = values.get("term"), values.get("ordinal", "")
    if not isinstance(term, int) or not str(ordinal).isdigit():
        return None
    return Session.objects.filter(term_id=term, ordinal=int(ordinal)).first()


register_import(
    ImportKind(
        key="sessions",
        register="sessions:session-list",
        label=_("Sessions"),
        model=Session,
        form_class=SessionForm,
        match=_match,
        match_rule="Mã HĐND + Khóa + Kỳ họp thứ",
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
            ImportColumn(
                "Khóa (số)",
                "term",
                True,
                "số thứ tự của khóa, ví dụ 17",
                "17",
                by_natural_key(Term, "ordinal", council_id="council"),
                out="term.ordinal",
            ),
            ImportColumn("Kỳ họp thứ", "ordinal", True, "số", "12"),
            ImportColumn(
                "Loại kỳ họp",
                "kind",
                True,
                "Kỳ họp thường lệ giữa năm / … cuối năm / chuyên đề / bất thường",
                "Kỳ họp chuyên đề",
                choice(SessionKind.choices),
            ),
            ImportColumn("Tên kỳ họp", "title", False, "", "Kỳ họp chuyên đề về đầu tư công"),
            ImportColumn("Ngày khai mạc dự kiến", "planned_start", True, DATE, "15/03/2023"),
            ImportColumn("Ngày bế mạc dự kiến", "planned_end", True, DATE, "15/03/2023"),
            ImportColumn("Ngày khai mạc", "actual_start", False, DATE, "15/03/2023"),
            ImportColumn("Ngày bế mạc", "actual_end", False, DATE, "15/03/2023"),
            ImportColumn("Địa điểm", "venue", False, "", "Hội trường HĐND tỉnh"),
            ImportColumn("Họp công khai", "is_public", False, "Có / Không", "Có", yes_no),
            ImportColumn("Chủ tọa", "chair_name", False, "", ""),
            ImportColumn("Thư ký kỳ họp", "secretary_name", False, "", ""),
        ],
    )  # fmt: skip
)
