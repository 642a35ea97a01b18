"""Who may do what in a liaison round (issue 17).

- The province's clerks (those who write the round's council) open rounds, read every report,
  return a submitted one, compile and record the conclusions.
- Those who read the province (its leaders, clerks, administrators) read the status board and
  every report.
- A lower council's clerk reads and edits only its own report (another council's is a 404:
  `CouncilReport` is scoped by the reporting council) and submits it; once submitted it is
  locked until the province returns it.
"""

from __future__ import annotations

from councilportal.access import can_edit, can_read
from councilportal.typing import AnyUser

from .models import CouncilReport, ReportingRound, ReportStatus


def round_can_manage(user: AnyUser, liaison_round: ReportingRound) -> bool:
    return can_edit(user, liaison_round)


def round_can_read_board(user: AnyUser, liaison_round: ReportingRound) -> bool:
    """The status board and the compiled figures: those who read the round's own council."""
    return can_read(user, liaison_round.council)


def report_can_edit(user: AnyUser, report: CouncilReport) -> bool:
    return report.status != ReportStatus.SUBMITTED and can_edit(user, report)


def report_can_submit(user: AnyUser, report: CouncilReport) -> bool:
    return report_can_edit(user, report)


def report_can_return(user: AnyUser, report: CouncilReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and can_edit(user, report.round)
