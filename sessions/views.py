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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from councilportal.access import get_for_user
from councilportal.documents.attachments import attachment_add, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.models import Delegate, FollowUp
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import (
    ChildHistory,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedHistoryView,
    ScopedListView,
    ScopedUpdateView,
)

from . import filters, forms, services
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


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _can_edit(request: HttpRequest, obj: Any) -> bool:
    return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()


def _tag(view: Any, model: type) -> Any:
    """Name the model a view's pk refers to (the access matrix reads it)."""
    view.model = model
    return view


# Sessions -----------------------------------------------------------------------------------


class SessionList(ScopedListView):
    model = Session
    url_namespace = "sessions"
    filterset_class = filters.SessionFilter
    select_related = ("council", "term")
    template_name = "sessions/session_list.html"
    columns = [
        Column("__str__", gettext_lazy("Session"), "ordinal", link=True),
        Column("council", gettext_lazy("Council"), "council"),
        Column("kind", gettext_lazy("Kind")),
        Column("planned_start", gettext_lazy("Opening"), "planned_start"),
        Column("planned_end", gettext_lazy("Closing")),
        Column("status", gettext_lazy("Status")),
    ]


class _StatusFollowsDates:
    """Dates held, entered after the fact, move a planned session along."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        if response.status_code == 302:
            services.session_status_follow(session=self.object)  # type: ignore[attr-defined]
        return response


class SessionCreate(_StatusFollowsDates, ScopedCreateView):
    model = Session
    url_namespace = "sessions"
    form_class = forms.SessionForm


class SessionUpdate(_StatusFollowsDates, ScopedUpdateView):
    model = Session
    url_namespace = "sessions"
    form_class = forms.SessionForm


class SessionDelete(ScopedDeleteView):
    model = Session
    url_namespace = "sessions"


def _date(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _attendance_line(r: Any) -> str:
    who = r.delegate.full_name if r.delegate else ""
    return f"{_date(r.sitting.date) if r.sitting else ''} — {who}: {r.get_presence_display()}"


class SessionHistory(ScopedHistoryView):
    """A session's story: itself, its agenda, sitting days and attendance, votes, confidence
    vote and minutes (deleted children included: their history rows outlive them)."""

    model = Session
    url_namespace = "sessions"
    child_histories = (
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


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(Session.objects.select_related("council", "term"), request.user, pk)
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
    can_edit = _can_edit(request, session)
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
        "can_edit": can_edit,
        "is_open": not session.is_closed,
        "confidence": confidence,
        "minutes": minutes,
        "minutes_document": services.latest_minutes_document(minutes) if minutes else None,
        "minutes_events": list(minutes.events.select_related("by"))
        if minutes and minutes.pk
        else [],
        "sitting_form": forms.SittingForm(),
        "reopen_form": forms.ReopenForm(),
        **documents_panel(request.user, session, exclude=("sessions.minutes",)),
    }
    return render(request, "sessions/session_detail.html", context)


_tag(session_detail, Session)


@login_required
@require_POST
def session_advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(Session.objects.all(), request.user, pk, write=True)
    try:
        services.session_advance(session=session, by=request.user)
        messages.success(
            request, _("Status: %(status)s.") % {"status": session.get_status_display()}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(session)


_tag(session_advance, Session)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
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


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(Session.objects.all(), request.user, pk, write=True)
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


_tag(item_create, Session)


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(
        AgendaItem.objects.select_related("session__council", "session__term", "sitting"),
        request.user,
        pk,
    )
    upload = forms.UploadForm()
    can_edit = _can_edit(request, item)
    if request.method == "POST":
        if not can_edit:
            return redirect(item)
        upload = forms.UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            attachment_add(
                owner=item,
                council=item.session.council,
                upload=upload.cleaned_data["file"],
                title=upload.cleaned_data["title"],
                by=request.user,
            )
            messages.success(request, _("The document has been attached."))
            return redirect(item)
    return render(
        request,
        "sessions/item_detail.html",
        {
            "item": item,
            "object": item,
            "session": item.session,
            "votes": item.votes.all(),
            "attachments": attachments_of(item),
            "upload_form": upload,
            "can_edit": can_edit,
        },
    )


_tag(item_detail, AgendaItem)


@login_required
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(AgendaItem.objects.select_related("session"), request.user, pk, write=True)
    form = forms.AgendaItemForm(request.POST or None, instance=item, session=item.session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(item)
    return render(
        request, "sessions/item_form.html", {"form": form, "session": item.session, "item": item}
    )


_tag(item_update, AgendaItem)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, up: bool) -> HttpResponse:
    item = get_for_user(AgendaItem.objects.select_related("session"), request.user, pk, write=True)
    try:
        services.item_move(item=item, up=up)
    except ValidationError as exc:
        _errors(request, exc)
    if getattr(request, "htmx", False):
        return _agenda_partial(request, item.session)
    return redirect(item.session.get_absolute_url() + "#agenda")


def _agenda_partial(request: HttpRequest, session: Session) -> HttpResponse:
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


def item_up(request: HttpRequest, pk: int) -> HttpResponse:
    return item_move(request, pk, True)


def item_down(request: HttpRequest, pk: int) -> HttpResponse:
    return item_move(request, pk, False)


_tag(item_up, AgendaItem)
_tag(item_down, AgendaItem)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(AgendaItem.objects.select_related("session"), request.user, pk, write=True)
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


_tag(item_delete, AgendaItem)


# Attendance ---------------------------------------------------------------------------------


@login_required
@require_POST
def sitting_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(Session.objects.all(), request.user, pk, write=True)
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


_tag(sitting_create, Session)


def _delegates_for(session: Session, day: dt.date) -> list[Delegate]:
    return list(
        Delegate.objects.in_office(day)
        .filter(term__council=session.council)
        .order_by("full_name", "pk")
    )


@login_required
def sitting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    sitting = get_for_user(
        Sitting.objects.select_related("session__council", "session__term"), request.user, pk
    )
    session = sitting.session
    can_edit = _can_edit(request, session) and not session.is_closed
    delegates = _delegates_for(session, sitting.date)
    existing = {a.delegate_id: a for a in sitting.attendance.all()}
    form = forms.AttendanceForm(request.POST or None, delegates=delegates, initial_rows=existing)
    if request.method == "POST":
        if not _can_edit(request, session):
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
            "can_edit": can_edit,
            "recorded": bool(existing),
            "unmarked": {d.pk for d in delegates if d.pk not in existing} if existing else set(),
        },
    )


_tag(sitting_attendance, Sitting)


# Votes --------------------------------------------------------------------------------------


def _vote_form(request: HttpRequest, item: AgendaItem, vote: Vote | None) -> HttpResponse:
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


@login_required
def vote_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(
        AgendaItem.objects.select_related("session__council"), request.user, pk, write=True
    )
    if item.session.is_closed:
        messages.error(
            request,
            _("The session is closed: its attendance, votes and agenda can no longer change."),
        )
        return redirect(item)
    return _vote_form(request, item, None)


_tag(vote_create, AgendaItem)


@login_required
def vote_update(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_for_user(
        Vote.objects.select_related("item__session__council"), request.user, pk, write=True
    )
    if vote.item.session.is_closed:
        messages.error(
            request,
            _("The session is closed: its attendance, votes and agenda can no longer change."),
        )
        return redirect(vote)
    return _vote_form(request, vote.item, vote)


_tag(vote_update, Vote)


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_for_user(
        Vote.objects.select_related("item__session__council", "item__session__term"),
        request.user,
        pk,
    )
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
            "can_edit": _can_edit(request, vote) and not vote.item.session.is_closed,
        },
    )


_tag(vote_detail, Vote)


# Confidence votes ---------------------------------------------------------------------------


@login_required
def confidence_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(
        Session.objects.select_related("council", "term"), request.user, pk, write=True
    )
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


_tag(confidence_edit, Session)


@login_required
def confidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_for_user(
        ConfidenceVote.objects.select_related("session__council", "session__term"), request.user, pk
    )
    can_edit = _can_edit(request, vote)
    if request.method == "POST" and can_edit:
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
    follow_ups = FollowUp.objects.filter(
        source_type=ContentType.objects.get_for_model(ConfidenceRating),
        source_id__in=[r.pk for r in ratings],
    ).select_related("to_organ")
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
            "can_edit": can_edit,
            **documents_panel(request.user, vote),
        },
    )


_tag(confidence_detail, ConfidenceVote)


# Minutes ------------------------------------------------------------------------------------


def _minutes_action(
    request: AuthenticatedHttpRequest, subject: Session | Meeting, action: str
) -> HttpResponse:
    minutes = services.minutes_for(subject)
    try:
        if action == "generate":
            document = services.minutes_generate(minutes=minutes, by=request.user)
            messages.info(request, _("The minutes PDF has been queued."))
            return redirect(document)
        reason = request.POST.get("reason", "")
        services.minutes_step(minutes=minutes, action=action, by=request.user, reason=reason)
        messages.success(
            request,
            _("Minutes: %(status)s.")
            % {"status": services.minutes_for(subject).get_status_display()},
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(subject.get_absolute_url() + "#minutes")


def _session_minutes(action: str) -> Any:
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        session = get_for_user(
            Session.objects.select_related("council"), request.user, pk, write=True
        )
        return _minutes_action(request, session, action)

    return _tag(view, Session)


def _meeting_minutes(action: str) -> Any:
    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        meeting = get_for_user(
            Meeting.objects.select_related("council"), request.user, pk, write=True
        )
        return _minutes_action(request, meeting, action)

    return _tag(view, Meeting)


# Meetings -----------------------------------------------------------------------------------


class MeetingList(ScopedListView):
    model = Meeting
    url_namespace = "sessions"
    filterset_class = filters.MeetingFilter
    select_related = ("council",)
    columns = [
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("kind", gettext_lazy("Kind")),
        Column("council", gettext_lazy("Council")),
        Column("date", gettext_lazy("Date"), "date"),
        Column("venue", gettext_lazy("Venue")),
    ]


class MeetingCreate(ScopedCreateView):
    model = Meeting
    url_namespace = "sessions"
    form_class = forms.MeetingForm


class MeetingUpdate(ScopedUpdateView):
    model = Meeting
    url_namespace = "sessions"
    form_class = forms.MeetingForm


class MeetingDelete(ScopedDeleteView):
    model = Meeting
    url_namespace = "sessions"


class MeetingHistory(ScopedHistoryView):
    model = Meeting
    url_namespace = "sessions"


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_user(Meeting.objects.select_related("council", "organ"), request.user, pk)
    can_edit = _can_edit(request, meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()  # created by the first action
    return render(
        request,
        "sessions/meeting_detail.html",
        {
            "meeting": meeting,
            "object": meeting,
            "participant_councils": meeting.participant_councils.all(),
            "participants": [p for p in meeting.participants.splitlines() if p.strip()],
            "tasks": services.meeting_tasks(meeting),
            "task_form": forms.TaskForm(meeting=meeting, user=request.user),
            "can_edit": can_edit,
            "minutes": minutes,
            "minutes_document": services.latest_minutes_document(minutes) if minutes else None,
            "minutes_events": list(minutes.events.select_related("by"))
            if minutes and minutes.pk
            else [],
            "reopen_form": forms.ReopenForm(),
            "today": timezone.localdate(),
        },
    )


_tag(meeting_detail, Meeting)


@login_required
def meeting_task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_for_user(Meeting.objects.select_related("council"), request.user, pk, write=True)
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


_tag(meeting_task_create, Meeting)

session_minutes_generate = _session_minutes("generate")
session_minutes_review = _session_minutes("review")
session_minutes_approve = _session_minutes("approve")
session_minutes_reopen = _session_minutes("reopen")
meeting_minutes_generate = _meeting_minutes("generate")
meeting_minutes_review = _meeting_minutes("review")
meeting_minutes_approve = _meeting_minutes("approve")
meeting_minutes_reopen = _meeting_minutes("reopen")
