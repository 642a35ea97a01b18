"""Printable documents of the sessions app: agenda, minutes, session report, confidence vote
results, meeting minutes. Each context is built with a fixed number of queries, from a source
the pipeline loaded with its kind's `queryset`. The kinds are exported (`MINUTES`, ...): code
names a kind by its constant, never by its key."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.documents.attachments import Attachable, register_attachable
from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line
from councilportal.models import Delegate

from .access import can_request_minutes
from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    ConfidenceVote,
    Minutes,
    Presence,
    Session,
    Sitting,
    SpeakingRequest,
    Vote,
)


def _session_base(session: Session) -> dict[str, Any]:
    """The heading of a session's document; the session comes with its council and term."""
    council = session.council
    return {
        "session": session,
        "council": council,
        "term": session.term,
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(session.term),
    }


def _items(session: Session) -> list[AgendaItem]:
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("sitting")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.order_by("held_on", "pk")))
        .order_by("position")
    )
    Vote.prime([v for item in items for v in item.votes.all()], session.council)
    return items


def _sittings(session: Session) -> list[dict[str, Any]]:
    sittings = list(Sitting.objects.filter(session=session).order_by("date"))
    counts: dict[int, Counter[str]] = {s.pk: Counter() for s in sittings}
    absentees: dict[int, list[Attendance]] = {s.pk: [] for s in sittings}
    records: dict[int, list[Attendance]] = {s.pk: [] for s in sittings}
    for record in Attendance.objects.filter(sitting__session=session).select_related("delegate"):
        counts[record.sitting_id][record.presence] += 1
        records[record.sitting_id].append(record)
        if record.presence in (Presence.EXCUSED, Presence.ABSENT):
            absentees[record.sitting_id].append(record)
    # The delegates in office on each sitting day, from one query (counts change when a
    # delegate leaves office mid-session).
    spans = list(
        Delegate.objects.filter(term__council_id=session.council_id).values_list(
            "start_date", "end_date", "term__start_date", "term__end_date"
        )
    )

    def in_office(day: Any) -> int:
        # Delegate.objects.in_office(day), counted in Python over one query.
        if not session.council.is_valid_on(day):
            return 0
        return sum(
            1
            for start, end, term_start, term_end in spans
            if start <= day and term_start <= day <= term_end and (end is None or day <= end)
        )

    return [
        {
            "sitting": s,
            "present": counts[s.pk][Presence.PRESENT],
            "late": counts[s.pk][Presence.LATE],
            "excused": counts[s.pk][Presence.EXCUSED],
            "absent": counts[s.pk][Presence.ABSENT],
            "attending": counts[s.pk][Presence.PRESENT] + counts[s.pk][Presence.LATE],
            "total": in_office(s.date) if s.recorded_total is None else s.recorded_total,
            "absentees": sorted(absentees[s.pk], key=lambda a: a.delegate.full_name),
            # The annex: every delegate on record that day, present first, then absent.
            "records": sorted(
                records[s.pk],
                key=lambda a: (_PRESENCE_ORDER[a.presence], a.delegate.full_name, a.pk),
            ),
        }
        for s in sittings
    ]


_PRESENCE_ORDER = {value: n for n, value in enumerate(Presence.values)}


def _roll_calls(session: Session, votes: list[Vote]) -> list[dict[str, Any]]:
    """Each roll-call vote with every delegate's choice, for the annex (one query whatever the
    number of votes and delegates)."""
    roll_calls = [v for v in votes if v.is_roll_call]
    ballots: dict[int, list[Ballot]] = {v.pk: [] for v in roll_calls}
    for ballot in (
        # By session, not by a list of votes: an empty list would skip the query and the
        # count would change with the data.
        Ballot.objects.filter(vote__item__session=session, vote__is_roll_call=True)
        .select_related("delegate")
        .order_by("delegate__full_name", "pk")
    ):
        ballots.setdefault(ballot.vote_id, []).append(ballot)
    return [{"vote": v, "ballots": ballots[v.pk]} for v in roll_calls]


def _speakers(session: Session, items: list[AgendaItem]) -> None:
    """Each item's delegates who spoke, in the order they spoke (one query)."""
    spoken: dict[int, list[SpeakingRequest]] = {item.pk: [] for item in items}
    for speech in (
        SpeakingRequest.objects.filter(item__session=session, spoken_at__isnull=False)
        .select_related("delegate")
        .order_by("position", "pk")
    ):
        spoken.setdefault(speech.item_id, []).append(speech)
    for item in items:
        item.speakers = spoken[item.pk]  # type: ignore[attr-defined]


def agenda_context(session: Session) -> dict[str, Any]:
    context = _session_base(session)
    context.update(items=_items(session), symbol="CTr-HĐND")
    return context


def minutes_context(minutes: Minutes) -> dict[str, Any]:
    session = minutes.session
    assert session is not None  # MINUTES.can_request admits only a session's minutes
    context = _session_base(session)
    context["minutes"] = minutes
    # The minutes are dated on the day the session closed, not the day they are printed.
    items = _items(session)
    _speakers(session, items)
    context.update(
        items=items,
        sittings=_sittings(session),
        roll_calls=_roll_calls(session, [vote for item in items for vote in item.votes.all()]),
        symbol="BB-HĐND",
        date_line=vn_date_line(session.council.place_name, session.closing),
    )
    return context


def report_context(session: Session) -> dict[str, Any]:
    context = _session_base(session)
    items = _items(session)
    votes = [vote for item in items for vote in item.votes.all()]
    context.update(
        items=items,
        votes=votes,
        passed=sum(1 for v in votes if v.passed),
        sittings=_sittings(session),
        roll_calls=_roll_calls(session, votes),
        symbol="BC-HĐND",
    )
    return context


def confidence_context(vote: ConfidenceVote) -> dict[str, Any]:
    context = _session_base(vote.session)
    ratings = list(vote.ratings.all())
    context.update(
        vote=vote,
        rated=[r for r in ratings if not r.exempt],
        exempt=[r for r in ratings if r.exempt],
        symbol="BC-HĐND",
    )
    return context


def meeting_minutes_context(minutes: Minutes) -> dict[str, Any]:
    meeting = minutes.meeting
    assert meeting is not None  # MEETING_MINUTES.can_request admits only a meeting's minutes
    council = meeting.council
    return {
        "minutes": minutes,
        "meeting": meeting,
        "council": council,
        "participant_councils": list(meeting.participant_councils.all()),
        "participants": [p.strip() for p in meeting.participants.splitlines() if p.strip()],
        "tasks": list(meeting.tasks()),
        "date_line": vn_date_line(council.place_name, meeting.date),
        "symbol": "BB-TTHĐND",
    }


def _session_title(prefix: str) -> Any:
    return lambda s: f"{prefix} {s} — {s.council.name}"


_SESSION = Session.objects.select_related("council", "term")

AGENDA = register(
    DocumentKind(
        key="sessions.agenda",
        label=_("Agenda"),
        model=Session,
        template="sessions/pdf/agenda.html",
        build_context=agenda_context,
        title=_session_title("Chương trình"),
        queryset=_SESSION,
    )
)
# The minutes are printed from the Minutes record (which carries their approval), not from the
# session: the approval flow and the printed versions are of one object.
MINUTES = register(
    DocumentKind(
        key="sessions.minutes",
        label=_("Minutes"),
        model=Minutes,
        template="sessions/pdf/minutes.html",
        build_context=minutes_context,
        can_request=lambda user, m: m.session_id is not None and can_request_minutes(user, m),
        title=lambda m: f"Biên bản {m.session} — {m.session.council.name}",
        queryset=Minutes.objects.select_related("council", "session__council", "session__term"),
    )
)
REPORT = register(
    DocumentKind(
        key="sessions.report",
        label=_("Session report"),
        model=Session,
        template="sessions/pdf/report.html",
        build_context=report_context,
        title=_session_title("Báo cáo kết quả"),
        queryset=_SESSION,
    )
)
CONFIDENCE_RESULTS = register(
    DocumentKind(
        key="sessions.confidence-results",
        label=_("Confidence vote results"),
        model=ConfidenceVote,
        template="sessions/pdf/confidence.html",
        build_context=confidence_context,
        title=lambda v: f"Kết quả lấy phiếu tín nhiệm — {v.session} — {v.session.council.name}",
        queryset=ConfidenceVote.objects.select_related("session__council", "session__term"),
    )
)
MEETING_MINUTES = register(
    DocumentKind(
        key="sessions.meeting-minutes",
        label=_("Minutes"),
        model=Minutes,
        template="sessions/pdf/meeting_minutes.html",
        build_context=meeting_minutes_context,
        can_request=lambda user, m: m.meeting_id is not None and can_request_minutes(user, m),
        title=lambda m: f"Biên bản {m.meeting.title}",
        queryset=Minutes.objects.select_related("council", "meeting__council"),
    )
)


# The files of an agenda item: submissions, drafts, reports (uploaded on its page).
register_attachable(Attachable(model=AgendaItem, council_of=lambda item: item.session.council))


def delegate_record_context(delegate: Delegate) -> dict[str, Any]:
    from .record import delegate_activity

    term = delegate.term
    council = term.council
    return {
        "delegate": delegate,
        "council": council,
        "term": term,
        "record": delegate_activity(delegate),
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(term),
        "symbol": "BC-HĐND",
    }


def _may_request_record(user: Any, delegate: Delegate) -> bool:
    """The delegate themself, or the Standing Committee and secretariat of the council."""
    from councilportal.access import can_edit

    return bool(delegate.user_id and delegate.user_id == user.pk) or can_edit(user, delegate)


DELEGATE_RECORD = register(
    DocumentKind(
        key="sessions.delegate-record",
        label=_("Delegate's activity record"),
        model=Delegate,
        template="sessions/pdf/delegate_record.html",
        build_context=delegate_record_context,
        council_of=lambda d: d.term.council,
        can_request=_may_request_record,
        title=lambda d: f"Hoạt động của đại biểu {d.full_name} — {d.term.council.name}",
        queryset=Delegate.objects.select_related("term__council", "delegate_group"),
    )
)
