"""Writes of the sessions app: workflow steps, agenda order, attendance, votes, confidence
votes, meeting tasks and the minutes' approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, ProtectedError, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from councilportal.documents.registry import DocumentKind
from councilportal.documents.services import document_request
from councilportal.follow_ups.services import follow_up_open
from councilportal.models import (
    Attachment,
    Delegate,
    DocumentStatus,
    FollowUp,
    GeneratedDocument,
    Organ,
    OrganKind,
)
from councilportal.typing import User

from .documents import MEETING_MINUTES, MINUTES
from .models import (
    SESSION_FLOW,
    AgendaItem,
    Attendance,
    Ballot,
    Choice,
    ConfidenceRating,
    ConfidenceVote,
    DocumentRead,
    ElectronicBallot,
    ElectronicVote,
    ElectronicVoteStatus,
    ItemKind,
    Majority,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesEvent,
    MinutesStatus,
    Presence,
    Session,
    SessionKind,
    SessionStatus,
    Sitting,
    SpeakingRequest,
    Vote,
)


def _require_open(session: Session) -> None:
    if session.is_closed:
        raise ValidationError(
            _("The session is closed: its attendance, votes and agenda can no longer change.")
        )


def session_advance(*, session: Session, by: User | None) -> Session:
    """Move a session one step along planned → convened → in progress → closed."""
    index = SESSION_FLOW.index(SessionStatus(session.status))
    if index + 1 >= len(SESSION_FLOW):
        raise ValidationError(_("The session is already closed."))
    session.status = SESSION_FLOW[index + 1]
    # Clerks often record a session after the fact: take the planned dates, editable later.
    if session.status == SessionStatus.IN_PROGRESS and session.actual_start is None:
        session.actual_start = session.planned_start
    if session.status == SessionStatus.CLOSED and session.actual_end is None:
        session.actual_end = max(session.planned_end, session.actual_start or session.planned_end)
    session.save()
    return session


def session_status_follow(*, session: Session) -> Session:
    """A session that has visibly happened (dates held, attendance, votes or minutes recorded)
    is at least "in progress": it no longer says "planned" or "convened". Closing stays a
    clerk's step, because it freezes attendance, votes and the agenda."""
    if SESSION_FLOW.index(SessionStatus(session.status)) >= SESSION_FLOW.index(
        SessionStatus.IN_PROGRESS
    ):
        return session
    happened = (
        session.actual_start is not None
        or Attendance.objects.filter(sitting__session=session).exists()
        or Vote.objects.filter(item__session=session).exists()
        or Minutes.objects.filter(session=session).exclude(status=MinutesStatus.DRAFT).exists()
    )
    if happened:
        session.status = SessionStatus.IN_PROGRESS
        if session.actual_start is None:
            first = session.sittings.order_by("date").values_list("date", flat=True).first()
            session.actual_start = first or session.planned_start
        session.save()
    return session


# Agenda -------------------------------------------------------------------------------------


def item_next_position(session: Session) -> int:
    return (session.items.aggregate(m=Max("position"))["m"] or 0) + 1


def _lock_agenda(session_id: int) -> None:
    # The session row is the agenda's lock: two clerks adding, moving or deleting items at once
    # are taken one after the other, so no two items ever claim the same position.
    Session.objects.select_for_update().filter(pk=session_id).values("pk").first()


@transaction.atomic
def item_add(*, item: AgendaItem, session: Session) -> AgendaItem:
    """Add an item at the end of the session's agenda."""
    _lock_agenda(session.pk)
    _require_open(session)
    item.session = session
    item.position = item_next_position(session)
    item.save()
    return item


@transaction.atomic
def item_move(*, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap an item with its neighbour. Positions stay unique at every step (a free slot is
    used in between), so the database constraint holds on SQLite and PostgreSQL alike."""
    _lock_agenda(item.session_id)
    _require_open(item.session)
    siblings = AgendaItem.objects.select_for_update().filter(session_id=item.session_id)
    neighbour = (
        siblings.filter(position__lt=item.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=item.position).order_by("position").first()
    )
    if neighbour is None:
        return item
    mine, theirs = item.position, neighbour.position
    free = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    AgendaItem.objects.filter(pk=item.pk).update(position=free)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.refresh_from_db()
    return item


@transaction.atomic
def item_delete(*, item: AgendaItem) -> None:
    _lock_agenda(item.session_id)
    _require_open(item.session)
    session_id, position = item.session_id, item.position
    try:
        with transaction.atomic():
            item.delete()
    except ProtectedError:
        # A submission or resolution (resolutions app) points to the item or its votes.
        raise ValidationError(
            _("This agenda item cannot be deleted: a submission or resolution refers to it.")
        ) from None
    for later in AgendaItem.objects.filter(session_id=session_id, position__gt=position).order_by(
        "position"
    ):
        AgendaItem.objects.filter(pk=later.pk).update(position=later.position - 1)


def dossier_check(session: Session) -> dict[str, Any]:
    """Which items lack documents, and whether the dossier reached delegates in time."""
    from councilportal.models import Attachment

    item_type = ContentType.objects.get_for_model(AgendaItem)
    items = list(session.items.all())
    with_docs = set(
        Attachment.objects.filter(
            owner_type=item_type, owner_id__in=[i.pk for i in items]
        ).values_list("owner_id", flat=True)
    )
    due = session.dossier_due()
    sent = session.dossier_sent_on
    return {
        "missing": [i for i in items if i.pk not in with_docs],
        "documents_by_item": with_docs,
        "due": due,
        "sent": sent,
        "on_time": None if sent is None else sent <= due,
    }


# Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def sitting_add(*, session: Session, date: dt.date) -> Sitting:
    _require_open(session)
    if not (
        session.planned_start - dt.timedelta(days=30)
        <= date
        <= session.closing + dt.timedelta(days=30)
    ):
        raise ValidationError(_("A sitting day must fall around the session's dates."))
    if Sitting.objects.filter(session=session, date=date).exists():
        raise ValidationError(_("This day is already a sitting day of the session."))
    return Sitting.objects.create(session=session, date=date)


@transaction.atomic
def attendance_record(*, sitting: Sitting, rows: dict[int, tuple[str, str]]) -> dict[str, int]:
    """Record each delegate's attendance on a sitting day; returns the counts."""
    _require_open(sitting.session)
    existing = {a.delegate_id: a for a in sitting.attendance.all()}
    in_office = set(
        Delegate.objects.in_office(sitting.date)
        .filter(term__council=sitting.session.council_id)
        .values_list("pk", flat=True)
    )
    for delegate_id, (presence, reason) in rows.items():
        reason = reason.strip()
        if presence == Presence.EXCUSED and not reason:
            raise ValidationError(_("Give the reason for an absence."))
        record = existing.get(delegate_id)
        if record is None:
            Attendance.objects.create(
                sitting=sitting, delegate_id=delegate_id, presence=presence, reason=reason
            )
        elif (record.presence, record.reason) != (presence, reason):
            record.presence, record.reason = presence, reason
            record.save()
    # Saving the attendance records the denominator of that day, as the clerk saw it.
    if sitting.recorded_total != len(in_office):
        sitting.recorded_total = len(in_office)
        sitting.save(update_fields=["recorded_total"])
    session_status_follow(session=sitting.session)
    return attendance_counts(sitting)


def attendance_counts(sitting: Sitting) -> dict[str, int]:
    """The counts of a sitting day against the delegates it was recorded against. When the
    register has changed since ("register" differs from "total"), the page says so."""
    counts = {p.value: 0 for p in Presence}
    for presence in sitting.attendance.values_list("presence", flat=True):
        counts[presence] += 1
    counts["attending"] = counts[Presence.PRESENT] + counts[Presence.LATE]
    counts["register"] = sitting.session.council.delegate_count(sitting.date)
    counts["total"] = (
        counts["register"] if sitting.recorded_total is None else sitting.recorded_total
    )
    return counts


# Votes --------------------------------------------------------------------------------------


def absent_on(*, session: Session, day: dt.date) -> dict[int, str]:
    """The delegates marked absent (with or without permission) at the session's sitting on
    a day: {delegate id: name}. They cast no roll-call ballot that day."""
    return dict(
        Attendance.objects.filter(
            sitting__session=session,
            sitting__date=day,
            presence__in=[Presence.EXCUSED, Presence.ABSENT],
        ).values_list("delegate_id", "delegate__full_name")
    )


@transaction.atomic
def vote_record(
    *,
    item: AgendaItem,
    subject: str,
    majority: str,
    held_on: dt.date,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    ballots: dict[int, str] | None = None,
    vote: Vote | None = None,
) -> Vote:
    """Record a vote. The total of delegates on that day is taken from the register; with a
    roll call the tally is the sum of the delegates' ballots."""
    session = item.session
    _require_open(session)
    total = session.council.delegate_count(held_on)
    if ballots is not None:
        absent = absent_on(session=session, day=held_on)
        cast = sorted(
            name
            for pk, name in absent.items()
            if ballots.get(pk, Choice.NOT_VOTING) != Choice.NOT_VOTING
        )
        if cast:
            raise ValidationError(
                _("Marked absent on %(day)s, so without a ballot: %(names)s.")
                % {"day": held_on.strftime("%d/%m/%Y"), "names": ", ".join(cast)}
            )
        votes_for = sum(1 for c in ballots.values() if c == Choice.FOR)
        votes_against = sum(1 for c in ballots.values() if c == Choice.AGAINST)
        abstentions = sum(1 for c in ballots.values() if c == Choice.ABSTAIN)
    if min(votes_for, votes_against, abstentions) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    if votes_for + votes_against + abstentions > total:
        raise ValidationError(
            _(
                "For, against and abstain add up to %(sum)s, more than the %(total)s delegates "
                "of the council on %(day)s."
            )
            % {
                "sum": votes_for + votes_against + abstentions,
                "total": total,
                "day": held_on.strftime("%d/%m/%Y"),
            }
        )
    vote = vote or Vote(item=item)
    vote.subject = subject
    vote.majority = majority
    vote.held_on = held_on
    vote.total_delegates = total
    vote.votes_for, vote.votes_against, vote.abstentions = votes_for, votes_against, abstentions
    vote.is_roll_call = ballots is not None
    vote.save()
    vote.ballots.all().delete()  # a vote turned back into plain counts keeps no stale ballots
    if ballots is not None:
        Ballot.objects.bulk_create(
            Ballot(vote=vote, delegate_id=delegate_id, choice=choice)
            for delegate_id, choice in ballots.items()
        )
    session_status_follow(session=session)
    return vote


# Confidence votes ---------------------------------------------------------------------------


@transaction.atomic
def confidence_save(
    *, vote: ConfidenceVote, ratings: list[ConfidenceRating], by: User | None
) -> list[FollowUp]:
    """Save a confidence vote's tallies and open the follow-up each flag calls for: more than
    half "low" (resign, or a no-confidence vote), two thirds or more (dismissal)."""
    session = vote.session
    vote.total_delegates = session.council.delegate_count(vote.held_on)
    for rating in ratings:
        if rating.high + rating.trust + rating.low > vote.ballots_collected:
            raise ValidationError(
                _("%(name)s: the three levels add up to more than the ballots collected.")
                % {"name": rating.official_name}
            )
    vote.full_clean(exclude=["session"])
    vote.save()
    opened = []
    standing = Organ.objects.filter(term=session.term, kind=OrganKind.STANDING_COMMITTEE).first()
    for rating in ratings:
        rating.confidence_vote = vote
        rating.save()
        flag = rating.flag()
        already = FollowUp.objects.of(rating).exists()
        if flag and not already and standing is not None:
            if flag == "two_thirds":
                content = _(
                    "%(name)s (%(post)s): two thirds or more of all delegates rated low "
                    "confidence — the nominating body submits a dismissal at this or the next "
                    "session."
                )
            else:
                content = _(
                    "%(name)s (%(post)s): more than half of all delegates rated low confidence — "
                    "the official may resign; otherwise the Standing Committee submits a "
                    "no-confidence vote at this or the next session."
                )
            opened.append(
                follow_up_open(
                    source=rating,
                    council=session.council,
                    to=standing,
                    content=content % {"name": rating.official_name, "post": rating.post},
                    sent_on=vote.held_on,
                    due=max(vote.held_on, session.closing),
                    explanation=_("At this session or the next (NQ 96/2023/QH15, art. 13)."),
                )
            )
    return opened


# Meeting tasks ------------------------------------------------------------------------------


def meeting_task_add(
    *,
    meeting: Meeting,
    content: str,
    due_date: dt.date,
    to_council: Any = None,
    to_organ: Any = None,
    to_agency: Any = None,
) -> FollowUp:
    if due_date < meeting.date:
        raise ValidationError(_("The deadline cannot be before the meeting."))
    return follow_up_open(
        source=meeting,
        council=meeting.council,
        to=[to_council, to_organ, to_agency],
        content=content,
        sent_on=meeting.date,
        due=due_date,
        explanation=_("Set at the meeting of %(day)s.")
        % {"day": meeting.date.strftime("%d/%m/%Y")},
    )


# Minutes ------------------------------------------------------------------------------------


def minutes_for(subject: Session | Meeting) -> Minutes:
    if isinstance(subject, Session):
        minutes, _created = Minutes.objects.get_or_create(
            session=subject, defaults={"council": subject.council}
        )
    else:
        minutes, _created = Minutes.objects.get_or_create(
            meeting=subject, defaults={"council": subject.council}
        )
    return minutes


def _kind_of(minutes: Minutes) -> DocumentKind:
    return MINUTES if minutes.session_id else MEETING_MINUTES


def minutes_generate(*, minutes: Minutes, by: User) -> GeneratedDocument:
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(
            _("The minutes are approved and frozen; reopen them to make a new version.")
        )
    return document_request(kind=_kind_of(minutes).key, source=minutes, by=by, force_new=True)


def latest_minutes_document(minutes: Minutes) -> GeneratedDocument | None:
    return (
        GeneratedDocument.objects.filter(
            kind=_kind_of(minutes).key,
            source_type=ContentType.objects.get_for_model(Minutes),
            source_id=minutes.pk,
        )
        .order_by("-version")
        .first()
    )


# The approval flow: draft → reviewed → approved (freezing the latest generated PDF);
# approved → draft again by reopening, with the reason recorded. Each step is recorded as a
# MinutesEvent whose action is the step's name.


def _minutes_locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def _minutes_record(minutes: Minutes, *, action: str, by: Any, reason: str = "") -> Minutes:
    minutes.save()
    MinutesEvent.objects.create(minutes=minutes, action=action, by=by, reason=reason.strip())
    if minutes.session is not None:
        session_status_follow(session=minutes.session)
    return minutes


@transaction.atomic
def minutes_review(*, minutes: Minutes, by: Any) -> Minutes:
    minutes = _minutes_locked(minutes)
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError(_("Only draft minutes can be marked as reviewed."))
    minutes.status = MinutesStatus.REVIEWED
    return _minutes_record(minutes, action="review", by=by)


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by: Any) -> Minutes:
    minutes = _minutes_locked(minutes)
    if minutes.status != MinutesStatus.REVIEWED:
        raise ValidationError(_("The minutes must be reviewed before they are approved."))
    latest = latest_minutes_document(minutes)
    if latest is None or latest.status != DocumentStatus.DONE:
        raise ValidationError(
            _("Generate the minutes PDF (and wait until it is done) before approving.")
        )
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_document = latest
    minutes.approved_by = by
    minutes.approved_at = timezone.now()
    return _minutes_record(minutes, action="approve", by=by)


@transaction.atomic
def minutes_reopen(*, minutes: Minutes, by: Any, reason: str) -> Minutes:
    minutes = _minutes_locked(minutes)
    if minutes.status != MinutesStatus.APPROVED:
        raise ValidationError(_("Only approved minutes can be reopened."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the approved minutes."))
    minutes.status = MinutesStatus.DRAFT
    minutes.approved_document = None
    minutes.approved_by = None
    minutes.approved_at = None
    return _minutes_record(minutes, action="reopen", by=by, reason=reason)


def session_dates(regular_only: bool) -> QuerySet[Session]:
    """The council sessions with their opening day as `day` (the day opened, else planned):
    declared to the core's follow-ups (`sessions_across`) from the app's `ready`."""
    sessions = Session.objects.annotate(day=Coalesce("actual_start", "planned_start"))
    if regular_only:
        sessions = sessions.filter(
            kind__in=[SessionKind.REGULAR_MID_YEAR, SessionKind.REGULAR_YEAR_END]
        )
    return sessions.select_related("term")


def last_liaison_day(council_codes: list[str], before: dt.date) -> dt.date | None:
    """The day of the last liaison meeting held before a day by one of these councils:
    declared to the core's dashboard ("since the last liaison meeting") from the app's
    `ready`."""
    return (
        Meeting.objects.filter(
            kind=MeetingKind.LIAISON, council__code__in=council_codes, date__lt=before
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


# The paperless session: read receipts, speaking, electronic votes ---------------------------


def document_read(*, attachment: Attachment, delegate: Delegate) -> DocumentRead:
    """Record that a delegate opened a document of the dossier: once, at the first opening
    (a second opening, even at the same instant from two devices, changes nothing)."""
    DocumentRead.objects.bulk_create(
        [DocumentRead(attachment=attachment, delegate=delegate)], ignore_conflicts=True
    )
    return DocumentRead.objects.get(attachment=attachment, delegate=delegate)


@transaction.atomic
def speaking_register(*, item: AgendaItem, delegate: Delegate, topic: str) -> SpeakingRequest:
    """Put a delegate at the end of an item's queue of speakers, with the topic of their speech."""
    _lock_agenda(item.session_id)
    _require_open(item.session)
    if delegate.term.council_id != item.session.council_id:
        raise ValidationError(_("Only delegates of the council speak at its session."))
    topic = topic.strip()
    if not topic:
        raise ValidationError(_("Write the topic of your speech."))
    if SpeakingRequest.objects.filter(item=item, delegate=delegate).exists():
        raise ValidationError(_("You are already registered to speak on this item."))
    last = item.speaking_requests.aggregate(m=Max("position"))["m"] or 0
    return SpeakingRequest.objects.create(
        item=item, delegate=delegate, topic=topic, position=last + 1
    )


@transaction.atomic
def speaking_move(*, request: SpeakingRequest, up: bool) -> SpeakingRequest:
    """Swap a speaker with the one before (up) or after them in the item's queue."""
    _lock_agenda(request.item.session_id)
    _require_open(request.item.session)
    queue = list(request.item.speaking_requests.order_by("position", "pk"))
    index = next(i for i, r in enumerate(queue) if r.pk == request.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(queue):
        queue[index], queue[other] = queue[other], queue[index]
    for position, row in enumerate(queue, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    request.refresh_from_db()
    return request


@transaction.atomic
def speaking_mark_spoken(*, request: SpeakingRequest, spoken: bool = True) -> SpeakingRequest:
    _require_open(request.item.session)
    request.spoken_at = timezone.now() if spoken else None
    request.save(update_fields=["spoken_at"])
    return request


@transaction.atomic
def evote_open(
    *,
    item: AgendaItem,
    question: str,
    majority: str,
    minutes: int | None = None,
    by: User | None,
) -> ElectronicVote:
    """Open an electronic vote on an item, today. One vote at a time per session (the hall's
    screen shows it); confidence votes stay secret paper ballots (NQ 96/2023/QH15, art. 12)."""
    session = item.session
    _lock_agenda(session.pk)
    _require_open(session)
    if item.kind == ItemKind.CONFIDENCE:
        raise ValidationError(
            _("A confidence vote is a secret paper ballot: it is never cast electronically.")
        )
    if majority not in Majority.values:
        raise ValidationError(_("Choose the majority needed."))
    if ElectronicVote.objects.filter(
        item__session=session, status=ElectronicVoteStatus.OPEN
    ).exists():
        raise ValidationError(_("Another vote of this session is open: close it first."))
    now = timezone.now()
    return ElectronicVote.objects.create(
        item=item,
        question=question.strip() or item.title,
        majority=majority,
        held_on=timezone.localdate(),
        opened_at=now,
        closes_at=now + dt.timedelta(minutes=minutes) if minutes else None,
        opened_by=by,
    )


def _lock_for_ballot(evote_id: int) -> tuple[str, dt.datetime | None]:
    """The vote's state, read under a lock that lets ballots go in side by side but waits for
    a closing in progress (PostgreSQL's FOR KEY SHARE against the closing's FOR UPDATE): no
    ballot slips in after the count."""
    if connection.vendor == "postgresql":
        table = ElectronicVote._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT status, closes_at FROM "{table}" WHERE id = %s FOR KEY SHARE',  # noqa: S608
                [evote_id],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValidationError(_("This vote no longer exists."))
        return row[0], row[1]
    state = ElectronicVote.objects.values_list("status", "closes_at").get(pk=evote_id)
    return state[0], state[1]


@transaction.atomic
def evote_cast(*, evote: ElectronicVote, delegate: Delegate, choice: str) -> ElectronicBallot:
    """A delegate's choice: recorded once per vote and delegate (a second press replaces the
    first while the vote is open). Refused after closing, for a delegate absent that day, and
    for anyone who is not a delegate of the council in office that day."""
    if choice not in (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN):
        raise ValidationError(_("Choose for, against or abstain."))
    status, closes_at = _lock_for_ballot(evote.pk)
    now = timezone.now()
    if status != ElectronicVoteStatus.OPEN or (closes_at is not None and now >= closes_at):
        raise ValidationError(_("The vote is closed: no ballot can be cast or changed."))
    session = evote.item.session
    # Who may vote, in one query: a delegate of the council in office that day, not marked
    # absent at that day's sitting.
    standing = (
        Delegate.objects.in_office(evote.held_on)
        .filter(pk=delegate.pk, term__council_id=session.council_id)
        .annotate(
            absent=Exists(
                Attendance.objects.filter(
                    sitting__session=session,
                    sitting__date=evote.held_on,
                    delegate_id=OuterRef("pk"),
                    presence__in=[Presence.EXCUSED, Presence.ABSENT],
                )
            )
        )
        .values_list("absent", flat=True)
        .first()
    )
    if standing is None:
        raise ValidationError(_("Only delegates of the council in office that day vote."))
    if standing:
        raise ValidationError(
            _("You are marked absent on %(day)s, so you cannot vote.")
            % {"day": evote.held_on.strftime("%d/%m/%Y")}
        )
    # One row per vote and delegate, whatever the timing of two presses (INSERT … ON CONFLICT).
    ballot = ElectronicBallot(evote=evote, delegate=delegate, choice=choice, cast_at=now)
    ElectronicBallot.objects.bulk_create(
        [ballot],
        update_conflicts=True,
        unique_fields=["evote", "delegate"],
        update_fields=["choice", "cast_at"],
    )
    return ballot


@transaction.atomic
def evote_close(*, evote: ElectronicVote, by: User | None) -> Vote:
    """Close the vote and record the result as the session's vote: the tally of the ballots,
    each delegate's choice kept as the roll call (those who did not press: not voting), the
    result computed by the rules in force over all delegates of the council that day."""
    locked = ElectronicVote.objects.select_for_update().get(pk=evote.pk)
    if locked.status != ElectronicVoteStatus.OPEN:
        raise ValidationError(_("This vote is already closed."))
    item = locked.item
    locked.status = ElectronicVoteStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    cast = dict(locked.ballots.values_list("delegate_id", "choice"))
    in_office = (
        Delegate.objects.in_office(locked.held_on)
        .filter(term__council_id=item.session.council_id)
        .values_list("pk", flat=True)
    )
    ballots = {pk: cast.get(pk, Choice.NOT_VOTING) for pk in in_office}
    vote = vote_record(
        item=item,
        subject=locked.question,
        majority=locked.majority,
        held_on=locked.held_on,
        ballots=ballots,
    )
    locked.result = vote
    locked.save(update_fields=["result"])
    evote.status, evote.closed_at, evote.result = locked.status, locked.closed_at, vote
    return vote


def evote_count(evote: ElectronicVote) -> int:
    """How many delegates have voted (never what they chose while the vote is open)."""
    return evote.ballots.count()
