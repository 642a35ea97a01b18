"""The daily job's reminders of the liaison reports not yet submitted (once per threshold:
due soon, overdue), to the reporting council's clerks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.follow_ups.reminders import ReminderSource, register_reminder


def _unsubmitted(on: dt.date, until: dt.date) -> Iterable[Any]:
    from .models import CouncilReport, ReportStatus

    return (
        CouncilReport.objects.exclude(status=ReportStatus.SUBMITTED)
        .filter(round__deadline__lte=until, round__meeting__date__gte=on)
        .select_related("council", "round__meeting")
    )


remind_reports = register_reminder(
    ReminderSource(
        name="liaison-reports",
        items=_unsubmitted,
        council_of=lambda report: report.council,
        due_of=lambda report: report.round.deadline,
        key="liaison-report",
        title=(
            _("Report for the liaison meeting due on %(date)s: %(meeting)s"),
            _("Report for the liaison meeting overdue since %(date)s: %(meeting)s"),
        ),
        words=lambda report: {"meeting": report.round.meeting.title[:150]},
        body=lambda report: str(_("Submit your council's report in the portal.")),
    )
)
