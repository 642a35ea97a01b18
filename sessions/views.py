"""Views of the sessions app. Thin: access in councilportal.access, validation in forms,
writes in services."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from councilportal.access import can_edit, get_for_user, object_view
from councilportal.documents.attachments import attachment_form, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.models import Attachment, Delegate, FollowUp
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import ChildHistory, Register, ScopedFormMixin
from supervision.models import Question, Questioning

from . import access as delegate_access
from . import filters, forms, services
from .access import can_change_proceedings
from .models import (
    AgendaItem,
    Attendance,
    ConfidenceMilestone,
    ConfidenceRating,
    ConfidenceVote,
    DocumentRead,
    ElectronicBallot,
    ElectronicVote,
    ElectronicVoteStatus,
    Meeting,
    Minutes,
    Presence,
    Session,
    Sitting,
    SpeakingRequest,
    Vote,
)


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Sessions -----------------------------------------------------------------------------------


class StatusFollowsDates(ScopedFormMixin):
    """Dates held, entered after the fact, move a planned session along."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302:
            services.session_status_follow(session=self.object)
        return response


def _date(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _attendance_line(r: Any) -> str:
    who = r.delegate.full_name if r.delegate else ""
    return f"{_date(r.sitting.date) if r.sitting else ''} — {who}: {r.get_presence_display()}"


# A session's story: itself, its agenda, sitting days and attendance, votes, confidence vote
# and minutes (deleted children included: their history rows outlive them).
SESSION_HISTORY = (
    ChildHistory(
        gettext_lazy("Agenda item"),
        lambda s: AgendaItem.history.filter(session_id=s.pk),
        lambda r: f"{r.position}. {r.title}",
    ),
    ChildHistory(
        gettext_lazy("Sitting day"),
        lambda s: Sitting.history.filter(session_id=s.pk),
        lambda r: _date(r.date),
    ),
    ChildHistory(
        gettext_lazy("Attendance"),
        lambda s: Attendance.history.filter(
            sitting_id__in=Sitting.history.filter(session_id=s.pk).values("id")
        ).select_related("sitting", "delegate"),
        _attendance_line,
    ),
    ChildHistory(
        gettext_lazy("Vote"),
        lambda s: Vote.history.filter(
            item_id__in=AgendaItem.history.filter(session_id=s.pk).values("id")
        ),
        lambda r: r.subject,
    ),
    ChildHistory(
        gettext_lazy("Confidence vote"),
        lambda s: ConfidenceVote.history.filter(session_id=s.pk),
        lambda r: _date(r.held_on),
    ),
    ChildHistory(
        gettext_lazy("Minutes"),
        lambda s: Minutes.history.filter(session_id=s.pk),
        lambda r: r.get_status_display(),
    ),
)


@object_view(Session, related=("council", "term"))
def session_detail(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    items = list(
        session.items.select_related("sitting")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.order_by("held_on", "pk")))
        .order_by("position")
    )
    Vote.prime([v for item in items for v in item.votes.all()], session.council)
    sittings = list(
        session.sittings.annotate(
            attending=Count(
                "attendance", filter=Q(attendance__presence__in=[Presence.PRESENT, Presence.LATE])
            ),
            recorded=Count("attendance"),
        )
    )
    minutes = Minutes.objects.filter(session=session).first()  # created by the first action
    confidence = ConfidenceVote.objects.filter(session=session).first()
    context = {
        "session": session,
        "object": session,
        "items": items,
        "sittings": sittings,
        "delegate_total": session.delegate_total(),
        "dossier": services.dossier_check(session),
        "request_ok": session.request_reaches_threshold(),
        "can_edit": can_edit(request.user, session),
        "is_open": not session.is_closed,
        "confidence": confidence,
        "minutes": minutes,
        "minutes_document": services.latest_minutes_document(minutes) if minutes else None,
        "minutes_events": list(minutes.events.select_related("by"))
        if minutes and minutes.pk
        else [],
        "sitting_form": forms.SittingForm(),
        "reopen_form": forms.ReopenForm(),
        **documents_panel(request.user, session),
    }
    return render(request, "sessions/session_detail.html", context)


sessions = Register(
    Session,
    namespace="sessions",
    form=forms.SessionForm,
    filterset=filters.SessionFilter,
    select_related=("council", "term"),
    list_template="sessions/session_list.html",
    columns=[
        Column("__str__", gettext_lazy("Session"), "ordinal", link=True),
        Column("council", gettext_lazy("Council"), "council"),
        Column("kind", gettext_lazy("Kind")),
        Column("planned_start", gettext_lazy("Opening"), "planned_start"),
        Column("planned_end", gettext_lazy("Closing")),
        Column("status", gettext_lazy("Status")),
    ],
    create=StatusFollowsDates,
    update=StatusFollowsDates,
    detail=session_detail,
    child_histories=SESSION_HISTORY,
)


@object_view(Session, write=True)
@require_POST
def session_advance(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    try:
        services.session_advance(session=session, by=request.user)
        messages.success(
            request, _("Status: %(status)s.") % {"status": session.get_status_display()}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(session)


@login_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upcoming sessions and meetings of the user's councils, month by month."""
    today = timezone.localdate()
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else today
        )
    except ValueError:
        start = today
    start = start.replace(day=1)
    end = (start + dt.timedelta(days=93)).replace(day=1)
    sessions = (
        Session.objects.visible_to(request.user)
        .select_related("council", "term")
        .filter(planned_end__gte=start, planned_start__lt=end)
    )
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("council")
        .filter(date__gte=start, date__lt=end)
    )
    months: dict[dt.date, list[tuple[dt.date, str, Any]]] = defaultdict(list)
    for s in sessions:
        months[s.opening.replace(day=1)].append((s.opening, "session", s))
    for m in meetings:
        months[m.date.replace(day=1)].append((m.date, "meeting", m))
    ordered = [
        (month, sorted(entries, key=lambda e: e[0])) for month, entries in sorted(months.items())
    ]
    previous = (start - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "sessions/calendar.html",
        {
            "months": ordered,
            "start": start,
            "end": end - dt.timedelta(days=1),
            "previous": previous,
            "next": end,
            "today": today,
        },
    )


# Agenda items -------------------------------------------------------------------------------


@object_view(Session, write=True)
def item_create(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    form = forms.AgendaItemForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        if session.is_closed:
            messages.error(
                request,
                _("The session is closed: its attendance, votes and agenda can no longer change."),
            )
            return redirect(session)
        try:
            services.item_add(item=form.save(commit=False), session=session)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect(session)
        messages.success(request, _("Saved."))
        return redirect(session.get_absolute_url() + "#agenda")
    return render(request, "sessions/item_form.html", {"form": form, "session": session})


@object_view(AgendaItem, related=("session__council", "session__term", "sitting"))
@require_safe
def item_detail(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    editable = can_edit(request.user, item)
    return render(
        request,
        "sessions/item_detail.html",
        {
            "item": item,
            "object": item,
            "session": item.session,
            "votes": item.votes.all(),
            "evotes": item.electronic_votes.all(),
            "speakers": item.speaking_requests.count(),
            "attachments": attachments_of(item),
            "upload_form": attachment_form(item),
            "can_edit": editable,
        },
    )


@object_view(AgendaItem, write=True, related=("session",))
def item_update(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    form = forms.AgendaItemForm(request.POST or None, instance=item, session=item.session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(item)
    return render(
        request, "sessions/item_form.html", {"form": form, "session": item.session, "item": item}
    )


def _item_move(request: AuthenticatedHttpRequest, item: AgendaItem, up: bool) -> HttpResponse:
    try:
        services.item_move(item=item, up=up)
    except ValidationError as exc:
        _errors(request, exc)
    if getattr(request, "htmx", False):
        return _agenda_partial(request, item.session)
    return redirect(item.session.get_absolute_url() + "#agenda")


def _agenda_partial(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    items = list(
        session.items.select_related("sitting").prefetch_related("votes").order_by("position")
    )
    Vote.prime([v for item in items for v in item.votes.all()], session.council)
    return render(
        request,
        "sessions/_agenda.html",
        {
            "session": session,
            "items": items,
            "can_edit": True,
            "is_open": not session.is_closed,
            "dossier": services.dossier_check(session),
        },
    )


@object_view(AgendaItem, write=True, related=("session",))
@require_POST
def item_up(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    return _item_move(request, item, True)


@object_view(AgendaItem, write=True, related=("session",))
@require_POST
def item_down(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    return _item_move(request, item, False)


@object_view(AgendaItem, write=True, related=("session",))
@require_http_methods(["GET", "HEAD", "POST"])
def item_delete(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    if request.method == "POST":
        session = item.session
        try:
            services.item_delete(item=item)
            messages.success(request, _("Deleted."))
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(session.get_absolute_url() + "#agenda")
    return render(
        request,
        "sessions/confirm.html",
        {"object": item, "title": _("Delete the agenda item?"), "back": item.get_absolute_url()},
    )


# Attendance ---------------------------------------------------------------------------------


@object_view(Session, write=True)
@require_POST
def sitting_create(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    form = forms.SittingForm(request.POST)
    if form.is_valid():
        try:
            sitting = services.sitting_add(session=session, date=form.cleaned_data["date"])
            return redirect(sitting)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(session.get_absolute_url() + "#attendance")


def _delegates_for(session: Session, day: dt.date) -> list[Delegate]:
    return list(
        Delegate.objects.in_office(day)
        .filter(term__council=session.council)
        .order_by("full_name", "pk")
    )


@object_view(Sitting, related=("session__council", "session__term"))
def sitting_attendance(request: AuthenticatedHttpRequest, sitting: Sitting) -> HttpResponse:
    session = sitting.session
    delegates = _delegates_for(session, sitting.date)
    existing = {a.delegate_id: a for a in sitting.attendance.all()}
    form = forms.AttendanceForm(request.POST or None, delegates=delegates, initial_rows=existing)
    if request.method == "POST":
        if not can_edit(request.user, session):
            raise PermissionDenied
        if session.is_closed:
            messages.error(
                request,
                _("The session is closed: its attendance, votes and agenda can no longer change."),
            )
            return redirect(sitting)
        if form.is_valid():
            try:
                counts = services.attendance_record(sitting=sitting, rows=form.rows())
                messages.success(
                    request,
                    _("Saved: %(present)s of %(total)s delegates attending.")
                    % {"present": counts["attending"], "total": counts["total"]},
                )
                return redirect(sitting)
            except ValidationError as exc:
                _errors(request, exc)
    return render(
        request,
        "sessions/attendance.html",
        {
            "sitting": sitting,
            "session": session,
            "form": form,
            "counts": services.attendance_counts(sitting),
            "can_edit": can_change_proceedings(request.user, session),
            "recorded": bool(existing),
            "unmarked": {d.pk for d in delegates if d.pk not in existing} if existing else set(),
        },
    )


# Votes --------------------------------------------------------------------------------------


def _vote_form(
    request: AuthenticatedHttpRequest, item: AgendaItem, vote: Vote | None
) -> HttpResponse:
    session = item.session
    day = vote.held_on if vote else (session.actual_start or session.planned_start)
    delegates = _delegates_for(session, day)
    initial: dict[str, Any] = {"held_on": day, "majority": "vote.ordinary", "subject": item.title}
    ballots = None
    if vote is not None:
        initial.update(
            subject=vote.subject,
            majority=vote.majority,
            held_on=vote.held_on,
            votes_for=vote.votes_for,
            votes_against=vote.votes_against,
            abstentions=vote.abstentions,
            roll_call=vote.is_roll_call,
        )
        ballots = dict(vote.ballots.values_list("delegate_id", "choice"))
    form = forms.VoteForm(
        request.POST or None,
        initial=initial,
        delegates=delegates,
        ballots=ballots,
        record=vote,
        absent_on=lambda day: services.absent_on(session=session, day=day),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.vote_record(
                item=item,
                subject=data["subject"],
                majority=data["majority"],
                held_on=data["held_on"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                abstentions=data["abstentions"],
                ballots=form.ballots(),
                vote=vote,
            )
            messages.success(request, _("Saved."))
            return redirect(saved)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "sessions/vote_form.html",
        {"form": form, "item": item, "session": session, "vote": vote},
    )


@object_view(AgendaItem, write=True, related=("session__council",))
def vote_create(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    if item.session.is_closed:
        messages.error(
            request,
            _("The session is closed: its attendance, votes and agenda can no longer change."),
        )
        return redirect(item)
    return _vote_form(request, item, None)


@object_view(Vote, write=True, related=("item__session__council",))
def vote_update(request: AuthenticatedHttpRequest, vote: Vote) -> HttpResponse:
    if vote.item.session.is_closed:
        messages.error(
            request,
            _("The session is closed: its attendance, votes and agenda can no longer change."),
        )
        return redirect(vote)
    return _vote_form(request, vote.item, vote)


@object_view(Vote, related=("item__session__council", "item__session__term"))
def vote_detail(request: AuthenticatedHttpRequest, vote: Vote) -> HttpResponse:
    ballots = (
        vote.ballots.select_related("delegate").order_by("delegate__full_name")
        if vote.is_roll_call
        else []
    )
    return render(
        request,
        "sessions/vote_detail.html",
        {
            "vote": vote,
            "object": vote,
            "item": vote.item,
            "session": vote.item.session,
            "ballots": ballots,
            "can_edit": can_change_proceedings(request.user, vote.item.session),
        },
    )


# Confidence votes ---------------------------------------------------------------------------


@object_view(Session, write=True, related=("council", "term"))
def confidence_edit(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    vote = ConfidenceVote.objects.filter(session=session).first()
    if vote is None:
        vote = ConfidenceVote(
            session=session, held_on=session.closing, total_delegates=session.delegate_total()
        )
    form = forms.ConfidenceVoteForm(request.POST or None, instance=vote, prefix="vote")
    ratings_qs = (
        ConfidenceRating.objects.filter(confidence_vote=vote)
        if vote.pk
        else ConfidenceRating.objects.none()
    )
    formset = forms.RatingFormSet(request.POST or None, queryset=ratings_qs, prefix="r")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            # The deletions and the service's writes stand or fall together.
            with transaction.atomic():
                vote = form.save(commit=False)
                ratings = []
                for n, sub in enumerate(formset.forms):
                    if not sub.has_changed() and not sub.instance.pk:
                        continue
                    if formset.can_delete and formset._should_delete_form(sub):  # type: ignore[attr-defined]
                        if sub.instance.pk:
                            sub.instance.delete()
                        continue
                    rating = sub.save(commit=False)
                    rating.position = n + 1
                    ratings.append(rating)
                opened = services.confidence_save(vote=vote, ratings=ratings, by=request.user)
                messages.success(request, _("Saved."))
                if opened:
                    messages.warning(
                        request,
                        _("%(n)s follow-up(s) opened for officials rated low by over half.")
                        % {"n": len(opened)},
                    )
                return redirect(vote)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "sessions/confidence_form.html",
        {"form": form, "formset": formset, "session": session, "vote": vote},
    )


@object_view(ConfidenceVote, related=("session__council", "session__term"))
def confidence_detail(request: AuthenticatedHttpRequest, vote: ConfidenceVote) -> HttpResponse:
    editable = can_edit(request.user, vote)
    if request.method == "POST" and editable:
        form = forms.MilestoneForm(request.POST)
        if form.is_valid():
            ConfidenceMilestone.objects.update_or_create(
                confidence_vote=vote,
                key=form.cleaned_data["key"],
                defaults={"done_on": form.cleaned_data["done_on"]},
            )
            messages.success(request, _("Saved."))
            return redirect(vote)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    ratings = list(vote.ratings.all())
    follow_ups = (
        FollowUp.objects.of(ConfidenceRating)
        .filter(source_id__in=[r.pk for r in ratings])
        .select_related("to_organ")
    )
    return render(
        request,
        "sessions/confidence_detail.html",
        {
            "vote": vote,
            "object": vote,
            "session": vote.session,
            "ratings": ratings,
            "milestones": vote.milestones(),
            "follow_ups": follow_ups,
            "can_edit": editable,
            **documents_panel(request.user, vote),
        },
    )


# Minutes ------------------------------------------------------------------------------------


@login_required
@require_POST
def minutes_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open the minutes of a session (POST `session`) or a meeting (POST `meeting`) and queue
    their first PDF. The minutes record is made here; its next steps go to `minutes_step`."""
    subject: Any
    for model in (Session, Meeting):
        pk = request.POST.get(model._meta.model_name or "", "")
        if pk.isdigit():
            subject = get_for_user(
                model.objects.select_related("council"), request.user, int(pk), write=True
            )
            break
    else:
        raise Http404
    return _minutes_generate(request, services.minutes_for(subject))


def _minutes_generate(request: AuthenticatedHttpRequest, minutes: Minutes) -> HttpResponse:
    try:
        document = services.minutes_generate(minutes=minutes, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(minutes)
    messages.info(request, _("The minutes PDF has been queued."))
    return redirect(document)


@object_view(Minutes, write=True, related=("council", "session", "meeting"))
@require_POST
def minutes_step(request: AuthenticatedHttpRequest, minutes: Minutes, step: str) -> HttpResponse:
    """One step of the minutes: print a new version, or a transition of their approval."""
    if step == "generate":
        return _minutes_generate(request, minutes)
    try:
        if step == "review":
            minutes = services.minutes_review(minutes=minutes, by=request.user)
        elif step == "approve":
            minutes = services.minutes_approve(minutes=minutes, by=request.user)
        elif step == "reopen":
            reason = request.POST.get("reason", "")
            minutes = services.minutes_reopen(minutes=minutes, by=request.user, reason=reason)
        else:
            raise Http404
        messages.success(
            request, _("Minutes: %(status)s.") % {"status": minutes.get_status_display()}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(minutes)


# Meetings -----------------------------------------------------------------------------------


@object_view(Meeting, related=("council", "organ"))
def meeting_detail(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    minutes = Minutes.objects.filter(meeting=meeting).first()  # created by the first action
    return render(
        request,
        "sessions/meeting_detail.html",
        {
            "meeting": meeting,
            "object": meeting,
            "participant_councils": meeting.participant_councils.all(),
            "participants": [p for p in meeting.participants.splitlines() if p.strip()],
            "tasks": meeting.tasks(),
            "task_form": forms.TaskForm(meeting=meeting, user=request.user),
            "can_edit": can_edit(request.user, meeting),
            "minutes": minutes,
            "minutes_document": services.latest_minutes_document(minutes) if minutes else None,
            "minutes_events": list(minutes.events.select_related("by"))
            if minutes and minutes.pk
            else [],
            "reopen_form": forms.ReopenForm(),
            "today": timezone.localdate(),
        },
    )


meetings = Register(
    Meeting,
    namespace="sessions",
    form=forms.MeetingForm,
    filterset=filters.MeetingFilter,
    select_related=("council",),
    columns=[
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("kind", gettext_lazy("Kind")),
        Column("council", gettext_lazy("Council")),
        Column("date", gettext_lazy("Date"), "date"),
        Column("venue", gettext_lazy("Venue")),
    ],
    detail=meeting_detail,
)


@object_view(Meeting, write=True, related=("council",))
def meeting_task_create(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    form = forms.TaskForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_task_add(
                meeting=meeting,
                content=data["content"],
                due_date=data["due_date"],
                to_council=data["to_council"],
                to_organ=data["to_organ"],
                to_agency=data["to_agency"],
            )
            messages.success(request, _("The task has been assigned."))
            return redirect(meeting.get_absolute_url() + "#tasks")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "sessions/task_form.html", {"form": form, "meeting": meeting})


# The paperless session: the delegates' workspace ------------------------------------------------


def _open_evote(session: Session) -> ElectronicVote | None:
    return (
        ElectronicVote.objects.filter(item__session=session, status=ElectronicVoteStatus.OPEN)
        .select_related("item")
        .first()
    )


@login_required
@require_safe
def my_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A delegate's sessions: the current and coming ones of their councils, then the past."""
    delegates = delegate_access.delegates_of(request.user)
    councils = {d.term.council_id for d in delegates}
    today = timezone.localdate()
    sessions_qs = (
        Session.objects.visible_to(request.user)
        .filter(council_id__in=councils)
        .select_related("council", "term")
        .order_by("-planned_start", "-pk")
    )
    rows = list(sessions_qs[:30])
    current = [s for s in rows if not s.is_closed and s.closing >= today - dt.timedelta(days=1)]
    past = [s for s in rows if s not in current]
    return render(
        request,
        "sessions/delegate/my_sessions.html",
        {"delegates": delegates, "current": current[::-1], "past": past},
    )


@object_view(Session, related=("council", "term"))
@require_safe
def workspace(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """A session on a delegate's device: the agenda, each item's dossier with what they have
    read, their speaking registrations, and the vote open now."""
    delegate = delegate_access.delegate_of(request.user, session.council_id, session.opening)
    items = list(session.items.select_related("sitting").order_by("position"))
    item_type = ContentType.objects.get_for_model(AgendaItem)
    documents = defaultdict(list)
    attachments = list(
        Attachment.objects.filter(owner_type=item_type, owner_id__in=[i.pk for i in items])
    )
    for a in attachments:
        documents[a.owner_id].append(a)
    read = set()
    spoken: dict[int, SpeakingRequest] = {}
    if delegate is not None:
        read = set(
            DocumentRead.objects.filter(delegate=delegate, attachment__in=attachments).values_list(
                "attachment_id", flat=True
            )
        )
        spoken = {
            r.item_id: r
            for r in SpeakingRequest.objects.filter(delegate=delegate, item__session=session)
        }
    for item in items:
        item.documents = documents.get(item.pk, [])  # type: ignore[attr-defined]
        item.my_speech = spoken.get(item.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "sessions/delegate/workspace.html",
        {
            "session": session,
            "object": session,
            "items": items,
            "delegate": delegate,
            "read": read,
            "evote": _open_evote(session),
            "speak_form": forms.SpeakingForm(),
            "can_run": delegate_access.can_run_session(request.user, session),
        },
    )


def _read(request: AuthenticatedHttpRequest, attachment: Attachment) -> tuple[AgendaItem, Any]:
    """The agenda item a dossier document belongs to (404 for any other attachment, or an item
    out of the user's scope); a delegate's opening records the read receipt."""
    if attachment.owner_type.model_class() is not AgendaItem:
        raise Http404
    item = get_for_user(
        AgendaItem.objects.select_related("session__council"), request.user, attachment.owner_id
    )
    session = item.session
    delegate = delegate_access.delegate_of(request.user, session.council_id, session.opening)
    if delegate is not None:
        services.document_read(attachment=attachment, delegate=delegate)
    return item, delegate


@object_view(Attachment, related=("owner_type",))
@require_safe
def document_read(request: AuthenticatedHttpRequest, attachment: Attachment) -> HttpResponse:
    """A dossier document on a delegate's device; opening it records the read receipt."""
    item, delegate = _read(request, attachment)
    return render(
        request,
        "sessions/delegate/document.html",
        {"attachment": attachment, "item": item, "session": item.session, "delegate": delegate},
    )


@object_view(Attachment, related=("owner_type",))
@require_safe
def document_file(request: AuthenticatedHttpRequest, attachment: Attachment) -> HttpResponseBase:
    """The document's file shown in the browser (PDF, pictures) rather than downloaded."""
    from django.http import FileResponse

    from councilportal.documents.views import _open_stored

    _read(request, attachment)
    inline = attachment.content_type in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(
        _open_stored(attachment.file),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@object_view(AgendaItem, related=("session__council",))
@require_POST
def speak(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    """A delegate registers to speak on an item."""
    session = item.session
    delegate = delegate_access.delegate_of(request.user, session.council_id, session.opening)
    if delegate is None:
        raise PermissionDenied
    form = forms.SpeakingForm(request.POST)
    if form.is_valid():
        try:
            services.speaking_register(
                item=item, delegate=delegate, topic=form.cleaned_data["topic"]
            )
            messages.success(request, _("You are registered to speak."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Write the topic of your speech."))
    return redirect(reverse("sessions:workspace", args=[item.session_id]) + f"#item-{item.pk}")


@object_view(ElectronicVote, related=("item__session__council",))
@require_http_methods(["GET", "POST"])
def ballot(request: AuthenticatedHttpRequest, evote: ElectronicVote) -> HttpResponse:
    """The ballot on a delegate's device: for, against, abstain; changeable until closing."""
    session = evote.item.session
    delegate = delegate_access.delegate_of(request.user, session.council_id, evote.held_on)
    form = forms.BallotForm(request.POST or None)
    mine: ElectronicBallot | None = None
    if request.method == "POST":
        if delegate is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                mine = services.evote_cast(
                    evote=evote, delegate=delegate, choice=form.cleaned_data["choice"]
                )
                messages.success(
                    request,
                    _("Your vote is recorded: %(choice)s.") % {"choice": mine.get_choice_display()},
                )
                return redirect("sessions:ballot", evote.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
        status = 409 if form.non_field_errors() else 400
    else:
        status = 200
    if delegate is not None:
        mine = ElectronicBallot.objects.filter(evote=evote, delegate=delegate).first()
    return render(
        request,
        "sessions/delegate/ballot.html",
        {
            "evote": evote,
            "session": session,
            "item": evote.item,
            "delegate": delegate,
            "mine": mine,
            "form": form,
            "open": evote.accepts_ballots(),
        },
        status=status,
    )


@object_view(Questioning, related=("council",))
@require_http_methods(["GET", "POST"])
def question_ask(request: AuthenticatedHttpRequest, questioning: Questioning) -> HttpResponse:
    """A delegate's questions before a questioning session: submit, then read the answers and
    say whether satisfied."""
    from supervision.models import Question, QuestionMode

    delegate = delegate_access.delegate_of(
        request.user, questioning.council_id, questioning.held_on
    )
    form = forms.DelegateQuestionForm(request.POST or None)
    if request.method == "POST":
        if delegate is None:
            raise PermissionDenied
        if form.is_valid():
            Question.objects.create(
                questioning=questioning,
                delegate=delegate,
                respondent=form.cleaned_data["respondent"],
                content=form.cleaned_data["content"],
                mode=QuestionMode.WRITTEN,
                asked_on=timezone.localdate(),
            )
            messages.success(request, _("Your question is sent to the secretariat."))
            return redirect("sessions:question-ask", questioning.pk)
    mine = (
        Question.objects.filter(questioning=questioning, delegate=delegate).select_related("group")
        if delegate
        else Question.objects.none()
    )
    return render(
        request,
        "sessions/delegate/questions.html",
        {"questioning": questioning, "form": form, "questions": mine, "delegate": delegate},
    )


@object_view(Question, related=("questioning__council", "delegate"))
@require_POST
def question_satisfaction(request: AuthenticatedHttpRequest, question: Any) -> HttpResponse:
    """The asking delegate says whether the answer satisfies them."""
    from supervision.models import Satisfaction

    if question.delegate.user_id != request.user.pk:
        raise PermissionDenied
    value = request.POST.get("satisfied", "")
    if value not in Satisfaction.values or not question.is_answered:
        messages.error(request, _("Say whether the answer satisfies you."))
    else:
        question.satisfied = value
        question.save(update_fields=["satisfied"])
        messages.success(request, _("Saved."))
    return redirect("sessions:question-ask", question.questioning_id)


@login_required
@require_safe
def my_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A delegate's own record: the record of their latest delegacy."""
    delegates = delegate_access.delegates_of(request.user)
    if not delegates:
        return render(request, "sessions/delegate/record.html", {"delegate": None})
    return _record_page(request, delegates[0])


@object_view(Delegate, related=("term__council", "delegate_group"))
@require_safe
def delegate_record(request: AuthenticatedHttpRequest, delegate: Delegate) -> HttpResponse:
    """A delegate's activity in the term (the same page for the Standing Committee)."""
    return _record_page(request, delegate)


def _record_page(request: AuthenticatedHttpRequest, delegate: Delegate) -> HttpResponse:
    from .record import delegate_activity

    return render(
        request,
        "sessions/delegate/record.html",
        {
            "delegate": delegate,
            "object": delegate,
            "record": delegate_activity(delegate),
            **documents_panel(request.user, delegate),
        },
    )


# The paperless session: the secretariat's side ---------------------------------------------------


@object_view(AgendaItem, write=True, related=("session__council",))
@require_http_methods(["GET", "POST"])
def evote_create(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    form = forms.ElectronicVoteForm(
        request.POST or None, initial={"question": item.title, "majority": "vote.ordinary"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            evote = services.evote_open(
                item=item,
                question=form.cleaned_data["question"],
                majority=form.cleaned_data["majority"],
                minutes=form.cleaned_data["minutes"],
                by=request.user,
            )
            messages.success(request, _("The vote is open."))
            return redirect(evote)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "sessions/evote_form.html",
        {"form": form, "item": item, "session": item.session},
        status=400 if form.errors else 200,
    )


@object_view(ElectronicVote, related=("item__session__council", "item__session__term", "result"))
@require_safe
def evote_detail(request: AuthenticatedHttpRequest, evote: ElectronicVote) -> HttpResponse:
    return render(
        request,
        "sessions/evote_detail.html",
        {
            "evote": evote,
            "object": evote,
            "item": evote.item,
            "session": evote.item.session,
            "cast": services.evote_count(evote),
            "total": evote.item.session.council.delegate_count(evote.held_on),
            "can_run": delegate_access.can_run_session(request.user, evote.item.session),
        },
    )


@object_view(ElectronicVote, write=True, related=("item__session__council",))
@require_POST
def evote_close(request: AuthenticatedHttpRequest, evote: ElectronicVote) -> HttpResponse:
    try:
        vote = services.evote_close(evote=evote, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(evote)
    messages.success(request, _("The vote is closed and recorded."))
    return redirect(vote)


@object_view(AgendaItem, related=("session__council",))
@require_safe
def speaking_queue(request: AuthenticatedHttpRequest, item: AgendaItem) -> HttpResponse:
    return render(
        request,
        "sessions/speaking_queue.html",
        {
            "item": item,
            "object": item,
            "session": item.session,
            "queue": item.speaking_requests.select_related("delegate").order_by("position"),
            "can_run": delegate_access.can_run_session(request.user, item.session),
        },
    )


@object_view(SpeakingRequest, write=True, related=("item__session",))
@require_POST
def speaking_move(request: AuthenticatedHttpRequest, speech: SpeakingRequest) -> HttpResponse:
    try:
        services.speaking_move(request=speech, up=request.POST.get("up") == "1")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("sessions:speaking-queue", speech.item_id)


@object_view(SpeakingRequest, write=True, related=("item__session",))
@require_POST
def speaking_spoken(request: AuthenticatedHttpRequest, speech: SpeakingRequest) -> HttpResponse:
    try:
        services.speaking_mark_spoken(request=speech, spoken=request.POST.get("spoken") != "0")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("sessions:speaking-queue", speech.item_id)


@object_view(Session, write=True, related=("council", "term"))
@require_safe
def read_receipts(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """Per document and delegate, who has opened the dossier and when (the secretariat and the
    chair: those who write the session's council)."""
    item_type = ContentType.objects.get_for_model(AgendaItem)
    items = {i.pk: i for i in session.items.all()}
    documents = list(
        Attachment.objects.filter(owner_type=item_type, owner_id__in=list(items)).order_by(
            "owner_id", "pk"
        )
    )
    delegates = _delegates_for(session, session.opening)
    reads = {
        (r.attachment_id, r.delegate_id): r.read_at
        for r in DocumentRead.objects.filter(attachment__in=documents)
    }
    rows = [
        {
            "document": d,
            "item": items[d.owner_id],
            "cells": [reads.get((d.pk, x.pk)) for x in delegates],
            "count": sum(1 for x in delegates if (d.pk, x.pk) in reads),
        }
        for d in documents
    ]
    return render(
        request,
        "sessions/read_receipts.html",
        {"session": session, "object": session, "delegates": delegates, "rows": rows},
    )


def _screen_state(session: Session) -> dict[str, Any]:
    """What the hall's screen shows: the vote open now (count of ballots only) or the latest
    closed one with its result, and the speaking queue of that item. A few indexed queries:
    the screens poll it every second."""
    evote = (
        ElectronicVote.objects.filter(item__session=session)
        .select_related("item", "result")
        .order_by("-opened_at", "-pk")
        .first()
    )
    state: dict[str, Any] = {"session": session, "evote": evote}
    if evote is not None:
        state["cast"] = services.evote_count(evote)
        state["total"] = evote.result.total_delegates if evote.result else None
        if evote.result:
            Vote.prime([evote.result], session.council)
    item = evote.item if evote else None
    speakers = SpeakingRequest.objects.filter(item__session=session, spoken_at__isnull=True)
    if item is not None:
        speakers = speakers.filter(item=item)
    state["item"] = item
    state["speakers"] = list(
        speakers.select_related("delegate", "item").order_by("item__position", "position")[:8]
    )
    return state


@object_view(Session, related=("council", "term"))
@require_safe
def hall_screen(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    """The projector's full-screen page; its panel polls hall_screen_state every second."""
    return render(request, "sessions/hall_screen.html", _screen_state(session))


@object_view(Session, related=("council",))
@require_safe
def hall_screen_state(request: AuthenticatedHttpRequest, session: Session) -> HttpResponse:
    response = render(request, "sessions/_hall_state.html", _screen_state(session))
    response["Cache-Control"] = "private, no-cache"
    return response
