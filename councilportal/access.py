"""Council scoping: the one place that decides which councils a user reads and writes.

Rules (DOMAIN.md §4, issue 2):
- a role applies to its own council;
- leaders and clerks of a province council also read, never write, every council below it;
- administrators manage their council and every council below it;
- delegates read their own council only;
- superusers see and manage everything.
Every view reaches records through `visible_to(user)` / `editable_by(user)` built on `scope_q`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from councilportal.models import Council, Role, RoleAssignment
    from councilportal.typing import AnyUser

M = TypeVar("M", bound=Model)
R = TypeVar("R", bound=HttpResponseBase)


@dataclass(frozen=True)
class Scope:
    """The councils a user reaches: exact council ids and whole subtrees (by path)."""

    everything: bool = False
    ids: frozenset[int] = field(default_factory=frozenset)
    subtrees: frozenset[str] = field(default_factory=frozenset)

    def q(self, lookup: str) -> Q:
        if self.everything:
            return Q()
        prefix = f"{lookup}__" if lookup else ""
        query = Q(**{f"{prefix}pk__in": list(self.ids)}) if self.ids else Q(pk__in=[])
        if not self.subtrees:
            return query
        if not lookup:
            for path in sorted(self.subtrees):
                query |= Q(path__subtree=path)
            return query
        # A record's council among a subquery of the subtrees' councils, rather than a join
        # on the council's path: the database then reads the record's council index (a
        # province's petitions out of millions) instead of every row (issue 14.16).
        from councilportal.models import Council

        councils = Q(pk__in=list(self.ids)) if self.ids else Q(pk__in=[])
        for path in sorted(self.subtrees):
            councils |= Q(path__subtree=path)
        return Q(**{f"{lookup}__in": Council.objects.filter(councils).values("pk")})

    def contains(self, council: Council) -> bool:
        if self.everything or council.pk in self.ids:
            return True
        return any(council.path.startswith(path) for path in self.subtrees)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.ids or self.subtrees)


def _compute_scopes(user: AnyUser) -> tuple[Scope, Scope]:
    if not user.is_authenticated or not user.is_active:
        return Scope(), Scope()
    if getattr(user, "is_superuser", False):
        return Scope(everything=True), Scope(everything=True)
    from councilportal.models import CouncilLevel, Role

    read_ids: set[int] = set()
    read_trees: set[str] = set()
    write_ids: set[int] = set()
    write_trees: set[str] = set()
    for assignment in role_assignments(user):
        council = assignment.council
        role = assignment.role
        read_ids.add(council.pk)
        if role == Role.ADMIN:
            read_trees.add(council.path)
            write_trees.add(council.path)
        elif role == Role.LEADER or (role == Role.CLERK and council.level == CouncilLevel.PROVINCE):
            read_trees.add(council.path)
        if role in (Role.CLERK, Role.LEADER, Role.HANDLER):
            write_ids.add(council.pk)
    return (
        Scope(ids=frozenset(read_ids), subtrees=frozenset(read_trees)),
        Scope(ids=frozenset(write_ids), subtrees=frozenset(write_trees)),
    )


def role_assignments(user: AnyUser) -> list[RoleAssignment]:
    """The user's roles with their councils, in tree order: read once per request and kept on
    the user (the scopes and the page frame's council switcher both need them)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_role_assignments", None)
    if cached is None:
        from councilportal.models import RoleAssignment

        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk)
            .select_related("council")
            .order_by("council__path", "role")
        )
        user._role_assignments = cached  # type: ignore[union-attr, attr-defined]
    return cached


def scopes(user: AnyUser) -> tuple[Scope, Scope]:
    """(read scope, write scope) of a user, computed once per request and cached on it."""
    cached = getattr(user, "_council_scopes", None)
    if cached is None:
        cached = _compute_scopes(user)
        with contextlib.suppress(AttributeError):  # AnonymousUser may refuse attributes
            user._council_scopes = cached  # type: ignore[union-attr]
    return cached


def forget_scopes(user: AnyUser) -> None:
    """Drop the cached scope after the user's roles change."""
    for name in ("_council_scopes", "_role_assignments"):
        if hasattr(user, name):
            delattr(user, name)


def scope_q(user: AnyUser, lookup: str, *, write: bool = False) -> Q:
    """A filter on `lookup` (the path from a model to its Council; "" for Council itself)."""
    read, write_scope = scopes(user)
    return (write_scope if write else read).q(lookup)


def can_read(user: AnyUser, council: Council) -> bool:
    return scopes(user)[0].contains(council)


def can_write(user: AnyUser, council: Council) -> bool:
    return scopes(user)[1].contains(council)


def has_role(user: AnyUser, council: Council, role: Role) -> bool:
    """Whether the user holds exactly this role on exactly this council (no inheritance)."""
    if not user.is_authenticated:
        return False
    from councilportal.models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user.pk, council=council, role=role).exists()


def visible_councils(user: AnyUser) -> QuerySet[Any]:
    from councilportal.models import Council

    return Council.objects.visible_to(user)


def editable_councils(user: AnyUser) -> QuerySet[Any]:
    from councilportal.models import Council

    return Council.objects.editable_by(user)


def get_for_user(queryset: QuerySet[M], user: AnyUser, pk: Any, *, write: bool = False) -> M:
    """Fetch one record the user may see: 404 when out of scope (its existence is not
    revealed), 403 when it is visible but the user asks to change it without the right."""
    manager_qs: Any = queryset
    try:
        obj = manager_qs.visible_to(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_edit(user, obj):
        raise PermissionDenied
    return obj


def can_edit(user: AnyUser, obj: Model) -> bool:
    """Whether the user may change this record (its council is in the user's write scope)."""
    manager: Any = type(obj)._default_manager
    return bool(manager.editable_by(user).filter(pk=obj.pk).exists())


def object_view(
    model: type[Model],
    *,
    write: bool = False,
    related: tuple[str, ...] = (),
    prefetch: tuple[Any, ...] = (),
    queryset: Callable[[], QuerySet[Any]] | None = None,
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """The one way a function view reaches its record: log-in required, then the record of the
    URL's `pk` fetched through the council scoping (`get_for_user`: 404 out of scope, 403 when
    `write` and the user only reads it) and handed to the view in place of the pk:

        @object_view(Session, write=True, related=("council",))
        def session_advance(request, session): ...

    `related`/`prefetch` are the query's select_related/prefetch_related; `queryset` (a callable
    returning a queryset of `model`) replaces them when a page needs more. The model is
    recorded on the view (`view.model`): the access matrix reads it to try every URL."""

    def decorate(view: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(view)
        def fetching(request: HttpRequest, pk: Any, *args: Any, **kwargs: Any) -> R:
            records: Any = queryset() if queryset is not None else model._default_manager.all()
            if related:
                records = records.select_related(*related)
            if prefetch:
                records = records.prefetch_related(*prefetch)
            record = get_for_user(records, request.user, pk, write=write)
            return view(request, record, *args, **kwargs)

        wrapped = login_required(fetching)
        wrapped.model = model  # type: ignore[attr-defined]
        return wrapped

    return decorate
