"""Who may do what in the sessions app, beyond the council scoping (councilportal.access)."""

from __future__ import annotations

from typing import Any

from councilportal.access import can_edit

from .models import MinutesStatus, Session


def can_change_proceedings(user: Any, session: Session) -> bool:
    """Attendance, votes and agenda change while the session is open, by those who edit it."""
    return not session.is_closed and can_edit(user, session)


def can_request_minutes(user: Any, subject: Any) -> bool:
    """A new version of a session's or meeting's minutes: approved minutes are frozen until
    they are reopened."""
    if not can_edit(user, subject):
        return False
    minutes = getattr(subject, "minutes", None)
    return minutes is None or minutes.status != MinutesStatus.APPROVED
