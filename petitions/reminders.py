"""The petitions' source of the daily reminder job: items whose triage is overdue.

Forwarded items are core follow-ups, which the core's own source already reminds; this source
covers the council's own step, the triage, once per item and threshold (due soon, overdue).
The text names the petition by number and kind only, never a petitioner.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def remind_petitions(on: dt.date) -> int:
    from councilportal.deadlines import count_days
    from councilportal.follow_ups.reminders import clerks_of
    from councilportal.models import Notification, RuleMissing, rule
    from councilportal.notifications.services import notify

    from .models import Outcome, PetitionItem

    try:
        warn = rule("reminder.due_soon", on=on)
        soon_until = count_days(on, warn.days, warn.unit).date
    except RuleMissing:
        soon_until = on
    items = list(
        PetitionItem.objects.filter(outcome=Outcome.PENDING, triage_due__lte=soon_until)
        .select_related("petition__council")
        .order_by("triage_due", "pk")
    )
    clerks = clerks_of({item.petition.council_id for item in items})

    def key_of(item: PetitionItem) -> str:
        assert item.triage_due is not None
        return f"petition-item:{item.pk}:{'overdue' if item.triage_due < on else 'due-soon'}"

    # What was already notified, in one query: a second run costs no query per item.
    keys = [key_of(item) for item in items]
    done: set[tuple[int, str]] = set()
    for start in range(0, len(keys), 1000):
        done |= set(
            Notification.objects.filter(key__in=keys[start : start + 1000]).values_list(
                "user_id", "key"
            )
        )
    sent = 0
    for item in items:
        assert item.triage_due is not None
        petition = item.petition
        overdue = item.triage_due < on
        key = key_of(item)
        values = {
            "number": f"{petition.number:02d}/{petition.year}",
            "kind": item.get_kind_display().lower(),
            "date": date_format(item.triage_due, "d/m/Y"),
        }
        title = (
            _("Triage overdue since %(date)s: petition %(number)s (%(kind)s)")
            if overdue
            else _("Triage due on %(date)s: petition %(number)s (%(kind)s)")
        ) % values
        for user in clerks.get(petition.council_id, []):
            if (user.pk, key) in done:
                continue
            if notify(
                user=user,
                key=key,
                title=title,
                body=item.triage_explanation,
                link=item.get_absolute_url(),
                council=petition.council,
            ):
                sent += 1
    return sent
