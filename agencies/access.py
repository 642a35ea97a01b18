"""Who is an agency user, which agencies they reach, and what they may do there.

An agency user (a user with an `AgencyMembership`) holds no role on any council: the council
scoping (`councilportal/access.py`) gives them nothing, and `AgencyWorkspaceMiddleware` answers
every page outside the agency workspace with 404. In the workspace they reach the follow-ups
addressed to their agencies; the head of an agency also reaches those of the agencies below it
(its children, theirs, and so on). Only members of the addressed agency answer or ask for time.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, cast

from councilportal.models import Agency, FollowUp
from councilportal.models.follow_ups import FollowUpQuerySet
from councilportal.typing import AnyUser


@dataclass(frozen=True)
class AgencyScope:
    """The agencies a user answers for (their own) and reads (theirs and, as head, below)."""

    member_of: frozenset[int] = field(default_factory=frozenset)
    reads: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.member_of


def _compute(user: AnyUser) -> AgencyScope:
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return AgencyScope()
    from .models import AgencyMembership, AgencyRole

    rows = list(AgencyMembership.objects.filter(user_id=user.pk).values_list("agency_id", "role"))
    if not rows:
        return AgencyScope()
    member = {agency for agency, _role in rows}
    reads = set(member)
    frontier = {agency for agency, role in rows if role == AgencyRole.HEAD}
    # The agencies below a head's: one query per level (agency trees are a few levels deep).
    for _depth in range(10):
        if not frontier:
            break
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - reads
        )
        reads |= frontier
    return AgencyScope(member_of=frozenset(member), reads=frozenset(reads))


def agency_scope(user: AnyUser) -> AgencyScope:
    """The user's agency scope, computed once per request and cached on the user."""
    cached = getattr(user, "_agency_scope", None)
    if cached is None:
        cached = _compute(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser may refuse attributes
            user._agency_scope = cached  # type: ignore[union-attr]
    return cached


def is_agency_user(user: AnyUser) -> bool:
    """Whether the user works in an agency (and so sees only the agency workspace)."""
    return not agency_scope(user).empty


def items_for(user: AnyUser) -> FollowUpQuerySet:
    """The follow-ups an agency user reads: those addressed to the agencies they reach."""
    scope = agency_scope(user)
    records = cast(FollowUpQuerySet, FollowUp.objects.all())
    if scope.empty:
        return records.none()
    return records.filter(to_agency_id__in=scope.reads)


def may_answer(user: AnyUser, follow_up: FollowUp) -> bool:
    """Members of the addressed agency answer its open items and ask for more time."""
    return follow_up.to_agency_id in agency_scope(user).member_of and follow_up.status in (
        "open",
        "partly_done",
    )


def may_decide(user: AnyUser, follow_up: FollowUp) -> bool:
    """The council's side: those who write the follow-up's council accept and return."""
    from councilportal.access import can_write

    return can_write(user, follow_up.council)


def agencies_of(user: AnyUser) -> Any:
    return Agency.objects.filter(pk__in=agency_scope(user).reads).order_by("name")
