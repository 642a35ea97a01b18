"""Views of the sessions app. Thin: access in councilportal.access, validation in forms,
writes in services."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from councilportal.access import can_edit, get_for_user, object_view
from councilportal.documents.attachments import attachment_form, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.models import Delegate, FollowUp
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import ChildHistory, Register, ScopedFormMixin

from . import filters, forms, services
from .access import can_change_proceedings
from .models import (
    AgendaItem,
    Attendance,
    ConfidenceMilestone,
    ConfidenceRating,
    ConfidenceVote,
    Meeting,
    Minutes,
    Presence,
    Session,
    Sitting,
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
