"""Import kind of the petitions app: voters' recommendations (ý kiến, kiến nghị cử tri).

Petitions themselves are not imported from spreadsheets: their petitioners' identity is
encrypted and a denouncer's must never pass through a file, so they are entered through the
intake form."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.importing import (
    ImportColumn,
    ImportKind,
    by_natural_key,
    choice,
    register_import,
)
from councilportal.models import Agency, Council, Organ
from sessions.models import Session

from .forms import RecommendationForm
from .models import Field, RecommendationOutcome, VoterRecommendation

DATE = "dd/mm/yyyy"


class RecommendationImportForm(RecommendationForm):
    """The interface's form without the meetings (they are linked in the portal)."""

    class Meta(RecommendationForm.Meta):
        fields = [f for f in RecommendationForm.Meta.fields if f != "meetings"]


def _match(values: dict[str, Any]) -> Any:
    session, council = values.get("session"), values.get("council")
    if not isinstance(session, int) or not isinstance(council, int):
        return None
    return VoterRecommendation.objects.filter(
        council_id=council,
        session_id=session,
        content=values.get("content", ""),
        merged_into__isnull=True,
    ).first()


register_import(
    ImportKind(
        key="voter-recommendations",
        label=_("Voters' recommendations"),
        model=VoterRecommendation,
        form_class=RecommendationImportForm,
        match=_match,
        match_rule="Mã HĐND + Khóa + Kỳ họp thứ + Nội dung",
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
                "term_ordinal",
                True,
                "số thứ tự của khóa",
                "17",
                out="session.term.ordinal",
            ),
            ImportColumn(
                "Kỳ họp thứ",
                "session",
                True,
                "kỳ họp nguồn của kiến nghị",
                "15",
                by_natural_key(
                    Session, "ordinal", council_id="council", term__ordinal="term_ordinal"
                ),
                out="session.ordinal",
            ),
            ImportColumn("Nội dung", "content", True, "", "Đề nghị sửa chữa đường liên xã"),
            ImportColumn(
                "Lĩnh vực", "field", True, "xem danh mục lĩnh vực", "Khác", choice(Field.choices)
            ),
            ImportColumn(
                "Ban thẩm tra",
                "committee",
                False,
                "tên Ban đã có",
                "",
                by_natural_key(Organ, "name", council_id="council"),
                out="committee.name",
            ),
            ImportColumn(
                "Cơ quan nhận",
                "agency",
                False,
                "tên cơ quan đã có",
                "",
                by_natural_key(Agency, "name", council_id="council"),
                out="agency.name",
            ),
            ImportColumn("Địa bàn cử tri", "locality", False, "", "Xã Nghĩa Dân"),
            ImportColumn("Số lần phản ánh", "times_raised", True, "số", "1"),
            ImportColumn("Ngày chuyển", "forwarded_on", False, DATE, ""),
            ImportColumn("Văn bản trả lời", "answer_reference", False, "", ""),
            ImportColumn("Ngày trả lời", "answered_on", False, DATE, ""),
            ImportColumn("Nội dung trả lời", "answer_summary", False, "", ""),
            ImportColumn(
                "Kết quả",
                "outcome",
                True,
                "xem danh mục kết quả",
                "Chờ trả lời",
                choice(RecommendationOutcome.choices),
            ),
        ],
    )  # fmt: skip
)
