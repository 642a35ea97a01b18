"""The consolidated report of a round (báo cáo tổng hợp, Decree 30 "BÁO CÁO"): the province's
own figures, every lower council's figures side by side (corrections marked, with their
reasons), the proposals grouped by field and the good practices on the topic."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line
from resolutions.models import Field

from . import services
from .access import round_can_manage, round_can_read_board
from .models import Proposal, ReportingRound, ReportStatus


def consolidated_context(liaison_round: ReportingRound) -> dict[str, Any]:
    council = liaison_round.council
    table = services.round_table(liaison_round)
    reports = [row.report for row in table.rows]
    submitted = [r for r in reports if r.status == ReportStatus.SUBMITTED]
    proposals: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in (
        Proposal.objects.filter(report__in=submitted)
        .select_related("report__council")
        .order_by("report__council__path", "pk")
    ):
        proposals[proposal.field].append(proposal)
    labels = dict(Field.choices)
    term = (
        council.terms.filter(start_date__lte=liaison_round.meeting.date)  # type: ignore[attr-defined]
        .order_by("-start_date")
        .first()
    )
    tasks = services.previous_tasks(liaison_round)
    return {
        "round": liaison_round,
        "meeting": liaison_round.meeting,
        "council": council,
        "table": table,
        "submitted": submitted,
        "missing": [r for r in reports if r.status != ReportStatus.SUBMITTED],
        "proposals": [
            {"field": labels.get(key, key), "items": items}
            for key, items in sorted(proposals.items(), key=lambda kv: str(labels.get(kv[0])))
        ],
        "practices": [r for r in submitted if r.good_practices.strip()],
        "assessments": [r for r in submitted if r.assessment.strip() or r.difficulties.strip()],
        "previous_tasks": tasks,
        "task_counts": services.task_counts(tasks, liaison_round.meeting.date),
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(term) if term else None,
        "symbol": "BC-HĐND",
        "parent_issuer": "",
    }


CONSOLIDATED_REPORT = register(
    DocumentKind(
        key="liaison.consolidated-report",
        label=_("Consolidated report for the liaison meeting"),
        model=ReportingRound,
        template="liaison/pdf/consolidated_report.html",
        build_context=consolidated_context,
        title=lambda r: f"Báo cáo tổng hợp — {r.meeting.title}",
        can_read=round_can_read_board,
        can_request=round_can_manage,
        queryset=ReportingRound.objects.select_related("council", "meeting"),
    )
)
