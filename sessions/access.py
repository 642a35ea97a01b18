"""Who may do what in the sessions app, beyond the council scoping (councilportal.access)."""

from __future__ import annotations

from typing import Any

from councilportal.access import can_edit

from .models import Minutes, MinutesStatus, Session


def can_change_proceedings(user: Any, session: Session) -> bool:
    """Attendance, votes and agenda change while the session is open, by those who edit it."""
    return not session.is_closed and can_edit(user, session)


def can_request_minutes(user: Any, minutes: Minutes) -> bool:
    """A new version of a session's or meeting's minutes, by a writer of its council: approved
    minutes are frozen until they are reopened (services.minutes_reopen)."""
    return minutes.status != MinutesStatus.APPROVED and can_edit(user, minutes)
