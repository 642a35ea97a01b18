"""The sessions app's part of the dashboard: sessions held by kind, Standing Committee and
liaison meetings. Three queries whatever the size of the data."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councilportal.dashboard.board import (
    Board,
    Figure,
    Section,
    SectionResult,
    grouped_counts,
    in_period,
    merge_rows,
    monthly_counts,
    register_section,
)

from .models import Meeting, MeetingKind, Session, SessionKind


def compute(board: Board) -> SectionResult:
    held = board.scope(Session.objects.all()).filter(in_period(board, "actual_start"))
    counts = {
        "sessions": Q(),
        "sessions_mid": Q(kind=SessionKind.REGULAR_MID_YEAR),
        "sessions_end": Q(kind=SessionKind.REGULAR_YEAR_END),
        "sessions_thematic": Q(kind=SessionKind.THEMATIC),
        "sessions_extraordinary": Q(kind=SessionKind.EXTRAORDINARY),
    }
    totals, per_row = grouped_counts(board, held, counts)
    meetings = board.scope(Meeting.objects.all()).filter(in_period(board, "date"))
    meeting_counts = {
        "meetings_standing": Q(kind=MeetingKind.STANDING),
        "meetings_liaison": Q(kind=MeetingKind.LIAISON),
    }
    meeting_totals, meeting_rows = grouped_counts(board, meetings, meeting_counts)
    per_row = merge_rows(per_row, meeting_rows)
    session_list, meeting_list = "sessions:session-list", "sessions:meeting-list"
    figures = [
        Figure("sessions", _("Sessions held"), totals["sessions"], board.link(session_list)),
        Figure(
            "sessions_mid",
            _("Regular mid-year sessions"),
            totals["sessions_mid"],
            board.link(session_list, kind=SessionKind.REGULAR_MID_YEAR),
        ),
        Figure(
            "sessions_end",
            _("Regular year-end sessions"),
            totals["sessions_end"],
            board.link(session_list, kind=SessionKind.REGULAR_YEAR_END),
        ),
        Figure(
            "sessions_thematic",
            _("Thematic sessions"),
            totals["sessions_thematic"],
            board.link(session_list, kind=SessionKind.THEMATIC),
        ),
        Figure(
            "sessions_extraordinary",
            _("Extraordinary sessions"),
            totals["sessions_extraordinary"],
            board.link(session_list, kind=SessionKind.EXTRAORDINARY),
        ),
        Figure(
            "meetings_standing",
            _("Standing Committee meetings"),
            meeting_totals["meetings_standing"],
            board.link(meeting_list, kind=MeetingKind.STANDING),
        ),
        Figure(
            "meetings_liaison",
            _("Liaison meetings"),
            meeting_totals["meetings_liaison"],
            board.link(meeting_list, kind=MeetingKind.LIAISON),
        ),
    ]
    trend = monthly_counts(board, held, "actual_start", {"sessions": Q()})
    return SectionResult("sessions", _("Sessions and meetings"), figures, per_row, trend)


register_section(Section("sessions", 10, compute))
