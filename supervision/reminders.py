"""The supervision's source of the daily reminder job: milestones not done that fall due soon or
are overdue. (Recommendations and commitments are core follow-ups, reminded by the core's own
source.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from councilportal.follow_ups.reminders import ReminderSource, register_reminder

from .models import Milestone


def _open_milestones(on: dt.date, until: dt.date) -> Iterable[Milestone]:
    return (
        Milestone.objects.filter(done_on__isnull=True, due_date__lte=until)
        .select_related("activity__council")
        .order_by("due_date", "pk")
    )


remind_milestones = register_reminder(
    ReminderSource(
        name="supervision-milestones",
        items=_open_milestones,
        council_of=lambda milestone: milestone.activity.council,
        due_of=lambda milestone: milestone.due_date,
        key="supervision-milestone",
        title=(
            _("Milestone due on %(date)s: %(milestone)s — %(activity)s"),
            _("Milestone overdue since %(date)s: %(milestone)s — %(activity)s"),
        ),
        words=lambda milestone: {
            "milestone": milestone.get_kind_display(),
            "activity": milestone.activity.title[:120],
        },
        body=lambda milestone: milestone.due_explanation,
    )
)
