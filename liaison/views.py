"""Pages of the liaison rounds: the rounds' register, opening a round, the status board, a
council's report (figures, corrections, text, submit), return, conclusions, the .xlsx export
and the rounds side by side."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from councilportal.access import object_view, scopes
from councilportal.documents.views import documents_panel
from councilportal.models import Council, CouncilLevel
from councilportal.spreadsheets.io import export_response
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import Register, ScopedListView

from . import filters, forms, services
from .access import (
    report_can_edit,
    report_can_return,
    round_can_manage,
    round_can_read_board,
)
from .models import CouncilReport, ReportingRound, ReportStatus


@login_required
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a round (the province's clerks): the period defaults to since the previous liaison
    meeting, the deadline comes from the rule."""
    form = forms.RoundForm(request.POST or None, user=request.user)
    if not form.fields["council"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        council = data["council"]
        default = services.round_default_period(council=council)
        try:
            liaison_round = services.round_open(
                council=council,
                title=data["title"],
                meeting_date=data["meeting_date"],
                venue=data["venue"],
                topic=data["topic"],
                period_start=data["period_start"] or default.start,
                period_end=data["period_end"] or default.end,
                scope=data["scope"],
                questions=data["questions"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The round is open; the councils have been notified."))
            return redirect(liaison_round)
    return render(request, "liaison/round_form.html", {"form": form})


def _board_rows(liaison_round: ReportingRound) -> list[dict[str, Any]]:
    rows = []
    for report in liaison_round.reports.all():
        rows.append({"report": report, "status": report.board_status, "late": report.late})
    return rows


@object_view(ReportingRound, related=("council", "meeting"))
def round_detail(request: AuthenticatedHttpRequest, liaison_round: ReportingRound) -> HttpResponse:
    """The province's status board; a lower council is taken to its own report."""
    if not round_can_read_board(request.user, liaison_round):
        own = CouncilReport.objects.visible_to(request.user).filter(round=liaison_round).first()
        if own is None:
            raise PermissionDenied
        return redirect(own)
    liaison_round = (
        ReportingRound.objects.select_related("council", "meeting")
        .prefetch_related(
            Prefetch(
                "reports",
                CouncilReport.objects.select_related("council")
                .prefetch_related("corrections")
                .order_by("council__path"),
            ),
            "conclusions",
        )
        .get(pk=liaison_round.pk)
    )
    rows = _board_rows(liaison_round)
    counts = {
        "submitted": sum(1 for r in rows if r["status"] == ReportStatus.SUBMITTED),
        "returned": sum(1 for r in rows if r["status"] == ReportStatus.RETURNED),
        "draft": sum(1 for r in rows if r["status"] == "draft"),
        "not_started": sum(1 for r in rows if r["status"] == "not_started"),
        "late": sum(1 for r in rows if r["late"] and r["status"] != ReportStatus.SUBMITTED),
    }
    manage = round_can_manage(request.user, liaison_round)
    conclusions = [
        {"conclusion": c, "tasks": list(c.tasks())} for c in liaison_round.conclusions.all()
    ]
    councils = Council.objects.filter(pk__in=[r["report"].council_id for r in rows]).order_by(
        "path"
    )
    return render(
        request,
        "liaison/round_detail.html",
        {
            "round": liaison_round,
            "object": liaison_round,
            "rows": rows,
            "counts": counts,
            "can_manage": manage,
            "conclusions": conclusions,
            "conclusion_form": forms.ConclusionForm(councils=councils) if manage else None,
            "previous_tasks": services.previous_tasks(liaison_round),
            "round_open": liaison_round.meeting.date >= timezone.localdate(),
            **documents_panel(request.user, liaison_round),
        },
    )


@object_view(ReportingRound, related=("council", "meeting"))
def round_export(request: AuthenticatedHttpRequest, liaison_round: ReportingRound) -> HttpResponse:
    """Every council's figures side by side (.xlsx): a row per council, a column per figure;
    a corrected figure holds the corrected value, its computed value in the next column."""
    if not round_can_read_board(request.user, liaison_round):
        raise PermissionDenied
    table = services.round_table(liaison_round)
    headers: list[Any] = [_("Council"), _("Status")]
    for figure in table.figures:
        headers += [figure["label"], _("%(figure)s: computed") % {"figure": figure["label"]}]
    headers.append(_("Reasons for the corrections"))
    rows = []
    for row in table.rows:
        cells: list[Any] = [row.council.name, row.status_label]
        for cell in row.cells:
            cells += [cell.value, cell.computed if cell.correction else ""]
        cells.append(
            "; ".join(f"{c.label}: {c.correction.reason}" for c in row.corrected if c.correction)
        )
        rows.append(cells)
    return export_response("xlsx", "giao-ban", str(_("Figures")), headers, rows)


@object_view(ReportingRound, write=True, related=("council", "meeting"))
@require_POST
def conclusion_create(
    request: AuthenticatedHttpRequest, liaison_round: ReportingRound
) -> HttpResponse:
    councils = Council.objects.filter(pk__in=liaison_round.reports.values("council_id")).order_by(
        "path"
    )
    form = forms.ConclusionForm(request.POST, councils=councils)
    if form.is_valid():
        try:
            services.conclusion_add(
                liaison_round=liaison_round,
                text=form.cleaned_data["text"],
                councils=list(form.cleaned_data["councils"]),
                due=form.cleaned_data["due"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The conclusion has been recorded and its tasks assigned."))
            return redirect(liaison_round.get_absolute_url() + "#conclusions")
    return render(
        request,
        "liaison/conclusion_form.html",
        {"form": form, "round": liaison_round},
        status=400,
    )


def _report_context(
    request: AuthenticatedHttpRequest, report: CouncilReport, **extra: Any
) -> dict[str, Any]:
    editable = report_can_edit(request.user, report)
    sections = services.report_figures(report)
    tasks = services.previous_tasks(report.round, report.council)
    proposals = [{"field": p.field, "text": p.text} for p in report.proposals.all()]
    context = {
        "report": report,
        "object": report,
        "round": report.round,
        "sections": sections,
        "can_edit": editable,
        "can_return": report_can_return(request.user, report),
        "board": round_can_read_board(request.user, report.round),
        "form": forms.ReportForm(instance=report) if editable else None,
        "proposals": forms.ProposalFormSet(initial=proposals, prefix="p") if editable else None,
        "return_form": forms.ReturnForm(),
        "previous_tasks": tasks,
        "task_counts": services.task_counts(tasks, timezone.localdate()),
        "answers": report.answer_pairs(),
        "saved_proposals": report.proposals.all(),
    }
    context.update(extra)
    return context


def _report_queryset() -> Any:
    return CouncilReport.objects.select_related("round__council", "round__meeting", "council")


@object_view(CouncilReport, queryset=_report_queryset)
def report_detail(request: AuthenticatedHttpRequest, report: CouncilReport) -> HttpResponse:
    """A council's report: the computed figures (links to the records), the corrections, the
    text; its clerks save and submit it while it is not locked."""
    if request.method == "POST":
        if not report_can_edit(request.user, report):
            raise PermissionDenied
        form = forms.ReportForm(request.POST, instance=report)
        proposals = forms.ProposalFormSet(request.POST, prefix="p")
        if form.is_valid() and proposals.is_valid():
            try:
                services.report_save(
                    report=report,
                    assessment=form.cleaned_data["assessment"],
                    difficulties=form.cleaned_data["difficulties"],
                    good_practices=form.cleaned_data["good_practices"],
                    answers=form.answers(),
                    proposals=[
                        (p["field"], p["text"]) for p in proposals.cleaned_data if p.get("text")
                    ],
                    by=request.user,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(report)
            messages.success(request, _("Saved."))
            return redirect(report)
        return render(
            request,
            "liaison/report_detail.html",
            _report_context(request, report, form=form, proposals=proposals),
            status=400,
        )
    return render(request, "liaison/report_detail.html", _report_context(request, report))


@object_view(CouncilReport, write=True, queryset=_report_queryset)
@require_POST
def report_correct(request: AuthenticatedHttpRequest, report: CouncilReport) -> HttpResponse:
    """Correct a computed figure (a reason is required), or take a correction back."""
    if not report_can_edit(request.user, report):
        raise PermissionDenied
    if request.POST.get("undo"):
        try:
            services.report_correct(
                report=report,
                key=request.POST.get("key", ""),
                corrected=None,
                reason="",
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(report.get_absolute_url() + "#figures")
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.report_correct(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The correction has been saved."))
            return redirect(report.get_absolute_url() + "#figures")
    return render(
        request,
        "liaison/report_detail.html",
        _report_context(
            request, report, correction_form=form, correction_key=request.POST.get("key")
        ),
        status=400,
    )


@object_view(CouncilReport, write=True, queryset=_report_queryset)
@require_POST
def report_submit(request: AuthenticatedHttpRequest, report: CouncilReport) -> HttpResponse:
    try:
        services.report_submit(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report has been submitted to the province."))
    return redirect(report)


@object_view(CouncilReport, queryset=_report_queryset)
@require_POST
def report_return(request: AuthenticatedHttpRequest, report: CouncilReport) -> HttpResponse:
    """The province returns a submitted report with a reason (it is unlocked)."""
    if not round_can_manage(request.user, report.round):
        raise PermissionDenied
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The report has been returned to %(council)s.") % {"council": report.council},
            )
        return redirect(report.round)
    return render(
        request,
        "liaison/report_detail.html",
        _report_context(request, report, return_form=form),
        status=400,
    )


@login_required
def trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rounds of a term side by side: each council's figures across the meetings."""
    read = scopes(request.user)[0]
    provinces = [
        p
        for p in Council.objects.visible_to(request.user)
        .filter(level=CouncilLevel.PROVINCE)
        .order_by("name")
        if read.contains(p)
    ]
    council = next((p for p in provinces if str(p.pk) == request.GET.get("council")), None)
    council = council or (provinces[0] if provinces else None)
    terms = list(council.terms.order_by("-start_date")) if council else []  # type: ignore[attr-defined]
    term = next((t for t in terms if str(t.pk) == request.GET.get("term")), None)
    history = (
        services.round_history(
            council, request.GET.get("figure", ""), term.start_date if term else None
        )
        if council
        else None
    )
    return render(
        request,
        "liaison/trends.html",
        {
            "provinces": provinces,
            "council": council,
            "history": history,
            "terms": terms,
            "term": term,
        },
    )


class RoundList(ScopedListView):
    """The rounds' register; "add" is offered to those who may open a round (a province's
    clerks), not to every clerk."""

    def can_create(self) -> bool:
        return (
            Council.objects.editable_by(self.request.user)
            .filter(level=CouncilLevel.PROVINCE)
            .exists()
        )


rounds = Register(
    ReportingRound,
    namespace="liaison",
    select_related=("council", "meeting"),
    filterset=filters.RoundFilter,
    columns=[
        Column("meeting.title", gettext_lazy("Liaison meeting"), link=True),
        Column("council", gettext_lazy("Council")),
        Column("meeting.date", gettext_lazy("Date of the meeting"), "meeting__date"),
        Column("deadline", gettext_lazy("Reports due"), "deadline"),
    ],
    list=RoundList,
    create=round_create,
    detail=round_detail,
    update=False,
    delete=False,
)
