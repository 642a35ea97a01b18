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
from councilportal.web.crud import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedHistoryView,
    ScopedListView,
    ScopedUpdateView,
)

# Councils -----------------------------------------------------------------------------------


class CouncilList(ScopedListView):
    model = Council
    filterset_class = filters.CouncilFilter
    select_related = ("parent",)
    columns = [
        Column("name", _("Name"), "name", link=True),
        Column("code", _("Code"), "code"),
        Column("level", _("Level"), "level"),
        Column("parent", _("Parent council")),
        Column("valid_from", _("Valid from")),
        Column("valid_to", _("Valid to")),
    ]


class CouncilDetail(ScopedDetailView):
    model = Council
    template_name = "core/council_detail.html"
    select_related = ("parent",)
    fields_shown = [
        "code",
        "level",
        "parent",
        "place_name",
        "administrative_name",
        "valid_from",
        "valid_to",
        "predecessors",
        "address",
        "phone",
        "email",
    ]

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


class CouncilCreate(ScopedCreateView):
    model = Council
    form_class = forms.CouncilForm


class CouncilUpdate(ScopedUpdateView):
    model = Council
    form_class = forms.CouncilForm


class CouncilDelete(ScopedDeleteView):
    model = Council


class CouncilHistory(ScopedHistoryView):
    model = Council


# Terms --------------------------------------------------------------------------------------


class TermList(ScopedListView):
    model = Term
    filterset_class = filters.TermFilter
    select_related = ("council",)
    columns = [
        Column("name", _("Name"), "ordinal", link=True),
        Column("council", _("Council"), "council"),
        Column("start_date", _("Start date"), "start_date"),
        Column("end_date", _("End date")),
    ]


class TermDetail(ScopedDetailView):
    model = Term
    template_name = "core/term_detail.html"
    select_related = ("council",)
    fields_shown = ["council", "ordinal", "name", "start_date", "end_date"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        term: Term = self.object
        context.update(
            organs=term.organs.annotate(members=Count("memberships")),
            delegates_total=term.delegates.count(),
            **documents_panel(self.request.user, term),
        )
        return context


class TermCreate(ScopedCreateView):
    model = Term
    form_class = forms.TermForm


class TermUpdate(ScopedUpdateView):
    model = Term
    form_class = forms.TermForm


class TermDelete(ScopedDeleteView):
    model = Term


class TermHistory(ScopedHistoryView):
    model = Term


# Organs -------------------------------------------------------------------------------------


class OrganList(ScopedListView):
    model = Organ
    filterset_class = filters.OrganFilter
    select_related = ("council", "term")
    columns = [
        Column("name", _("Name"), "name", link=True),
        Column("kind", _("Kind"), "kind"),
        Column("council", _("Council"), "council"),
        Column("term", _("Term")),
    ]


class OrganDetail(ScopedDetailView):
    model = Organ
    template_name = "core/organ_detail.html"
    select_related = ("council", "term")
    fields_shown = ["council", "term", "kind", "abbreviation", "electoral_units", "established_on"]

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


class OrganCreate(ScopedCreateView):
    model = Organ
    form_class = forms.OrganForm


class OrganUpdate(ScopedUpdateView):
    model = Organ
    form_class = forms.OrganForm


class OrganDelete(ScopedDeleteView):
    model = Organ


class OrganHistory(ScopedHistoryView):
    model = Organ


# Delegates ----------------------------------------------------------------------------------


class DelegateList(ScopedListView):
    model = Delegate
    filterset_class = filters.DelegateFilter
    select_related = ("term__council", "delegate_group")
    columns = [
        Column("full_name", _("Full name"), "full_name", link=True),
        Column("council", _("Council"), "council"),
        Column("electoral_unit", _("Electoral unit"), "electoral_unit"),
        Column("delegate_group", _("Delegate group")),
        Column("is_full_time", _("Full-time")),
        Column("start_date", _("In office from"), "start_date"),
        Column("end_date", _("In office until")),
    ]


class DelegateDetail(ScopedDetailView):
    model = Delegate
    template_name = "core/delegate_detail.html"
    select_related = ("term__council", "delegate_group")
    fields_shown = [
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
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("organ")
        return context


class DelegateCreate(ScopedCreateView):
    model = Delegate
    form_class = forms.DelegateForm


class DelegateUpdate(ScopedUpdateView):
    model = Delegate
    form_class = forms.DelegateForm


class DelegateDelete(ScopedDeleteView):
    model = Delegate


class DelegateHistory(ScopedHistoryView):
    model = Delegate


# Memberships --------------------------------------------------------------------------------


class MembershipList(ScopedListView):
    model = Membership
    filterset_class = filters.MembershipFilter
    select_related = ("organ__council", "delegate")
    columns = [
        Column("delegate", _("Delegate"), "delegate", link=True),
        Column("position", _("Position")),
        Column("organ", _("Organ"), "organ"),
        Column("organ.council", _("Council")),
        Column("start_date", _("From"), "start_date"),
        Column("end_date", _("Until")),
    ]


class MembershipDetail(ScopedDetailView):
    model = Membership
    select_related = ("organ__council", "delegate")
    fields_shown = ["organ", "delegate", "position", "start_date", "end_date"]


class MembershipCreate(ScopedCreateView):
    model = Membership
    form_class = forms.MembershipForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("organ", "delegate"):
            if self.request.GET.get(key, "").isdigit():
                initial[key] = int(self.request.GET[key])
        return initial


class MembershipUpdate(ScopedUpdateView):
    model = Membership
    form_class = forms.MembershipForm


class MembershipDelete(ScopedDeleteView):
    model = Membership


class MembershipHistory(ScopedHistoryView):
    model = Membership


# Agencies -----------------------------------------------------------------------------------


class AgencyList(ScopedListView):
    model = Agency
    filterset_class = filters.AgencyFilter
    select_related = ("council", "parent")
    columns = [
        Column("name", _("Name"), "name", link=True),
        Column("kind", _("Kind"), "kind"),
        Column("parent", _("Parent agency")),
        Column("council", _("Council"), "council"),
        Column("phone", _("Phone")),
        Column("is_active", _("Active")),
    ]


class AgencyDetail(ScopedDetailView):
    model = Agency
    template_name = "core/agency_detail.html"
    select_related = ("council", "parent")
    fields_shown = [
        "council",
        "short_name",
        "kind",
        "parent",
        "head_name",
        "address",
        "phone",
        "email",
        "is_active",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["children"] = Agency.objects.visible_to(self.request.user).filter(
            parent=self.object
        )
        return context


class AgencyCreate(ScopedCreateView):
    model = Agency
    form_class = forms.AgencyForm


class AgencyUpdate(ScopedUpdateView):
    model = Agency
    form_class = forms.AgencyForm


class AgencyDelete(ScopedDeleteView):
    model = Agency


class AgencyHistory(ScopedHistoryView):
    model = Agency
