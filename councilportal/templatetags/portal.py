"""Template helpers: URLs that keep the current filters, sortable headers, cell display."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db import models
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from councilportal.typing import User

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some keys replaced (None removes a key)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context: dict[str, Any], label: str, key: str | None) -> str:
    """A column header that sorts by `key`, toggling ascending/descending."""
    if not key:
        return format_html("{}", label)
    request = context["request"]
    current = request.GET.get("o", "")
    if current == key:
        new, arrow, state = f"-{key}", " ▲", "ascending"
    elif current == f"-{key}":
        new, arrow, state = key, " ▼", "descending"
    else:
        new, arrow, state = key, "", "none"
    query = request.GET.copy()
    query["o"] = new
    query.pop("page", None)
    return format_html(
        '<a href="?{}" class="sort-link" data-sort="{}">{}{}</a>',
        query.urlencode(),
        state,
        label,
        arrow,
    )


@register.filter
def cell(value: Any) -> str:
    """How a value reads in a table cell: dates dd/mm/yyyy, booleans as words, blanks as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        # date_format() does not convert: show an aware time in Asia/Ho_Chi_Minh, not UTC.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Manager):
        return ", ".join(str(v) for v in value.all())
    return str(value)


@register.filter
def field_name(obj: Any, name: str) -> Any:
    return obj._meta.get_field(name).verbose_name


@register.filter
def person(user: User | None) -> str:
    """A user as people read it: the full name, else the username."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.simple_tag(takes_context=True)
def due_chip(
    context: Any, due: dt.date | None, explanation: str = "", done: dt.date | bool | None = False
) -> str:
    """A due date as a chip (UI.md): overdue in red ("Quá hạn 3 ngày"), due within 3 working
    days in amber, otherwise neutral; done after the due date in amber ("Hoàn thành muộn 11
    ngày", `done` being the day it was done); the title says how the date was computed. The
    working calendar is loaded once per rendering, so a list of chips costs one query."""
    if due is None:
        return "—"
    from django.utils import timezone
    from django.utils.translation import ngettext

    from councilportal.deadlines import WorkingCalendar, count_days

    # Kept on the context object itself: included templates (a row per include) share it.
    calendar = getattr(context, "_due_chip_calendar", None)
    if calendar is None:
        calendar = WorkingCalendar()
        context._due_chip_calendar = calendar
    today = timezone.localdate()
    text = date_format(due, "SHORT_DATE_FORMAT")
    if isinstance(done, dt.date) and done > due:
        late = (done - due).days
        css = "text-bg-warning"
        words = ngettext("Done %(n)d day late", "Done %(n)d days late", late) % {"n": late}
    elif done:
        css, words = "text-bg-light border", ""
    elif due < today:
        late = (today - due).days
        css = "text-bg-danger"
        words = ngettext("Overdue %(n)d day", "Overdue %(n)d days", late) % {"n": late}
    elif due <= count_days(today, 3, "working_days", calendar=calendar).date:
        css, words = "text-bg-warning", _("Due soon")
    else:
        css, words = "text-bg-light border", ""
    label = f"{text} · {words}" if words else text
    return format_html(
        '<span class="badge {} due-chip" title="{}" data-due="{}">{}</span>',
        css,
        explanation or "",
        due.isoformat(),
        label,
    )


@register.filter
def roman(value: int) -> str:
    """1 -> I, 4 -> IV: section numbers of administrative documents."""
    number = int(value)
    out = []
    for arabic, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= arabic:
            out.append(letters)
            number -= arabic
    return "".join(out)


@register.filter
def vn_number(value: Any) -> str:
    """A count with the Vietnamese thousands separator: 1.234."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "—"
    return f"{number:,}".replace(",", ".")


# Words that open a document's name, capitalised even mid-sentence ("biểu quyết Nghị quyết…").
_DOCUMENT_NAMES = (
    "Nghị quyết",
    "Nghị định",
    "Tờ trình",
    "Báo cáo",
    "Quyết định",
    "Kế hoạch",
    "Chương trình",
    "Đề án",
    "Luật",
    "Hội đồng",
    "Ủy ban",
    "Thường trực",
)


@register.filter
def lower_first(value: Any) -> str:
    """A subject put mid-sentence: "Thông qua dự toán" -> "thông qua dự toán"; a document's
    or a body's name ("Nghị quyết…", "Ủy ban…") and an abbreviation ("HĐND…") keep theirs."""
    text = str(value or "")
    first = text.split(" ", 1)[0]
    if not text or text.startswith(_DOCUMENT_NAMES) or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


@register.simple_tag(takes_context=True)
def explanation(context: Any, record: Any, kind: str = "due") -> str:
    """How a due date was computed, in the language of the page (14.19). Stored in the
    portal's language; for another language it is built again from the stored rule and start
    (`kind`: "due" for follow-ups and milestones, "triage" for a petition item's triage)."""
    from django.conf import settings
    from django.utils.translation import get_language

    from councilportal.deadlines import WorkingCalendar, due_date
    from councilportal.models import RuleMissing

    if kind == "triage":
        stored = record.triage_explanation
        rule_key = record.triage_rule
        start = record.petition.received_on if rule_key else None
        council = record.petition.council if rule_key else None
    else:
        stored = record.due_explanation
        rule_key = getattr(record, "due_rule", "")
        start = getattr(record, "due_start", None)
        council = getattr(record, "council", None) if rule_key else None
    if not rule_key or start is None or get_language() == settings.LANGUAGE_CODE:
        return stored or ""
    # One rule lookup per rule, start and council, and one calendar, per rendering.
    cache = getattr(context, "_explanations", None)
    if cache is None:
        cache = context._explanations = {}
    calendar = getattr(context, "_due_chip_calendar", None)
    if calendar is None:
        calendar = context._due_chip_calendar = WorkingCalendar()
    key = (rule_key, start, getattr(council, "pk", None))
    if key not in cache:
        try:
            cache[key] = due_date(rule_key, start, council=council, calendar=calendar).explanation
        except RuleMissing:
            cache[key] = stored or ""
    return cache[key]
