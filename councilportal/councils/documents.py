"""Printable documents of the council tree: a term's roster and an organ's members."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line
from councilportal.models import Delegate, Membership, Organ, OrganKind, Position, Term


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


def organ_members_context(organ: Organ) -> dict[str, Any]:
    council = organ.council
    memberships = list(
        Membership.objects.filter(organ=organ)
        .select_related("delegate", "organ")
        .order_by("end_date", "position", "delegate__full_name")
    )
    order = {value: n for n, value in enumerate(Position.values)}
    memberships.sort(
        key=lambda m: (m.end_date is not None, order[m.position], m.delegate.full_name)
    )
    return {
        "council": council,
        "organ": organ,
        "memberships": memberships,
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(organ.term),
        "symbol": "DS-HĐND",
    }


register(
    DocumentKind(
        key="core.organ-members",
        label=_("List of members"),
        model=Organ,
        template="core/pdf/organ_members.html",
        build_context=organ_members_context,
        title=lambda organ: f"Danh sách thành viên {organ.name} {organ.term.name}",
    )
)
