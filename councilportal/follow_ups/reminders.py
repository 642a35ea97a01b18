"""The daily reminder job's sources: follow-ups here, and whatever each app registers.

One Celery beat job (`councilportal.tasks.daily_reminders`) runs every source. A source finds
what is due soon or overdue on a day and notifies the responsible users through
`notifications.services.notify`, whose key (item + threshold) makes a second run notify nobody
again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.translation import gettext as _

ReminderSource = Callable[[dt.date], int]
_sources: dict[str, ReminderSource] = {}


def register_reminder(name: str, source: ReminderSource) -> None:
    """Add a source to the daily job (call from AppConfig.ready())."""
    _sources[name] = source


def run_reminders(on: dt.date) -> dict[str, int]:
    return {name: source(on) for name, source in sorted(_sources.items())}


def clerks_of(council_ids: set[int]) -> dict[int, list]:
    """The users responsible for a council's items: its clerks (one query)."""
    from councilportal.models import Role, RoleAssignment

    users: dict[int, list] = {pk: [] for pk in council_ids}
    rows = RoleAssignment.objects.filter(
        council_id__in=council_ids, role=Role.CLERK, user__is_active=True
    ).select_related("user")
    for row in rows:
        users[row.council_id].append(row.user)
    return users


def remind_follow_ups(on: dt.date) -> int:
    """Follow-ups due within the warning period (a rule) or overdue: notify their council's
    clerks, once per follow-up and threshold."""
    from councilportal.deadlines import count_days
    from councilportal.models import FollowUp, RuleMissing, rule
    from councilportal.notifications.services import notify

    try:
        warn = rule("reminder.due_soon", on=on)
        soon_until = count_days(on, warn.days, warn.unit).date
    except RuleMissing:
        soon_until = on
    items = list(
        FollowUp.objects.open()
        .filter(due_date__lte=soon_until)
        .select_related("council", "to_agency", "to_council", "to_organ")
    )
    clerks = clerks_of({item.council_id for item in items})
    sent = 0
    for item in items:
        overdue = item.due_date < on
        threshold = "overdue" if overdue else "due-soon"
        title = (
            _("Overdue since %(date)s: %(content)s")
            if overdue
            else _("Due on %(date)s: %(content)s")
        ) % {"date": date_format(item.due_date, "d/m/Y"), "content": item.content[:150]}
        for user in clerks.get(item.council_id, []):
            if notify(
                user=user,
                key=f"follow-up:{item.pk}:{threshold}",
                title=title,
                body=_("Assigned to %(who)s.") % {"who": item.addressee},
                link=item.get_absolute_url(),
                council=item.council,
            ):
                sent += 1
    return sent
