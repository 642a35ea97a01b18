"""Views of the core: home, search, and the registers of councils, terms, organs, delegates,
memberships and agencies. Thin: scoping in access.py, validation in forms.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import filters, forms
from .access import get_for_user
from .crud import (
    Column,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedHistoryView,
    ScopedListView,
    ScopedUpdateView,
)
from .document_views import documents_panel
from .models import Agency, Council, Delegate, FollowUp, Membership, Organ, OrganKind, Term
from .services import follow_up_answer
from .text import search_normalise


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview: the councils the user works on, with their current figures."""
    today = timezone.localdate()
    # The same dated count as the council page and the votes (Delegate.objects.in_office).
    in_office = (
        Delegate.objects.in_office(today)
        .filter(term__council=OuterRef("pk"))
        .order_by()
        .values("term__council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    councils = (
        Council.objects.visible_to(request.user)
        .select_related("parent")
        .annotate(delegates_now=Coalesce(Subquery(in_office), 0))
        .order_by("path")[:50]
    )
    visible_count = Council.objects.visible_to(request.user).count()
    return render(
        request,
        "core/home.html",
        {"councils": councils, "visible_count": visible_count, "today": today},
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One search box across the registers the user may see (accent-insensitive)."""
    query = request.GET.get("q", "").strip()[:200]
    words = search_normalise(query).split()
    results: list[tuple[Any, list[Any]]] = []
    if words:
        sources: list[tuple[Any, Any]] = [
            (Council._meta.verbose_name_plural, Council.objects.visible_to(request.user)),
            (
                Delegate._meta.verbose_name_plural,
                Delegate.objects.visible_to(request.user).select_related("term__council"),
            ),
            (
                Agency._meta.verbose_name_plural,
                Agency.objects.visible_to(request.user).select_related("council"),
            ),
        ]
        for label, qs in sources:
            for word in words:
                qs = qs.filter(search_text__contains=word)
            found = list(qs[:20])
            if found:
                results.append((label, found))
    return render(request, "core/search.html", {"query": query, "results": results})


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


@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up with its answers; those who may write record a new answer and the status."""
    related = ("council", "to_agency", "to_council", "to_organ", "source_type")
    follow_up = get_for_user(FollowUp.objects.select_related(*related), request.user, pk)
    can_edit = FollowUp.objects.editable_by(request.user).filter(pk=follow_up.pk).exists()
    form = forms.FollowUpAnswerForm(
        request.POST or None,
        initial={
            "status": follow_up.status,
            "progress": follow_up.progress,
            "received_on": timezone.localdate(),
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                follow_up_answer(follow_up=follow_up, by=request.user, **form.cleaned_data)
                messages.success(request, gettext("Saved."))
                return redirect(follow_up)
            except ValidationError as exc:
                form.add_error("received_on", exc)
    return render(
        request,
        "core/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "source": follow_up.source,
            "answers": follow_up.answers.select_related("recorded_by"),
            "form": form,
            "can_edit": can_edit,
            "overdue": follow_up.is_overdue(),
        },
    )


follow_up_detail.model = FollowUp  # type: ignore[attr-defined]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first; unread ones stand out."""
    from django.core.paginator import Paginator

    from .models import Notification

    qs = Notification.objects.visible_to(request.user).select_related("council")
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page_obj": page})


@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them read, then follow its link if asked."""
    from django.http import HttpResponseNotAllowed
    from django.utils.http import url_has_allowed_host_and_scheme

    from .models import Notification
    from .services import notifications_mark_read

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, ids=ids)
    target = ""
    if ids:
        found = Notification.objects.visible_to(request.user).filter(pk=ids[0]).first()
        target = found.link if found else ""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("core:notification-list")
    return redirect(target)
