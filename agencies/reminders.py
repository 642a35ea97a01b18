"""The daily job tells the agencies, too: the people of the agency an open item is addressed to
are notified when it comes due and when it is overdue, once per item and threshold (the core's
loop notifies the council's clerks of the same items)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from councilportal.follow_ups.reminders import (
    ReminderSource,
    already_notified,
    due_soon_until,
    register_reminder,
)


def _items(on: dt.date, until: dt.date) -> Iterable[Any]:
    from councilportal.models import FollowUp

    return (
        FollowUp.objects.open()
        .filter(to_agency__isnull=False, due_date__lte=until)
        .select_related("council")
    )


@dataclass(frozen=True)
class AgencyReminderSource(ReminderSource):
    """The follow-ups addressed to agencies, reminded to the agencies' own people."""

    def __call__(self, on: dt.date) -> int:
        from councilportal.notifications.services import notify

        from .models import AgencyMembership

        items = list(self.items(on, due_soon_until(on)))
        people: dict[int, list[Any]] = defaultdict(list)
        for membership in AgencyMembership.objects.filter(
            agency_id__in={i.to_agency_id for i in items}, user__is_active=True
        ).select_related("user"):
            people[membership.agency_id].append(membership.user)
        keys = [f"{self.key}:{i.pk}:{'overdue' if i.due_date < on else 'due-soon'}" for i in items]
        done = already_notified(keys)
        sent = 0
        for item, key in zip(items, keys, strict=True):
            soon, overdue = self.title
            title = (overdue if item.due_date < on else soon) % {
                "content": item.content[:150],
                "date": date_format(item.due_date, "d/m/Y"),
            }
            for user in people.get(item.to_agency_id, []):
                if (user.pk, key) in done:
                    continue
                if notify(
                    user=user,
                    key=key,
                    title=str(title),
                    body=str(self.body(item)),
                    link=self.link(item),
                ):
                    sent += 1
        return sent


remind_agencies = register_reminder(
    AgencyReminderSource(
        name="agency-items",
        items=_items,
        council_of=lambda item: item.council,
        due_of=lambda item: item.due_date,
        key="agency-item",
        title=(_("Due on %(date)s: %(content)s"), _("Overdue since %(date)s: %(content)s")),
        words=lambda item: {"content": item.content[:150]},
        body=lambda item: _("Sent by %(council)s.") % {"council": item.council},
        link=lambda item: reverse("agencies:item-detail", args=[item.pk]),
    )
)
