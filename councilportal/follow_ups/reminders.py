"""The daily reminder job: one loop over the sources that the core and each app declare.

One Celery beat job (`councilportal.tasks.daily_reminders`) runs every source. A source is a
declaration (`ReminderSource`): which items are open and due by a day, their council, due date,
key, title and body. The one loop here finds what is due soon (within the rule
"reminder.due_soon") or overdue, and notifies the council's clerks through
`notifications.services.notify`, once per item and threshold: the keys already notified are read
first (one query per thousand keys), and `notify`'s key (item + threshold) guards the rest.

Each app declares its source in `<app>/reminders.py` (found by `autodiscover_modules`) with
`register_reminder(ReminderSource(...))`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReminderSource:
    """What one kind of item needs to be reminded of. `items(on, until)` gives the open items
    due on or before `until`; `title` is (due soon, overdue), two texts formatted with
    `words(item)` and the due date as `%(date)s`; the notification key is
    `"{key}:{item.pk}:{threshold}"`."""

    name: str
    items: Callable[[dt.date, dt.date], Iterable[Any]]
    council_of: Callable[[Any], Any]
    due_of: Callable[[Any], dt.date]
    key: str
    title: tuple[Any, Any]
    words: Callable[[Any], dict[str, Any]]
    body: Callable[[Any], str]
    link: Callable[[Any], str] = lambda item: item.get_absolute_url()

    def __call__(self, on: dt.date) -> int:
        """Remind of this source's items on a day; returns how many notifications were sent."""
        return remind(self, on)


_sources: dict[str, ReminderSource] = {}


def register_reminder(source: ReminderSource) -> ReminderSource:
    """Add a source to the daily job (from `<app>/reminders.py`)."""
    _sources[source.name] = source
    return source


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


def due_soon_until(on: dt.date) -> dt.date:
    """The last day of the warning period that starts on `on` (the rule "reminder.due_soon")."""
    from councilportal.deadlines import count_days
    from councilportal.models import RuleMissing, rule

    try:
        warn = rule("reminder.due_soon", on=on)
    except RuleMissing:
        return on
    return count_days(on, warn.days, warn.unit).date


def already_notified(keys: list[str]) -> set[tuple[int, str]]:
    """(user id, key) of the notifications already sent with these keys, a query per 1,000."""
    from councilportal.models import Notification

    done: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 1000):
        done |= set(
            Notification.objects.filter(key__in=keys[start : start + 1000]).values_list(
                "user_id", "key"
            )
        )
    return done


def remind(source: ReminderSource, on: dt.date) -> int:
    """The one reminder loop: notify each item's council clerks, once per item and threshold."""
    from councilportal.notifications.services import notify

    items = list(source.items(on, due_soon_until(on)))
    councils = [source.council_of(item) for item in items]
    clerks = clerks_of({council.pk for council in councils})
    keys = [
        f"{source.key}:{item.pk}:{'overdue' if source.due_of(item) < on else 'due-soon'}"
        for item in items
    ]
    done = already_notified(keys)  # a second run costs no query per item
    sent = 0
    for item, council, key in zip(items, councils, keys, strict=True):
        due = source.due_of(item)
        soon, overdue = source.title
        title = (overdue if due < on else soon) % {
            **source.words(item),
            "date": date_format(due, "d/m/Y"),
        }
        for user in clerks.get(council.pk, []):
            if (user.pk, key) in done:
                continue
            if notify(
                user=user,
                key=key,
                title=str(title),
                body=source.body(item),
                link=source.link(item),
                council=council,
            ):
                sent += 1
    return sent


# The core's own source: the follow-ups (everything sent out that awaits an answer).


def _open_follow_ups(on: dt.date, until: dt.date) -> Iterable[Any]:
    from councilportal.models import FollowUp

    return (
        FollowUp.objects.open()
        .filter(due_date__lte=until)
        .select_related("council", "to_agency", "to_council", "to_organ")
    )


remind_follow_ups = register_reminder(
    ReminderSource(
        name="follow-ups",
        items=_open_follow_ups,
        council_of=lambda item: item.council,
        due_of=lambda item: item.due_date,
        key="follow-up",
        title=(_("Due on %(date)s: %(content)s"), _("Overdue since %(date)s: %(content)s")),
        words=lambda item: {"content": item.content[:150]},
        body=lambda item: _("Assigned to %(who)s.") % {"who": item.addressee},
    )
)
