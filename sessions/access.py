"""Who may do what in the sessions app, beyond the council scoping (councilportal.access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from councilportal.access import can_edit
from councilportal.models import Delegate

from .models import Minutes, MinutesStatus, Session


def can_change_proceedings(user: Any, session: Session) -> bool:
    """Attendance, votes and agenda change while the session is open, by those who edit it."""
    return not session.is_closed and can_edit(user, session)


def can_request_minutes(user: Any, minutes: Minutes) -> bool:
    """A new version of a session's or meeting's minutes, by a writer of its council: approved
    minutes are frozen until they are reopened (services.minutes_reopen)."""
    return minutes.status != MinutesStatus.APPROVED and can_edit(user, minutes)


def delegate_of(user: Any, council_id: int, day: dt.date | None = None) -> Delegate | None:
    """The user's own delegate record on a council (a delegate's portal account is linked to
    their record in the register, `Delegate.user`), in office on the day: None for anyone who
    is not a delegate of that council then. Nobody votes or speaks for someone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Delegate.objects.in_office(day or timezone.localdate())
        .filter(user=user, term__council_id=council_id)
        .select_related("term")
        .first()
    )


def delegates_of(user: Any) -> list[Delegate]:
    """Every delegate record linked to the user (one per term and council), newest term first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Delegate.objects.filter(user=user)
        .select_related("term__council")
        .order_by("-term__start_date", "pk")
    )


def can_run_session(user: Any, session: Session) -> bool:
    """Opening and closing votes, ordering the speakers: the secretariat of the session's
    council (those who write it) while the session is open."""
    return can_change_proceedings(user, session)
