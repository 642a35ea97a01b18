"""The agency workspace (inbox, item, answer, extension, files) and the council's side (the
queue of answers and extension requests, the responsiveness page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councilportal.access import object_view, scopes
from councilportal.documents.attachments import attachments_of
from councilportal.documents.views import _open_stored
from councilportal.models import Council, FollowUp, FollowUpStatus
from councilportal.spreadsheets.io import export_response
from councilportal.typing import AuthenticatedHttpRequest

from . import forms, services
from .access import agency_scope, is_agency_user, items_for, may_answer
from .models import AgencyAnswer, AnswerState, ExtensionRequest, ExtensionState
from .responsiveness import agency_rows, council_filter, facts, received_in


def _agency_only(request: AuthenticatedHttpRequest) -> None:
    if not is_agency_user(request.user):
        raise PermissionDenied


def _item(request: AuthenticatedHttpRequest, pk: int) -> FollowUp:
    """An item of the user's agencies (404 otherwise: its existence is not revealed)."""
    records: Any
    if request.user.is_superuser:  # the administrator sees what an agency sees
        records = FollowUp.objects.all()
    elif is_agency_user(request.user):
        records = items_for(request.user)
    else:
        raise Http404
    return get_object_or_404(records.select_related("council", "to_agency", "source_type"), pk=pk)


def source_view(follow_up: FollowUp) -> dict[str, Any]:
    """What the agency reads of the record an item comes from: its kind and title, and for a
    forwarded petition item its content, kind, field and locality, never a petitioner (the
    forwarding slip is served redacted for a denunciation, as the council prints it)."""
    source = follow_up.source
    found: dict[str, Any] = {
        "kind": follow_up.source_type.model_class()._meta.verbose_name,  # type: ignore[union-attr]
        "title": str(source),
        "lines": [],
        "slip": None,
    }
    from petitions.models import Petition, PetitionItem

    if isinstance(source, Petition):
        item = PetitionItem.objects.filter(follow_up=follow_up).first()
        found["title"] = f"{source.number:02d}/{source.year} — {source.subject}"
        found["lines"].append((_("Received on"), source.received_on.strftime("%d/%m/%Y")))
        if item is not None:
            found["lines"] += [
                (_("Kind"), item.get_kind_display()),
                (_("Field"), item.get_field_display()),
                (_("Locality"), item.locality or "—"),
                (_("Content"), item.content),
            ]
            slip = getattr(item, "slip", None) or _slip_of(item)
            found["slip"] = slip
    return found


def _slip_of(item: Any) -> Any:
    from petitions.models import ForwardingSlip

    return ForwardingSlip.objects.filter(item=item).first()


def _slip_document(slip: Any) -> Any:
    from councilportal.models import DocumentStatus, GeneratedDocument

    if slip is None:
        return None
    return (
        GeneratedDocument.objects.filter(
            source_type=ContentType.objects.get_for_model(type(slip)),
            source_id=slip.pk,
            kind="petitions.forwarding-slip",
            status=DocumentStatus.DONE,
        )
        .order_by("-pk")
        .first()
    )


# The inbox --------------------------------------------------------------------------------


def _kinds(qs: Any) -> list[tuple[str, str]]:
    ids = sorted(set(qs.values_list("source_type_id", flat=True)))
    types = ContentType.objects.in_bulk(ids)
    return [
        (str(pk), str(types[pk].model_class()._meta.verbose_name).capitalize())  # type: ignore[union-attr]
        for pk in ids
        if types[pk].model_class() is not None
    ]


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every item addressed to the user's agencies, overdue first then by due date, with
    filters kept in the URL, counts per status and an .xlsx export."""
    _agency_only(request)
    today = timezone.localdate()
    everything = items_for(request.user)
    councils = Council.objects.filter(pk__in=everything.values("council_id")).order_by("path")
    all_facts = facts(list(everything.only("pk", "source_type_id", "source_id")), today)
    field_of = {f.follow_up.pk: f.field for f in all_facts}
    form = forms.InboxFilter(
        request.GET or None,
        kinds=_kinds(everything),
        councils=councils,
        fields=sorted({f for f in field_of.values() if f}),
    )
    qs = everything.select_related("council", "to_agency", "source_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(content__icontains=data["q"])
        if data["kind"]:
            qs = qs.filter(source_type_id=data["kind"])
        if data["status"] == "overdue":
            qs = qs.overdue(today)
        elif data["status"]:
            qs = qs.filter(status=data["status"])
        if data["due"] == "overdue":
            qs = qs.overdue(today)
        elif data["due"]:
            days = 7 if data["due"] == "week" else 30
            qs = qs.due_within(today, today + dt.timedelta(days=days))
        if data["council"]:
            qs = qs.filter(council=data["council"])
        if data["field"]:
            qs = qs.filter(pk__in=[pk for pk, f in field_of.items() if f == data["field"]])
    open_ = Q(status__in=[FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE])
    counts = everything.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=FollowUpStatus.OPEN)),
        partly_done=Count("pk", filter=Q(status=FollowUpStatus.PARTLY_DONE)),
        done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
    )
    from django.db.models import Case, IntegerField, Value, When

    qs = qs.annotate(
        late=Case(
            When(open_ & Q(due_date__lt=today), then=Value(0)),
            When(open_, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("late", "due_date", "pk")
    if request.GET.get("export") in ("xlsx", "csv"):
        headers = [
            _("Council"),
            _("Agency"),
            _("Kind"),
            _("Content"),
            _("Field"),
            _("Assigned on"),
            _("Deadline"),
            _("How the due date was set"),
            _("Status"),
            _("Progress (%)"),
        ]
        table = (
            [
                f.council.name,
                str(f.to_agency),
                str(f.source_type.model_class()._meta.verbose_name),  # type: ignore[union-attr]
                f.content,
                field_of.get(f.pk, ""),
                f.sent_on,
                f.due_date,
                f.due_explanation,
                str(f.get_status_display()) + (f" ({_('overdue')})" if f.late == 0 else ""),
                f.progress,
            ]
            for f in qs
        )
        return export_response(
            request.GET["export"], "hop-thu-co-quan", _("Agency inbox"), headers, table
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    awaiting = set(
        AgencyAnswer.objects.filter(
            follow_up__in=[f.pk for f in page.object_list], state=AnswerState.SUBMITTED
        ).values_list("follow_up_id", flat=True)
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    rows = [
        (
            f,
            str(f.source_type.model_class()._meta.verbose_name).capitalize(),  # type: ignore[union-attr]
            field_of.get(f.pk, ""),
        )
        for f in page.object_list
    ]
    return render(
        request,
        "agencies/inbox.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "counts": counts,
            "awaiting": awaiting,
            "field_of": field_of,
            "today": today,
            "query": query.urlencode(),
            "agencies": agency_scope(request.user),
        },
    )


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An item: what was sent, by whom, the due date and how it was set, the source's content,
    the answers recorded and this agency's own answers and requests; the answer form and the
    extension form for the members of the addressed agency."""
    follow_up = _item(request, pk)
    answerable = may_answer(request.user, follow_up)
    answer_form = forms.AnswerForm(prefix="answer")
    extension_form = forms.ExtensionForm(prefix="extension")
    if request.method == "POST":
        if not answerable:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer_form = forms.AnswerForm(request.POST, request.FILES, prefix="answer")
                if answer_form.is_valid():
                    data = answer_form.cleaned_data
                    services.agency_answer_submit(
                        follow_up=follow_up,
                        by=request.user,
                        text=data["text"],
                        reply_reference=data["reply_reference"],
                        reply_date=data["reply_date"],
                        progress=data["progress"],
                        proposed_status=data["proposed_status"],
                        cannot_reason=data["cannot_reason"],
                        upload=data["file"],
                    )
                    messages.success(request, _("Your answer was sent to the council."))
                    return redirect("agencies:item-detail", pk=follow_up.pk)
            elif action == "extension":
                extension_form = forms.ExtensionForm(request.POST, prefix="extension")
                if extension_form.is_valid():
                    services.extension_request(
                        follow_up=follow_up, by=request.user, **extension_form.cleaned_data
                    )
                    messages.success(request, _("Your request was sent to the council."))
                    return redirect("agencies:item-detail", pk=follow_up.pk)
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            target = answer_form if action == "answer" else extension_form
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    target.add_error(name if name in target.fields else None, errors)
            else:
                target.add_error(None, exc)
    answers = list(
        follow_up.agency_answers.select_related("submitted_by", "decided_by").order_by(
            "-submitted_at"
        )
    )
    files = {}
    for answer in answers:
        files[answer.pk] = list(attachments_of(answer))
    source = source_view(follow_up)
    return render(
        request,
        "agencies/item_detail.html",
        {
            "follow_up": follow_up,
            "source": source,
            "slip_document": _slip_document(source["slip"]),
            "recorded": follow_up.answers.all(),
            "answers": [(a, files[a.pk]) for a in answers],
            "extensions": follow_up.extension_requests.select_related("requested_by"),
            "answerable": answerable,
            "awaiting": any(a.state == AnswerState.SUBMITTED for a in answers),
            "pending_extension": follow_up.extension_requests.filter(
                state=ExtensionState.PENDING
            ).exists(),
            "answer_form": answer_form,
            "extension_form": extension_form,
            "overdue": follow_up.is_overdue(),
        },
    )


item_detail.model = FollowUp  # type: ignore[attr-defined]


def _file_response(handle: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def item_slip(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The forwarding slip of a forwarded petition item, as the council printed it."""
    follow_up = _item(request, pk)
    slip = source_view(follow_up)["slip"]
    document = _slip_document(slip)
    if document is None or not document.file:
        raise Http404
    return _file_response(_open_stored(document.file), document.filename(), "application/pdf")


item_slip.model = FollowUp  # type: ignore[attr-defined]


@login_required
def answer_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file of an answer of the user's agencies."""
    if not is_agency_user(request.user):
        raise Http404
    answer = get_object_or_404(
        AgencyAnswer.objects.filter(follow_up__in=items_for(request.user)), pk=pk
    )
    attachment = attachments_of(answer).first()
    if attachment is None:
        raise Http404
    return _file_response(
        _open_stored(attachment.file), attachment.original_name, attachment.content_type
    )


answer_file.model = AgencyAnswer  # type: ignore[attr-defined]


# The council's side -----------------------------------------------------------------------


@login_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clerk's queue: answers and extension requests awaiting the council, of the councils
    the user writes; and the last decisions."""
    if scopes(request.user)[0].empty:
        raise PermissionDenied
    answers = (
        AgencyAnswer.objects.editable_by(request.user)
        .filter(state=AnswerState.SUBMITTED)
        .select_related("follow_up__council", "agency", "submitted_by")
        .order_by("submitted_at")
    )
    extensions = (
        ExtensionRequest.objects.editable_by(request.user)
        .filter(state=ExtensionState.PENDING)
        .select_related("follow_up__council", "agency", "requested_by")
        .order_by("requested_on", "pk")
    )
    decided = (
        AgencyAnswer.objects.visible_to(request.user)
        .exclude(state=AnswerState.SUBMITTED)
        .select_related("follow_up__council", "agency", "decided_by")
        .order_by("-decided_at")[:20]
    )
    answers_list = list(answers[:200])
    files = {a.pk: list(attachments_of(a)) for a in answers_list}
    return render(
        request,
        "agencies/queue.html",
        {
            "answers": [(a, files[a.pk]) for a in answers_list],
            "extensions": extensions[:200],
            "decided": decided,
            "accept_form": forms.AcceptForm(),
            "return_form": forms.ReturnForm(),
            "extension_form": forms.ExtensionDecisionForm(),
        },
    )


@object_view(AgencyAnswer, write=True, related=("follow_up__council",))
@require_POST
def answer_decide(request: AuthenticatedHttpRequest, answer: AgencyAnswer) -> HttpResponse:
    """Accept (the follow-up's answer is recorded) or return (with a reason) an answer."""
    try:
        if request.POST.get("action") == "accept":
            form = forms.AcceptForm(request.POST)
            status = form.cleaned_data["status"] if form.is_valid() else None
            services.agency_answer_accept(answer=answer, by=request.user, status=status)
            messages.success(request, _("The answer was accepted and recorded."))
        elif request.POST.get("action") == "return":
            services.agency_answer_return(
                answer=answer, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The answer was returned to the agency."))
        else:
            return HttpResponse(status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("agencies:queue")


@object_view(ExtensionRequest, write=True, related=("follow_up__council",))
@require_POST
def extension_decide(
    request: AuthenticatedHttpRequest, extension: ExtensionRequest
) -> HttpResponse:
    form = forms.ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the new due date."))
        return redirect("agencies:queue")
    try:
        if request.POST.get("action") == "accept":
            follow_up = services.extension_accept(
                request=extension,
                by=request.user,
                due=form.cleaned_data["due"],
                note=form.cleaned_data["note"],
            )
            messages.success(
                request,
                _("More time granted: %(explanation)s")
                % {"explanation": follow_up.due_explanation},
            )
        elif request.POST.get("action") == "refuse":
            services.extension_refuse(
                request=extension, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("The request was refused."))
        else:
            return HttpResponse(status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("agencies:queue")


# Responsiveness ---------------------------------------------------------------------------


def responsiveness_rows(
    user: Any, root: Council | None, include_below: bool, start: dt.date, end: dt.date
) -> list[Any]:
    qs: Any = FollowUp.objects.all() if user is None else FollowUp.objects.visible_to(user)
    qs = received_in(qs.filter(council_filter(root, include_below)), start, end)
    return agency_rows(list(qs))


def responsiveness_table(rows: list[Any]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Agency"),
        _("Received"),
        _("Answered on time"),
        _("Answered late"),
        _("Overdue, unanswered"),
        _("Median days to answer"),
        _("By field"),
    ]
    body = [
        [
            str(r.agency),
            r.received,
            r.on_time,
            r.late,
            r.overdue_unanswered,
            r.median_days if r.median_days is not None else "",
            "; ".join(f"{label} {share:.0%}" for label, _n, share in r.field_shares()),
        ]
        for r in rows
    ]
    return headers, body


@login_required
def responsiveness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per agency, for a council (and those below) and a period: received, answered on time,
    late, overdue unanswered, median days to answer, share by field; .xlsx export."""
    if scopes(request.user)[0].empty:
        raise PermissionDenied
    councils = Council.objects.visible_to(request.user).order_by("path")
    today = timezone.localdate()
    first = councils.first()
    initial = {
        "council": first.pk if first else None,
        "include_below": True,
        "date_from": dt.date(today.year, 1, 1),
        "date_to": today,
    }
    data = request.GET.copy()
    within = data.get("within")
    if within:  # the dashboard's link: a council with those below it
        data["council"], data["include_below"] = str(within), "on"
    data.pop("export", None)
    form = forms.PeriodForm(data or None, councils=councils, initial=initial)
    rows: list[Any] = []
    root: Council | None = first
    below, start, end = True, dt.date(today.year, 1, 1), today
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        root, below = cleaned["council"], cleaned["include_below"]
        start, end = cleaned["date_from"], cleaned["date_to"]
    elif form.is_bound:
        root = None
    if root is not None:
        rows = responsiveness_rows(request.user, root, below, start, end)
        if request.GET.get("export") in ("xlsx", "csv"):
            headers, body = responsiveness_table(rows)
            return export_response(
                request.GET["export"], "muc-do-dap-ung", _("Agency responsiveness"), headers, body
            )
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "agencies/responsiveness.html",
        {"form": form, "rows": rows, "root": root, "query": query.urlencode()},
    )
