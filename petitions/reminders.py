"""The petitions' source of the daily reminder job: items whose triage is due soon or overdue.

Forwarded items are core follow-ups, which the core's own source already reminds; this source
covers the council's own step, the triage, once per item and threshold (due soon, overdue).
The text names the petition by number and kind only, never a petitioner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from councilportal.follow_ups.reminders import ReminderSource, register_reminder

from .models import Outcome, PetitionItem


def _pending_items(on: dt.date, until: dt.date) -> Iterable[PetitionItem]:
    return (
        PetitionItem.objects.filter(outcome=Outcome.PENDING, triage_due__lte=until)
        .select_related("petition__council")
        .order_by("triage_due", "pk")
    )


remind_petitions = register_reminder(
    ReminderSource(
        name="petitions",
        items=_pending_items,
        council_of=lambda item: item.petition.council,
        due_of=lambda item: item.triage_due,
        key="petition-item",
        title=(
            _("Triage due on %(date)s: petition %(number)s (%(kind)s)"),
            _("Triage overdue since %(date)s: petition %(number)s (%(kind)s)"),
        ),
        words=lambda item: {
            "number": f"{item.petition.number:02d}/{item.petition.year}",
            "kind": item.get_kind_display().lower(),
        },
        body=lambda item: item.triage_explanation,
    )
)
