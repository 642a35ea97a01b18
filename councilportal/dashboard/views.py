"""The leaders' dashboard and the activity reports made from it: the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from councilportal.access import object_view, scopes
from councilportal.dashboard.board import Dashboard, Period, build_dashboard, resolve_period
from councilportal.dashboard.charts import charts_of
from councilportal.dashboard.forms import DashboardForm
from councilportal.dashboard.reports import ACTIVITY_REPORT, report_can_read
from councilportal.documents.services import document_request
from councilportal.documents.views import documents_panel
from councilportal.models import ActivityReport, Council, FollowUp
from councilportal.typing import AnyUser, AuthenticatedHttpRequest, User


def default_council(user: AnyUser) -> Council | None:
    """The highest council the user reads: the province for a leader, their commune for a
    commune clerk."""
    return Council.objects.visible_to(user).order_by("depth", "path").first()


def next_deadlines(dashboard: Dashboard, limit: int = 10) -> list[FollowUp]:
    """The open items of the board's councils falling due from today on."""
    from django.utils import timezone

    board = dashboard.board
    return list(
        board.scope(FollowUp.objects.open())
        .filter(due_date__gte=timezone.localdate())
        .select_related("council", "to_agency", "to_council", "to_organ")
        .order_by("due_date", "pk")[:limit]
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Figures for a council (with or without the councils below) and a period."""
    root = default_council(request.user)
    if root is None:
        return render(request, "core/dashboard.html", {"form": None})
    data = request.GET.copy()
    if "council" not in request.GET:
        data["council"] = str(root.pk)
    data.setdefault("period", "year")
    if "council" not in request.GET:
        data.setdefault("below", "on")
    form = DashboardForm(data, user=request.user)
    board_data = None
    if form.is_valid():
        council = form.cleaned_data["council"]
        if form.cleaned_data.get("find") and council is not None:
            # A council typed by code or name: show it at its own address (the chooser then
            # lists its ancestors and the councils below it).
            query = request.GET.copy()
            query.pop("find", None)
            query["council"] = str(council.pk)
            return redirect(f"{request.path}?{query.urlencode()}")
        period = resolve_period(
            form.cleaned_data["period"],
            council,
            start=form.cleaned_data.get("date_from"),
            end=form.cleaned_data.get("date_to"),
        )
        board_data = _board(request.user, council, form.cleaned_data["below"], period)
    return render(request, "core/dashboard.html", {"form": form, **(board_data or {})})


def _board(user: User, council: Council | None, below: bool, period: Period) -> dict[str, Any]:
    result = build_dashboard(root=council, include_below=below, period=period, user=user)
    below = below or council is None
    return {
        "dashboard": result,
        "period": period,
        "council": council,
        "below": below,
        "charts": charts_of(result),
        "deadlines": next_deadlines(result),
        "can_report": council is not None and not scopes(user)[0].empty,
    }


@login_required
def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make the activity report of the dashboard's council and period (a PDF job)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DashboardForm(request.POST, user=request.user)
    if not form.is_valid() or form.cleaned_data.get("council") is None:
        messages.error(request, _("Choose a council and a valid period first."))
        return redirect("core:dashboard")
    council = form.cleaned_data["council"]
    period = resolve_period(
        form.cleaned_data["period"],
        council,
        start=form.cleaned_data.get("date_from"),
        end=form.cleaned_data.get("date_to"),
    )
    report = ActivityReport.objects.create(
        council=council,
        include_below=form.cleaned_data["below"],
        period_start=period.start,
        period_end=period.end,
        requested_by=request.user,  # type: ignore[misc]
    )
    document = document_request(kind=ACTIVITY_REPORT.key, source=report, by=request.user)
    messages.success(request, _("The report is being prepared."))
    return redirect(document)


@object_view(ActivityReport, related=("council",))
def report_detail(request: HttpRequest, report: ActivityReport) -> HttpResponse:
    if not report_can_read(request.user, report):
        raise PermissionDenied
    return render(
        request,
        "core/report_detail.html",
        {"report": report, **documents_panel(request.user, report)},
    )
