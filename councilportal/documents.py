"""Printable documents of the core."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delegate, Membership, OrganKind, Position, Term
from .pdf import vn_date_line
from .registry import DocumentKind, register


def signer_of(term: Term) -> Membership | None:
    """The chair of the term's Standing Committee, who signs on behalf of the council."""
    return (
        Membership.objects.filter(
            organ__term=term,
            organ__kind=OrganKind.STANDING_COMMITTEE,
            position=Position.CHAIR,
        )
        .select_related("delegate")
        .order_by("-start_date")
        .first()
    )


def term_roster_context(term: Term) -> dict[str, Any]:
    council = term.council
    delegates = list(
        Delegate.objects.filter(term=term)
        .select_related("delegate_group")
        .order_by("electoral_unit", "full_name", "pk")
    )
    today = timezone.localdate()
    return {
        "council": council,
        "term": term,
        "delegates": delegates,
        "in_office": sum(1 for d in delegates if d.in_office_on(today) or not term.contains(today)),
        "full_time": sum(1 for d in delegates if d.is_full_time),
        "date_line": vn_date_line(council.place_name, today),
        "signer": signer_of(term),
        "symbol": "DS-HĐND",
    }


register(
    DocumentKind(
        key="core.term-roster",
        label=_("List of delegates"),
        model=Term,
        template="core/pdf/term_roster.html",
        build_context=term_roster_context,
        title=lambda term: f"Danh sách đại biểu {term.council.name} {term.name}",
    )
)
