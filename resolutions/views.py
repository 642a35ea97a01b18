"""Views of the resolutions app. Thin: access in councilportal.access, validation in forms,
writes in services."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from councilportal.access import can_edit, object_view
from councilportal.documents.attachments import attachment_form, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import (
    Register,
    ScopedDeleteView,
    ScopedFormMixin,
    ScopedListView,
    ScopedUpdateView,
)

from . import filters, forms, services
from .models import (
    LegalStatus,
    Resolution,
    ResolutionRelation,
    Submission,
    SubmissionStatus,
    VerificationReport,
)


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _add_errors(form: django_forms.Form, exc: ValidationError, rename: dict[str, str]) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = rename.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def status_day(request: HttpRequest) -> dt.date:
    """The date the register computes statuses for: ?on=dd/mm/yyyy, else today."""
    raw = request.GET.get("on", "")
    if raw:
        try:
            return django_forms.DateField(widget=django_forms.DateInput()).clean(raw)
        except ValidationError:
            pass
    return timezone.localdate()


# The register -------------------------------------------------------------------------------


class StatusOnADay(ScopedListView):
    """The register shows each resolution's legal status on a day (?on=, else today)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().with_status_on(status_day(self.request))  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["status_day"] = status_day(self.request)
        context["statuses"] = dict(LegalStatus.choices)
        return context


class SavedByTheService(ScopedFormMixin):
    """A resolution is numbered and saved by `services.resolution_save`."""

    def form_valid(self, form: Any) -> HttpResponse:
        return _save_resolution(cast(AuthenticatedHttpRequest, self.request), form)


def _save_resolution(request: AuthenticatedHttpRequest, form: Any) -> HttpResponse:
    resolution = form.save(commit=False)
    try:
        with transaction.atomic():
            services.resolution_save(
                resolution=resolution,
                manual_number=form.cleaned_data.get("manual_number"),
                by=request.user,
            )
    except ValidationError as exc:
        _add_errors(form, exc, {"number": "manual_number"})
        return render(
            request,
            "core/form.html",
            {
                "form": form,
                "object": form.instance,
                "verbose_name": Resolution._meta.verbose_name,
                "list_url": reverse("resolutions:resolution-list"),
            },
            status=400,
        )
    messages.success(request, _("Saved: %(symbol)s.") % {"symbol": resolution.symbol})
    return redirect(resolution)


class RelationsGoWithIt(ScopedDeleteView):
    """Deleting a resolution deletes its relations: the documents it acted on get their
    status back."""

    def form_valid(self, form: Any) -> HttpResponse:
        # Its relations go with it: the documents it acted on get their status back.
        targets = list(
            ResolutionRelation.objects.filter(source=self.object).values_list(
                "target_id", flat=True
            )
        )
        response = super().form_valid(form)
        if not Resolution.objects.filter(pk=self.object.pk).exists():
            services.lapse_refresh(targets)
        return response


@object_view(
    Resolution,
    related=("council", "session__term", "agenda_item", "vote", "submission"),
    prefetch=("relations_in", "relations_out__target__relations_in"),
)
@require_safe
def resolution_detail(request: AuthenticatedHttpRequest, resolution: Resolution) -> HttpResponse:
    editable = can_edit(request.user, resolution)
    day = status_day(request)
    outgoing = list(
        ResolutionRelation.objects.filter(source=resolution)
        .select_related("target__council")
        .order_by("effective_from", "pk")
    )
    incoming = list(
        ResolutionRelation.objects.filter(target=resolution)
        .select_related("source__council")
        .order_by("effective_from", "pk")
    )
    tasks = list(services.tasks_of(resolution))
    today = timezone.localdate()
    return render(
        request,
        "resolutions/resolution_detail.html",
        {
            "resolution": resolution,
            "object": resolution,
            "status": LegalStatus(resolution.status_on(day)),
            "status_today": LegalStatus(resolution.status_on(today)),
            "status_day": day,
            "today": today,
            "outgoing": outgoing,
            "incoming": incoming,
            "tasks": [(t, t.is_overdue(today)) for t in tasks],
            "attachments": attachments_of(resolution),
            "scan_form": attachment_form(resolution),
            "relation_form": forms.RelationForm(source=resolution),
            "task_form": forms.TaskForm(resolution=resolution, user=request.user),
            "can_edit": editable,
            "earliest": services.earliest_effective_date(resolution),
            **documents_panel(request.user, resolution),
        },
    )


resolutions = Register(
    Resolution,
    namespace="resolutions",
    form=forms.ResolutionForm,
    filterset=filters.ResolutionFilter,
    select_related=("council", "session__term"),
    list_template="resolutions/resolution_list.html",
    columns=[
        Column("symbol", gettext_lazy("Number and symbol"), "number", link=True),
        Column("title", gettext_lazy("Summary of contents"), "title"),
        Column("council", gettext_lazy("Council"), "council"),
        Column("kind", gettext_lazy("Kind")),
        Column("adopted_on", gettext_lazy("Adopted on"), "adopted_on"),
        Column("effective_from", gettext_lazy("In force from"), "effective_from"),
        Column("status_label", gettext_lazy("Legal status")),
    ],
    export_columns=[
        Column("symbol", gettext_lazy("Number and symbol")),
        Column("title", gettext_lazy("Summary of contents")),
        Column("council", gettext_lazy("Council")),
        Column("issuer", gettext_lazy("Issued by")),
        Column("kind", gettext_lazy("Kind")),
        Column("field", gettext_lazy("Field")),
        Column("session", gettext_lazy("Session")),
        Column("adopted_on", gettext_lazy("Adopted on")),
        Column("signed_on", gettext_lazy("Signed")),
        Column("effective_from", gettext_lazy("In force from")),
        Column("expires_on", gettext_lazy("Lapses on")),
        Column("status_label", gettext_lazy("Legal status")),
        Column("gazette_reference", gettext_lazy("Official gazette")),
    ],
    list=StatusOnADay,
    create=SavedByTheService,
    update=SavedByTheService,
    delete=RelationsGoWithIt,
    detail=resolution_detail,
)


@object_view(Resolution, write=True, related=("council",))
def relation_add(request: AuthenticatedHttpRequest, source: Resolution) -> HttpResponse:
    form = forms.RelationForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.relation_add(
                source=source,
                target=data["target"],
                kind=data["kind"],
                effective_from=data.get("effective_from"),
                partial=data.get("partial", False),
                articles=data.get("articles", ""),
                by=request.user,
            )
            messages.success(request, _("Saved."))
            return redirect(source.get_absolute_url() + "#relations")
        except ValidationError as exc:
            _add_errors(form, exc, {"target": "target_symbol"})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resolutions/relation_form.html",
        {"form": form, "resolution": source},
        status=status,
    )


@object_view(ResolutionRelation, write=True, related=("source",))
@require_POST
def relation_delete(
    request: AuthenticatedHttpRequest, relation: ResolutionRelation
) -> HttpResponse:
    source = relation.source
    services.relation_delete(relation=relation)
    messages.success(request, _("Deleted."))
    return redirect(source.get_absolute_url() + "#relations")


@object_view(Resolution, write=True, related=("council",))
def task_add(request: AuthenticatedHttpRequest, resolution: Resolution) -> HttpResponse:
    form = forms.TaskForm(request.POST or None, resolution=resolution, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_add(
                resolution=resolution,
                content=data["content"],
                due_date=data["due_date"],
                to_agency=data["to_agency"],
                to_organ=data["to_organ"],
                to_council=data["to_council"],
            )
            messages.success(request, _("The task has been assigned."))
            return redirect(resolution.get_absolute_url() + "#tasks")
        except ValidationError as exc:
            _add_errors(form, exc, {})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resolutions/task_form.html",
        {"form": form, "resolution": resolution},
        status=status,
    )


@login_required
def overdue_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Implementation tasks past their deadline across the register the user sees."""
    today = timezone.localdate()
    tasks = list(
        services.resolution_tasks()
        .visible_to(request.user)
        .overdue(today)
        .select_related("council", "to_agency", "to_council", "to_organ")
        .order_by("due_date", "pk")[:500]
    )
    by_id = Resolution.objects.in_bulk([t.source_id for t in tasks])
    rows = [(t, by_id.get(t.source_id), (today - t.due_date).days) for t in tasks]
    return render(request, "resolutions/overdue.html", {"rows": rows, "today": today})


# Submissions --------------------------------------------------------------------------------


class FinalIsFrozen(ScopedUpdateView):
    """A submission adopted, rejected or withdrawn is no longer edited."""

    def get_object(self, queryset: Any = None) -> Any:
        submission = cast(Submission, super().get_object(queryset))
        if submission.is_final:
            raise PermissionDenied
        return submission


def _submission_page(
    request: HttpRequest, submission: Submission, status: int = 200, **forms_given: Any
) -> HttpResponse:
    item = submission.agenda_item
    votes = list(item.votes.order_by("held_on", "pk")) if item is not None else []
    context = {
        "submission": submission,
        "object": submission,
        "reports": submission.verification_reports.select_related("organ"),
        "can_edit": not submission.is_final and can_edit(request.user, submission),
        "votes": votes,
        "resolution": Resolution.objects.filter(submission=submission).first(),
        "verify_form": forms_given.get("verify_form")
        or forms.VerificationStartForm(
            submission=submission,
            initial={
                "organ": submission.verifying_organ_id,
                "due": submission.verification_due,
            },
        ),
        "report_form": forms_given.get("report_form")
        or forms.VerificationReportForm(submission=submission),
        "agenda_form": forms_given.get("agenda_form")
        or forms.AgendaForm(submission=submission, initial={"item": submission.agenda_item_id}),
        "adopt_form": forms_given.get("adopt_form")
        or forms.AdoptForm(
            submission=submission, initial={"vote": votes[-1].pk if votes else None}
        ),
        "close_form": forms.CloseForm(),
        "attachments": attachments_of(submission),
        "overdue": submission.verification_overdue(),
        "S": SubmissionStatus,
    }
    return render(request, "resolutions/submission_detail.html", context, status=status)


_SUBMISSION_RELATED = (
    "council",
    "submitted_by",
    "verifying_organ",
    "agenda_item__session__term",
    "vote",
)


@object_view(Submission, related=_SUBMISSION_RELATED)
def submission_detail(request: AuthenticatedHttpRequest, submission: Submission) -> HttpResponse:
    return _submission_page(request, submission)


submissions = Register(
    Submission,
    namespace="resolutions",
    form=forms.SubmissionForm,
    filterset=filters.SubmissionFilter,
    select_related=("council", "submitted_by", "verifying_organ"),
    list_template="resolutions/submission_list.html",
    columns=[
        Column("__str__", gettext_lazy("Submission"), "title", link=True),
        Column("council", gettext_lazy("Council")),
        Column("submitted_by", gettext_lazy("Submitting agency")),
        Column("received_on", gettext_lazy("Received on"), "received_on"),
        Column("verifying_organ", gettext_lazy("Committee verifying it")),
        Column("verification_due", gettext_lazy("Verification due"), "verification_due"),
        Column("status", gettext_lazy("Status")),
    ],
    detail=submission_detail,
    update=FinalIsFrozen,
    delete=False,
)


def _step(form_name: str, form_class: Any, action: Any, *, says_saved: bool = True) -> Any:
    """A POST-only workflow step: validate the step's form, call the service, redirect; on a
    refusal show the page again with the message next to the form (400, never 500)."""

    @object_view(Submission, write=True, related=_SUBMISSION_RELATED)
    @require_POST
    def view(request: AuthenticatedHttpRequest, submission: Submission) -> HttpResponse:
        form = form_class(request.POST, submission=submission)
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = action(request, submission, form.cleaned_data)
                if says_saved:
                    messages.success(request, _("Saved."))
                return redirect(result)
            except ValidationError as exc:
                _add_errors(form, exc, {})
        return _submission_page(request, submission, status=400, **{form_name: form})

    return view


def _verify(request: AuthenticatedHttpRequest, submission: Submission, data: dict[str, Any]) -> Any:
    return services.submission_start_verification(
        submission=submission, organ=data["organ"], due=data["due"]
    )


def _report(request: AuthenticatedHttpRequest, submission: Submission, data: dict[str, Any]) -> Any:
    services.verification_report_add(submission=submission, report=VerificationReport(**data))
    return submission.get_absolute_url() + "#verification"


def _agenda(request: AuthenticatedHttpRequest, submission: Submission, data: dict[str, Any]) -> Any:
    return services.submission_put_on_agenda(submission=submission, item=data["item"])


def _adopt(request: AuthenticatedHttpRequest, submission: Submission, data: dict[str, Any]) -> Any:
    resolution = services.submission_adopt(
        submission=submission,
        vote=data["vote"],
        issuer=data["issuer"],
        effective_from=data["effective_from"],
        shortened_procedure=data["shortened_procedure"],
        by=request.user,
    )
    messages.success(
        request, _("Resolution %(symbol)s is in the register.") % {"symbol": resolution.symbol}
    )
    return resolution


submission_verify = _step("verify_form", forms.VerificationStartForm, _verify)
submission_report = _step("report_form", forms.VerificationReportForm, _report)
submission_agenda = _step("agenda_form", forms.AgendaForm, _agenda)
submission_adopt = _step("adopt_form", forms.AdoptForm, _adopt, says_saved=False)


def _closer(status: str) -> Any:
    @object_view(Submission, write=True, related=_SUBMISSION_RELATED)
    @require_POST
    def view(request: AuthenticatedHttpRequest, submission: Submission) -> HttpResponse:
        form = forms.CloseForm(request.POST)
        if form.is_valid():
            try:
                services.submission_close(
                    submission=submission, status=status, note=form.cleaned_data["note"]
                )
                messages.success(
                    request,
                    _("Status: %(status)s.") % {"status": submission.get_status_display()},
                )
            except ValidationError as exc:
                _errors(request, exc)
        return redirect(submission)

    return view


submission_reject = _closer(SubmissionStatus.REJECTED)
submission_withdraw = _closer(SubmissionStatus.WITHDRAWN)
