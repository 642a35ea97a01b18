"""Views of the petitions app. Thin: access through the council scoping and
petitions.access, validation in forms, writes in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from councilportal.access import can_edit, object_view
from councilportal.documents.attachments import attachment_form, attachments_of
from councilportal.documents.services import document_request
from councilportal.documents.views import documents_panel
from councilportal.models import Attachment, Council, FollowUp, FollowUpAnswer
from councilportal.spreadsheets.io import export_response
from councilportal.typing import AuthenticatedHttpRequest, User
from councilportal.web.columns import Column
from councilportal.web.crud import ChildHistory, Register, ScopedDetailView, ScopedListView
from councilportal.web.forms import DateInput
from sessions.models import Session

from . import filters, forms, services
from .access import (
    access_log_rows,
    can_read_access_log,
    is_handler,
    label,
    may_reveal,
    petitioners_for_register,
    reveal,
)
from .documents import GUIDANCE_LETTER_UNREDACTED
from .models import (
    ForwardingSlip,
    IdentityAccess,
    ItemKind,
    Outcome,
    Petition,
    Petitioner,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    ReminderLetter,
    Status,
    VoterMeeting,
    VoterRecommendation,
)


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Petitions ------------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")  # names petitioners, in pages and exports
class PetitionRows(ScopedListView):
    """The petitions register: each row's kinds, status today, next due date and petitioner
    (redacted for a denunciation)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["petitions"] = [
            {
                "petition": p,
                "kinds": sorted({i.get_kind_display() for i in p.items.all()}),
                "status": Status(p.status_on(today)),
                "due": p.next_due,
                "confidential": p.is_confidential,
                "petitioner": p.petitioner_column,
            }
            for p in context["object_list"]
        ]
        return context


def _day(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _item_ids(petition: Any) -> Any:
    return PetitionItem.history.filter(petition_id=petition.pk).values("id")


def _follow_up_ids(petition: Any) -> Any:
    return (
        PetitionItem.history.filter(petition_id=petition.pk, follow_up_id__isnull=False)
        .values("follow_up_id")
        .distinct()
    )


# A petition's story: itself, its items (triage, forwarding, answer), forwarding slips,
# reminders, and the follow-ups with the agencies' answers. The petitioners' identities are no
# part of it (a denouncer's stays sealed, Law on Denunciations 2018, art. 47).
PETITION_HISTORY = (
    ChildHistory(
        gettext_lazy("Item"),
        lambda p: PetitionItem.history.filter(petition_id=p.pk),
        lambda r: f"{r.position}. {r.get_kind_display()}",
    ),
    ChildHistory(
        gettext_lazy("Forwarding slip"),
        lambda p: ForwardingSlip.history.filter(item_id__in=_item_ids(p)),
        lambda r: f"{r.number:02d}/PC-HĐND ({r.year})",
    ),
    ChildHistory(
        gettext_lazy("Reminder letter"),
        lambda p: ReminderLetter.history.filter(item_id__in=_item_ids(p)),
        lambda r: f"{r.number:02d}/HĐND-ĐĐ ({_day(r.sent_on)})",
    ),
    ChildHistory(
        gettext_lazy("Follow-up"),
        lambda p: FollowUp.history.filter(id__in=_follow_up_ids(p)),
        lambda r: _day(r.sent_on),
    ),
    ChildHistory(
        gettext_lazy("Answer"),
        lambda p: FollowUpAnswer.history.filter(follow_up_id__in=_follow_up_ids(p)),
        lambda r: _day(r.received_on),
    ),
)


def _intake_people(formset: Any) -> list[services.PersonData]:
    people = []
    for data in formset.cleaned_data:
        if data and any(data.get(k) for k in ("full_name", "address", "phone", "id_number")):
            people.append(
                services.PersonData(
                    full_name=data.get("full_name", ""),
                    address=data.get("address", ""),
                    phone=data.get("phone", ""),
                    id_number=data.get("id_number", ""),
                    is_representative=data.get("is_representative", False),
                )
            )
    return people


@never_cache  # what was typed, identity included, must not stay in a cache
@login_required
def petition_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Intake: the petition, its items (a formset) and its petitioners (a formset). Earlier
    petitions of the same petitioner or subject are offered for linking before saving."""
    if not Council.objects.editable_by(request.user).exists():
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    form = forms.IntakeForm(post, request.FILES or None, user=request.user)
    items = forms.ItemFormSet(post, prefix="items")
    people = forms.PersonFormSet(post, prefix="people")
    candidates: list[Petition] = []
    if post is not None and form.is_valid() and items.is_valid() and people.is_valid():
        data = form.cleaned_data
        persons = _intake_people(people)
        if not data["duplicate_of"] and "no_duplicate" not in post:
            candidates = services.duplicate_candidates(
                council=data["council"],
                people=persons,
                subject=data["subject"],
                by=request.user,
                confidential=any(
                    row.get("kind") == ItemKind.DENUNCIATION for row in items.cleaned_data if row
                ),
            )
        if not candidates:
            try:
                with transaction.atomic():
                    petition = services.petition_receive(
                        council=data["council"],
                        channel=data["channel"],
                        received_on=data["received_on"],
                        subject=data["subject"],
                        forwarded_by=data["forwarded_by"],
                        is_group=data["is_group"],
                        is_anonymous=data["is_anonymous"],
                        reception=data["reception"],
                        duplicate_of=data["duplicate_of"],
                        items=[services.ItemData(**row) for row in items.cleaned_data if row],
                        people=persons,
                        by=request.user,
                    )
                    if data["scan"]:
                        _attach_scan(petition, data["scan"], request.user)
                messages.success(
                    request, _("Petition %(p)s has been registered.") % {"p": petition}
                )
                return redirect(petition)
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "petitions/petition_form.html",
        {"form": form, "items": items, "people": people, "candidates": candidates},
    )


def _attach_scan(petition: Petition, upload: Any, by: User) -> Attachment:
    return services.petition_scan_attach(petition=petition, upload=upload, by=by)


def _items_of(petition: Petition) -> list[PetitionItem]:
    return list(
        PetitionItem.objects.filter(petition=petition)
        .select_related("agency", "follow_up", "slip", "triaged_by")
        .prefetch_related("reminders", "follow_up__answers")
        .order_by("position", "pk")
    )


@never_cache  # a petition that is not confidential names its petitioners
@object_view(Petition, related=("council", "duplicate_of", "reception", "created_by"))
def petition_detail(request: AuthenticatedHttpRequest, petition: Petition) -> HttpResponse:
    items = _items_of(petition)
    petition._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
    confidential = petition.is_confidential
    # A petition that is not confidential names its petitioners on the page; a confidential
    # one names them only on the logged identity page.
    identities = [] if confidential else reveal(petition=petition, by=request.user)
    today = timezone.localdate()
    for item in items:
        item.docs = documents_panel(request.user, item)  # type: ignore[attr-defined]
        slip = getattr(item, "slip", None)
        if slip is not None:
            slip.docs = documents_panel(request.user, slip)
        for letter in item.reminders.all():
            letter.docs = documents_panel(request.user, letter)  # type: ignore[attr-defined]
    context = {
        "petition": petition,
        "object": petition,
        "items": items,
        "status": Status(petition.status_on(today)),
        "confidential": confidential,
        "petitioner_label": label(petition, identities),
        "identities": identities,
        "may_reveal": confidential and may_reveal(request.user, petition),
        "can_edit": can_edit(request.user, petition),
        "attachments": attachments_of(petition),
        "repeats": list(petition.repeats.order_by("received_on")),
        "forwarded": any(item.follow_up_id for item in items),
        "forward_form": forms.ForwardForm(
            council=petition.council, user=request.user, initial={"on": today}
        ),
        "triage_form": forms.TriageForm(initial={"on": today}),
        "answer_form": forms.AnswerForm(initial={"received_on": today}),
        "day_form": forms.DayForm(initial={"on": today}),
        "today": today,
        "is_handler": is_handler(request.user, petition.council),
    }
    return render(request, "petitions/petition_detail.html", context)


petitions = Register(
    Petition,
    namespace="petitions",
    form=forms.PetitionEditForm,
    filterset=filters.PetitionFilter,
    list_template="petitions/petition_list.html",
    select_related=("council",),
    prefetch_related=(
        Prefetch("items", queryset=PetitionItem.objects.select_related("follow_up")),
        Prefetch("petitioners", queryset=petitioners_for_register()),
    ),
    columns=[
        Column("number", gettext_lazy("Number"), "number"),
        Column("received_on", gettext_lazy("Received on"), "received_on"),
        Column("subject", pgettext_lazy("petition", "Subject"), "subject"),
    ],
    # "Xuất Excel" (the core's export): the petitioner's name as on the detail page, but a
    # denunciation reads "Người tố cáo (bảo mật)" (Law on Denunciations 2018, art. 47).
    export_columns=[
        Column("register_number", gettext_lazy("Number")),
        Column("received_on", gettext_lazy("Received on")),
        Column("subject", pgettext_lazy("petition", "Subject")),
        Column("petitioner_column", gettext_lazy("Petitioner")),
        Column("kinds_label", gettext_lazy("Kind")),
        Column("council", gettext_lazy("Council")),
        Column("status_label", gettext_lazy("Status")),
    ],
    list=PetitionRows,
    create=petition_create,
    detail=petition_detail,
    delete=False,
    child_histories=PETITION_HISTORY,
)


ACTIONS = {"forward", "guide", "archive", "monitor", "answer", "close", "remind"}


@object_view(PetitionItem, write=True, related=("petition__council", "follow_up"))
@require_POST
def item_action(request: AuthenticatedHttpRequest, item: PetitionItem) -> HttpResponse:
    """The workflow buttons of an item: forward, guide, file away, monitor, record an answer,
    close, send a reminder letter."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(item)
    petition = item.petition
    try:
        if action == "forward":
            form: Any = forms.ForwardForm(request.POST, council=petition.council, user=request.user)
            if form.is_valid():
                slip = services.item_forward(
                    item=item,
                    agency=form.cleaned_data["agency"],
                    on=form.cleaned_data["on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                services.letter_print(letter=slip, by=request.user)
                messages.success(
                    request,
                    _("Forwarded to %(agency)s with forwarding slip no. %(slip)s.")
                    % {"agency": item.agency, "slip": slip},
                )
        elif action == "answer":
            form = forms.AnswerForm(request.POST)
            if form.is_valid():
                services.item_answer(item=item, by=request.user, **form.cleaned_data)
                messages.success(request, _("The answer has been recorded."))
        elif action in ("close", "remind"):
            form = forms.DayForm(request.POST)
            if form.is_valid():
                if action == "close":
                    services.item_close(item=item, on=form.cleaned_data["on"], by=request.user)
                    messages.success(request, _("The item has been closed."))
                else:
                    letter = services.reminder_send(
                        item=item, on=form.cleaned_data["on"], by=request.user
                    )
                    services.letter_print(letter=letter, by=request.user)
                    messages.success(
                        request, _("Reminder letter no. %(n)s is being generated.") % {"n": letter}
                    )
        else:
            form = forms.TriageForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                if action == "guide":
                    services.item_guide(
                        item=item, on=data["on"], note=data["note"], by=request.user
                    )
                elif action == "archive":
                    services.item_archive(
                        item=item,
                        on=data["on"],
                        reason=data["reason"],
                        note=data["note"],
                        by=request.user,
                    )
                else:
                    services.item_monitor(
                        item=item, on=data["on"], note=data["note"], by=request.user
                    )
                messages.success(request, _("Saved."))
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    name = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{name}: {error}" if name else error)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(item)


@object_view(Petition, related=("council",))
def petition_identity(request: AuthenticatedHttpRequest, petition: Petition) -> HttpResponse:
    """The petitioners' identity: for a denunciation, handlers only, and every view logged."""
    identities = reveal(petition=petition, by=request.user)  # raises 403 for anyone else
    people = Petitioner.objects.visible_to(request.user).filter(petition=petition)
    scans = list(
        Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(Petitioner),
            owner_id__in=[p.pk for p in people],
        )
    )
    response = render(
        request,
        "petitions/petition_identity.html",
        {
            "petition": petition,
            "identities": identities,
            "scans": scans,
            "confidential": petition.is_confidential,
            "guided_items": [i for i in petition.items.all() if i.outcome == Outcome.GUIDE],
        },
    )
    # The identity must not stay in a browser or proxy cache.
    response["Cache-Control"] = "private, no-store"
    return response


@object_view(PetitionItem, write=True, related=("petition__council",))
@require_POST
def item_unredacted_copy(request: AuthenticatedHttpRequest, item: PetitionItem) -> HttpResponse:
    """A handler explicitly asks for an unredacted guidance letter: logged, then rendered; only
    handlers may read the file."""
    if item.outcome != Outcome.GUIDE:
        messages.error(request, _("Only a guidance letter has an unredacted copy."))
        return redirect(item)
    reveal(petition=item.petition, by=request.user, action=IdentityAccess.UNREDACTED_COPY)
    document = document_request(kind=GUIDANCE_LETTER_UNREDACTED.key, source=item, by=None)
    document.requested_by = request.user  # type: ignore[assignment]
    document.save(update_fields=["requested_by"])
    messages.info(request, _("The unredacted copy has been queued; its request is logged."))
    return redirect(document)


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who read a denouncer's identity, when, for which petition: for leaders and handlers."""
    if not can_read_access_log(request.user):
        raise PermissionDenied
    from django.core.paginator import Paginator

    page = Paginator(access_log_rows(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/access_log.html",
        {
            "page_obj": page,
            "rows": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
        },
    )


# Statistics -----------------------------------------------------------------------------------


def _typed_date(text: str) -> dt.date | None:
    """dd/mm/yyyy as the portal's date fields write it (ISO still read: older links)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _period(request: AuthenticatedHttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = _typed_date(request.GET.get("from", "")) or today.replace(month=1, day=1)
    end = _typed_date(request.GET.get("to", "")) or today
    if end < start:
        start, end = end, start
    return start, end


def petition_figures(items: Any, start: dt.date, end: dt.date) -> dict[str, int]:
    """The petition figures of a period in one aggregation query (DOMAIN.md §8, point 6)."""
    open_states = ["open", "partly_done"]
    qs = items.filter(petition__received_on__gte=start, petition__received_on__lte=end)
    return qs.aggregate(
        petitions=Count("petition", distinct=True),
        items=Count("pk"),
        complaints=Count("pk", filter=Q(kind=ItemKind.COMPLAINT)),
        denunciations=Count("pk", filter=Q(kind=ItemKind.DENUNCIATION)),
        recommendations=Count("pk", filter=Q(kind=ItemKind.RECOMMENDATION)),
        reflections=Count("pk", filter=Q(kind=ItemKind.REFLECTION)),
        eligible=Count(
            "pk",
            filter=Q(triaged_on__lte=end)
            & Q(outcome__in=[Outcome.FORWARD, Outcome.GUIDE, Outcome.MONITOR]),
        ),
        forwarded=Count("pk", filter=Q(outcome=Outcome.FORWARD, triaged_on__lte=end)),
        guided=Count("pk", filter=Q(outcome=Outcome.GUIDE, triaged_on__lte=end)),
        archived=Count("pk", filter=Q(outcome=Outcome.ARCHIVE, triaged_on__lte=end)),
        answered=Count(
            "pk",
            filter=Q(answered_on__lte=end) | Q(follow_up__closed_on__lte=end),
        ),
        overdue=Count(
            "pk",
            filter=(Q(triage_due__lt=end) & (Q(triaged_on__isnull=True) | Q(triaged_on__gt=end)))
            | (
                Q(follow_up__due_date__lt=end)
                & Q(follow_up__status__in=open_states)
                & Q(answered_on__isnull=True)
            ),
        ),
    )


def recommendation_figures(rows: Any, start: dt.date, end: dt.date) -> dict[str, int]:
    qs = rows.filter(
        merged_into__isnull=True,
        session__planned_start__gte=start,
        session__planned_start__lte=end,
    )
    figures = qs.aggregate(
        items=Count("pk"),
        raised=Sum("times_raised"),
        forwarded=Count("pk", filter=Q(follow_up__isnull=False)),
        answered=Count("pk", filter=services.answered()),
        resolved=Count("pk", filter=Q(outcome="resolved")),
        carried_over=Count("pk", filter=services.carried_over()),
    )
    figures["raised"] = figures["raised"] or 0
    return figures


@login_required
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    councils = Council.objects.visible_to(request.user)
    council = None
    if request.GET.get("council", "").isdigit():
        council = councils.filter(pk=int(request.GET["council"])).first()
    council = council or councils.order_by("depth", "path").first()
    start, end = _period(request)
    petition_stats: dict[str, int] = {}
    voter_stats: dict[str, int] = {}
    if council is not None:
        subtree = Q(petition__council__path__subtree=council.path)
        items = PetitionItem.objects.visible_to(request.user).filter(subtree)
        petition_stats = petition_figures(items, start, end)
        recs = VoterRecommendation.objects.visible_to(request.user).filter(
            council__path__subtree=council.path
        )
        voter_stats = recommendation_figures(recs, start, end)
    if request.GET.get("export") in ("xlsx", "csv") and council is not None:
        return export_response(
            request.GET["export"],
            "thong-ke-don-thu",
            str(_("Petition and voter statistics")),
            [_("Council"), _("From"), _("To"), _("Figure"), _("Number")],
            [
                [str(council), start, end, label, number]
                for figures, rows in ((petition_stats, PETITION_ROWS), (voter_stats, VOTER_ROWS))
                for label, number in _figure_rows(figures, rows)
            ],
        )
    return render(
        request,
        "petitions/statistics.html",
        {
            "councils": councils,
            "council": council,
            "start": start,
            "end": end,
            "p": petition_stats,
            "v": voter_stats,
            "petition_rows": _figure_rows(petition_stats, PETITION_ROWS),
            "voter_rows": _figure_rows(voter_stats, VOTER_ROWS),
            "crumb": _("Petition and voter statistics"),
            "from_input": DateInput(attrs=_DATE_ATTRS | {"id": "st-from"}).render("from", start),
            "to_input": DateInput(attrs=_DATE_ATTRS | {"id": "st-to"}).render("to", end),
        },
    )


_DATE_ATTRS = {"class": "form-control form-control-sm"}


def _figure_rows(figures: dict[str, int], rows: list[tuple[Any, ...]]) -> list[tuple[str, int]]:
    """(label, number) of each row; the kinds of item are indented under the items."""
    return [
        (("— " if len(row) > 2 else "") + str(row[1]), figures.get(row[0], 0) or 0) for row in rows
    ]


# The rows of the statistics table, on the page and in its Excel export.
PETITION_ROWS: list[tuple[Any, ...]] = [
    ("petitions", gettext_lazy("Petitions received")),
    ("items", gettext_lazy("Items received")),
    ("complaints", gettext_lazy("Complaint"), True),
    ("denunciations", gettext_lazy("Denunciation"), True),
    ("recommendations", gettext_lazy("Recommendation"), True),
    ("reflections", gettext_lazy("Reflection"), True),
    ("eligible", gettext_lazy("Eligible")),
    ("forwarded", gettext_lazy("Forwarded")),
    ("guided", gettext_lazy("Guided")),
    ("archived", gettext_lazy("Filed away")),
    ("answered", gettext_lazy("Answered")),
    ("overdue", gettext_lazy("Overdue")),
]
VOTER_ROWS: list[tuple[Any, ...]] = [
    ("items", gettext_lazy("Recommendations (after merging)")),
    ("raised", gettext_lazy("Times raised at meetings")),
    ("forwarded", gettext_lazy("Forwarded")),
    ("answered", gettext_lazy("Answered")),
    ("resolved", gettext_lazy("Resolved")),
    ("carried_over", gettext_lazy("Carried over")),
]


# Registers: reception, voter contact ---------------------------------------------------------


class RecordDetail(ScopedDetailView):
    """A reception record with the petitions received at it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["petitions"] = list(self.object.petitions.order_by("received_on", "pk"))
        return context


class VoterMeetingDetail(ScopedDetailView):
    """A voter-contact meeting with its minutes and the recommendations raised at it."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["attachments"] = attachments_of(self.object)
        context["upload_form"] = attachment_form(self.object)
        context["recommendations"] = list(
            self.object.recommendations.filter(merged_into__isnull=True).order_by("field", "pk")
        )
        return context


schedules = Register(
    ReceptionSchedule,
    namespace="petitions",
    noun="schedule",
    form=forms.ScheduleForm,
    filterset=filters.ScheduleFilter,
    columns=[
        Column("date", gettext_lazy("Date"), "date", link=True),
        Column("council", gettext_lazy("Council")),
        Column("place", gettext_lazy("Place"), "place"),
        Column("receivers", gettext_lazy("Received by")),
    ],
    fields_shown=["council", "date", "place", "receivers", "note"],
    select_related=("council",),
)
records = Register(
    ReceptionRecord,
    namespace="petitions",
    noun="record",
    form=forms.RecordForm,
    filterset=filters.RecordFilter,
    columns=[
        Column("date", gettext_lazy("Date"), "date", link=True),
        Column("council", gettext_lazy("Council")),
        Column("received_by", gettext_lazy("Received by")),
        Column("citizens", gettext_lazy("Citizens"), "citizens"),
        Column("summary", gettext_lazy("What was raised")),
    ],
    fields_shown=["council", "schedule", "date", "received_by", "citizens", "is_group", "summary"],
    select_related=("council",),
    detail_template="petitions/record_detail.html",
    detail=RecordDetail,
)
voter_meetings = Register(
    VoterMeeting,
    namespace="petitions",
    noun="votermeeting",
    form=forms.VoterMeetingForm,
    filterset=filters.VoterMeetingFilter,
    columns=[
        Column("date", gettext_lazy("Date"), "date", link=True),
        Column("council", gettext_lazy("Council")),
        Column("timing", gettext_lazy("Timing")),
        Column("electoral_unit", gettext_lazy("Electoral unit")),
        Column("place", gettext_lazy("Place")),
        Column("voters_attending", gettext_lazy("Voters"), "voters"),
    ],
    fields_shown=[
        "council",
        "session",
        "timing",
        "delegate_group",
        "electoral_unit",
        "place",
        "date",
        "delegates_attending",
        "voters_attending",
    ],
    select_related=("council", "session__term", "delegate_group"),
    detail_template="petitions/votermeeting_detail.html",
    detail=VoterMeetingDetail,
)


class UnmergedList(ScopedListView):
    """The recommendations not merged into another, with the sessions a report is made for."""

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .filter(merged_into__isnull=True)
            .select_related("follow_up")
            .prefetch_related("follow_up__answers")
            .annotate(carried=services.carried_over())
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # EXISTS, not a join made DISTINCT: the join read every recommendation of the country.
        raised = VoterRecommendation.objects.filter(session=OuterRef("pk"))
        context["report_sessions"] = list(
            Session.objects.editable_by(self.request.user)
            .filter(Exists(raised))
            .select_related("term", "council")
            .order_by("-planned_start")[:30]
        )
        return context


class MergeableDetail(ScopedDetailView):
    """A recommendation with the duplicates merged into it and the form to merge more."""

    select_related = (
        "council",
        "agency",
        "committee",
        "session__term",
        "merged_into",
        "follow_up",
    )
    fields_shown = [
        "council",
        "session",
        "content",
        "field",
        "committee",
        "agency",
        "locality",
        "meetings",
        "times_raised",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rec = self.object
        # The forwarding and the answer: the follow-up's (the same rows as before it owned one).
        context["fields"] += [
            (_("forwarded on"), rec.forwarded_on, None),
            (_("answer document"), rec.answer_reference, None),
            (_("answered on"), rec.answered_on, None),
            (_("answer"), rec.answer_summary, None),
            (_("outcome"), rec.get_outcome_display(), None),
            (_("sessions open"), rec.sessions_open, None),
            (_("merged into"), rec.merged_into, VoterRecommendation),
        ]
        context["merge_form"] = forms.MergeForm(keep=self.object)
        context["merged"] = list(self.object.merged.all())
        return context


recommendations = Register(
    VoterRecommendation,
    namespace="petitions",
    noun="recommendation",
    form=forms.RecommendationForm,
    filterset=filters.RecommendationFilter,
    select_related=("council", "agency", "session__term"),
    list_template="petitions/recommendation_list.html",
    detail_template="petitions/recommendation_detail.html",
    columns=[
        Column("content", gettext_lazy("Content"), link=True),
        Column("session", gettext_lazy("Source session")),
        Column("field", gettext_lazy("Field")),
        Column("agency", gettext_lazy("Agency addressed")),
        Column("times_raised", gettext_lazy("Times raised"), "times_raised"),
        Column("outcome", gettext_lazy("Outcome")),
        Column("is_carried_over", gettext_lazy("Carried over")),
    ],
    list=UnmergedList,
    detail=MergeableDetail,
)


@object_view(VoterRecommendation, write=True)
@require_POST
def recommendation_merge(
    request: AuthenticatedHttpRequest, keep: VoterRecommendation
) -> HttpResponse:
    form = forms.MergeForm(request.POST, keep=keep)
    if form.is_valid():
        try:
            services.recommendation_merge(keep=keep, others=list(form.cleaned_data["others"]))
            messages.success(request, _("The duplicates have been merged."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose the duplicates to merge."))
    return redirect(keep)


__all__ = ["ForwardingSlip", "ReminderLetter"]
