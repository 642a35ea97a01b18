"""Views of the council tree: the registers of councils, terms, organs, delegates, memberships
and agencies. Thin: scoping in access.py, validation in councils/forms.py."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils import filters, forms
from councilportal.documents.views import documents_panel
from councilportal.models import Agency, Council, Delegate, Membership, Organ, OrganKind, Term
from councilportal.web.columns import Column
from councilportal.web.crud import Register, ScopedCreateView, ScopedDetailView

# Councils -----------------------------------------------------------------------------------


class CouncilDetail(ScopedDetailView):
    """A council with its terms, current organs, councils below and successors."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        council: Council = self.object
        user = self.request.user
        today = timezone.localdate()
        terms = list(council.terms.all())
        current = next((t for t in terms if t.contains(today)), terms[0] if terms else None)
        kind_order = {kind: n for n, kind in enumerate(OrganKind.values)}
        organs = sorted(
            Organ.objects.filter(term=current), key=lambda o: (kind_order[o.kind], o.name)
        )
        context.update(
            terms=terms,
            current_term=current,
            organs=organs,
            children=Council.objects.visible_to(user).filter(parent=council),
            successors=Council.objects.visible_to(user).filter(predecessors=council),
            agencies_count=Agency.objects.filter(council=council).count(),
            delegates_now=council.delegate_count(today),
            today=today,
        )
        return context


councils = Register(
    Council,
    namespace="core",
    form=forms.CouncilForm,
    filterset=filters.CouncilFilter,
    select_related=("parent",),
    columns=[
        Column("name", _("Name"), "name", link=True),
        Column("code", _("Code"), "code"),
        Column("level", _("Level"), "level"),
        Column("parent", _("Parent council")),
        Column("valid_from", _("Valid from")),
        Column("valid_to", _("Valid to")),
    ],
    detail=CouncilDetail,
    detail_template="core/council_detail.html",
    # What the form edits, but the name (the page's title).
    fields_shown=[name for name in forms.CouncilForm.Meta.fields if name != "name"],
)


# Terms --------------------------------------------------------------------------------------


class TermDetail(ScopedDetailView):
    """A term with its organs and delegates."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        term: Term = self.object
        context.update(
            organs=term.organs.annotate(members=Count("memberships")),
            delegates_total=term.delegates.count(),
            **documents_panel(self.request.user, term),
        )
        return context


terms = Register(
    Term,
    namespace="core",
    form=forms.TermForm,
    filterset=filters.TermFilter,
    select_related=("council",),
    columns=[
        Column("name", _("Name"), "ordinal", link=True),
        Column("council", _("Council"), "council"),
        Column("start_date", _("Start date"), "start_date"),
        Column("end_date", _("End date")),
    ],
    detail=TermDetail,
    detail_template="core/term_detail.html",
    fields_shown=["council", "ordinal", "name", "start_date", "end_date"],
)


# Organs -------------------------------------------------------------------------------------


class OrganDetail(ScopedDetailView):
    """An organ with its members and, for a delegate group, its delegates."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organ: Organ = self.object
        context.update(
            memberships=organ.memberships.select_related("delegate").order_by(
                "end_date", "position", "delegate__full_name"
            ),
            group_delegates=organ.group_delegates.all(),
            **documents_panel(self.request.user, organ),
        )
        return context


organs = Register(
    Organ,
    namespace="core",
    form=forms.OrganForm,
    filterset=filters.OrganFilter,
    select_related=("council", "term"),
    columns=[
        Column("name", _("Name"), "name", link=True),
        Column("kind", _("Kind"), "kind"),
        Column("council", _("Council"), "council"),
        Column("term", _("Term")),
    ],
    detail=OrganDetail,
    detail_template="core/organ_detail.html",
    fields_shown=["council", "term", "kind", "abbreviation", "electoral_units", "established_on"],
)


# Delegates ----------------------------------------------------------------------------------


class DelegateDetail(ScopedDetailView):
    """A delegate with the organs they sit on."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("organ")
        return context


delegates = Register(
    Delegate,
    namespace="core",
    form=forms.DelegateForm,
    filterset=filters.DelegateFilter,
    select_related=("term__council", "delegate_group"),
    columns=[
        Column("full_name", _("Full name"), "full_name", link=True),
        Column("council", _("Council"), "council"),
        Column("electoral_unit", _("Electoral unit"), "electoral_unit"),
        Column("delegate_group", _("Delegate group")),
        Column("is_full_time", _("Full-time")),
        Column("start_date", _("In office from"), "start_date"),
        Column("end_date", _("In office until")),
    ],
    detail=DelegateDetail,
    detail_template="core/delegate_detail.html",
    fields_shown=[
        "term",
        "gender",
        "birth_date",
        "position",
        "electoral_unit",
        "delegate_group",
        "is_full_time",
        "start_date",
        "end_date",
        "end_reason",
        "phone",
        "email",
    ],
)


# Memberships --------------------------------------------------------------------------------


class MembershipFromLink(ScopedCreateView):
    """A new membership from an organ's or a delegate's page (?organ=, ?delegate=)."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("organ", "delegate"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = int(self.request.GET[key])
        return initial


memberships = Register(
    Membership,
    namespace="core",
    form=forms.MembershipForm,
    filterset=filters.MembershipFilter,
    select_related=("organ__council", "delegate"),
    columns=[
        Column("delegate", _("Delegate"), "delegate", link=True),
        Column("position", _("Position")),
        Column("organ", _("Organ"), "organ"),
        Column("organ.council", _("Council")),
        Column("start_date", _("From"), "start_date"),
        Column("end_date", _("Until")),
    ],
    create=MembershipFromLink,
    fields_shown=["organ", "delegate", "position", "start_date", "end_date"],
)


# Agencies -----------------------------------------------------------------------------------


class AgencyDetail(ScopedDetailView):
    """An agency with the agencies under it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["children"] = Agency.objects.visible_to(self.request.user).filter(
            parent=self.object
        )
        return context


agencies = Register(
    Agency,
    namespace="core",
    form=forms.AgencyForm,
    filterset=filters.AgencyFilter,
    select_related=("council", "parent"),
    columns=[
        Column("name", _("Name"), "name", link=True),
        Column("kind", _("Kind"), "kind"),
        Column("parent", _("Parent agency")),
        Column("council", _("Council"), "council"),
        Column("phone", _("Phone")),
        Column("is_active", _("Active")),
    ],
    detail=AgencyDetail,
    detail_template="core/agency_detail.html",
    fields_shown=[
        "council",
        "short_name",
        "kind",
        "parent",
        "head_name",
        "address",
        "phone",
        "email",
        "is_active",
    ],
)
