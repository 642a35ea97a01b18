"""A delegate's record of activity in the term (hoạt động của đại biểu): the page and the PDF
read the same dictionary, built with a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from typing import Any

from councilportal.models import Delegate

from .models import Attendance, Ballot, Choice, Presence, SpeakingRequest


def delegate_activity(delegate: Delegate) -> dict[str, Any]:
    """Sittings attended and missed (with reasons), votes cast, speeches, questions asked,
    voter-contact meetings and citizen receptions in the delegate's term.

    Voter meetings and receptions name their delegates in a text field (as the minutes of
    those meetings do), so they are found by the delegate's full name within the term."""
    from petitions.models import ReceptionRecord, VoterMeeting
    from supervision.models import Question

    term = delegate.term
    council_id = term.council_id
    attendance = list(
        Attendance.objects.filter(delegate=delegate)
        .select_related("sitting__session")
        .order_by("sitting__date")
    )
    presence = Counter(a.presence for a in attendance)
    ballots = list(
        Ballot.objects.filter(delegate=delegate)
        .exclude(choice=Choice.NOT_VOTING)
        .select_related("vote__item__session")
        .order_by("vote__held_on", "vote__pk")
    )
    speeches = list(
        SpeakingRequest.objects.filter(delegate=delegate)
        .select_related("item__session")
        .order_by("requested_at")
    )
    questions = list(
        Question.objects.filter(delegate=delegate)
        .select_related("questioning", "group")
        .order_by("asked_on", "pk")
    )
    in_term = {"date__gte": term.start_date, "date__lte": term.end_date}
    meetings = list(
        VoterMeeting.objects.filter(
            council_id=council_id, delegates_attending__icontains=delegate.full_name, **in_term
        ).order_by("date")
    )
    receptions = list(
        ReceptionRecord.objects.filter(
            council_id=council_id, received_by__icontains=delegate.full_name, **in_term
        ).order_by("date")
    )
    return {
        "attendance": attendance,
        "sessions": len({a.sitting.session_id for a in attendance}),
        "attended": presence[Presence.PRESENT] + presence[Presence.LATE],
        "excused": presence[Presence.EXCUSED],
        "absent": presence[Presence.ABSENT],
        "absences": [a for a in attendance if a.presence in (Presence.EXCUSED, Presence.ABSENT)],
        "ballots": ballots,
        "speeches": speeches,
        "spoken": sum(1 for s in speeches if s.spoken_at),
        "questions": questions,
        "meetings": meetings,
        "receptions": receptions,
    }
