"""Import kind of the sessions app: sessions of a term (kỳ họp)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councilportal.models import Term
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

from .forms import SessionForm
from .models import SESSION_FLOW, Session, SessionKind, SessionStatus
from .services import session_advance

DATE = "dd/mm/yyyy"


class SessionImportForm(SessionForm):
    """The interface's form plus the session's status, which the portal moves through the
    session service (planned → convened → in progress → closed), never by a form field."""

    import_status = forms.ChoiceField(
        label=_("status"), choices=[("", ""), *SessionStatus.choices], required=False
    )


def _status_from_dates(session: Session, today: dt.date) -> str:
    """A historical session whose actual dates are past has happened."""
    if session.actual_end is not None and session.actual_end <= today:
        return SessionStatus.CLOSED
    if session.actual_start is not None and session.actual_start <= today:
        return SessionStatus.IN_PROGRESS
    return ""


def _initial(values: dict[str, Any], instance: Any) -> dict[str, Any]:
    # The stored status is the row's: an unedited export is "unchanged".
    return {"initial": {"import_status": instance.status}} if instance is not None else {}


def _save(form: Any, user: User) -> Session:
    """Save the row, then bring the status to the one the row gives (or, when the column is
    empty, to what its past actual dates say) through the session service, step by step. A
    status never moves back."""
    session: Session = form.save()
    given = form.cleaned_data.get("import_status") or ""
    target = given or _status_from_dates(session, timezone.localdate())
    if not target:
        return session
    flow = [str(s) for s in SESSION_FLOW]
    if flow.index(target) < flow.index(session.status):
        if not given:
            return session  # the dates say less than what was recorded: keep the record
        raise ValidationError(
            gettext("Trạng thái: a session's status cannot go back from “%(now)s”.")
            % {"now": session.get_status_display()}
        )
    while session.status != target:
        session = session_advance(session=session, by=user)
    return session


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
        form_class=SessionImportForm,
        match=_match,
        form_kwargs=_initial,
        save=_save,
        match_rule="Mã HĐND + Khóa + Kỳ họp thứ",
        columns=[
            council_column(),
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
            ImportColumn(
                "Trạng thái",
                "import_status",
                False,
                "Dự kiến / Đã triệu tập / Đang họp / Đã bế mạc; để trống: theo ngày khai mạc, "
                "bế mạc đã qua",
                "Đã bế mạc",
                choice(SessionStatus.choices),
                out=lambda session: session.get_status_display(),
            ),
        ],
    )  # fmt: skip
)
