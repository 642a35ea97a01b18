"""The petitions app's part of the dashboard: citizen reception, petitions received by kind
and what became of them, voter contact and voters' recommendations (DOMAIN.md §8, points 6
and 7). Five grouped queries, whatever the size of the registers."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.dashboard.board import (
    Board,
    Figure,
    Section,
    SectionResult,
    grouped_counts,
    in_period,
    merge_rows,
    monthly_counts,
    register_section,
)

from .models import (
    ItemKind,
    Outcome,
    Petition,
    PetitionItem,
    ReceptionRecord,
    VoterMeeting,
    VoterRecommendation,
)
from .services import answered, carried_over


def petitions(board: Board) -> SectionResult:
    received = board.scope(Petition.objects.all()).filter(in_period(board, "received_on"))
    today = timezone.localdate()
    totals, per_row = grouped_counts(board, received, {"petitions": Q()})
    # What became of them is counted per item (a mixed petition is split into items of one
    # kind each), on the items of the petitions received: one pass over the items alone (they
    # carry their petition's council and date), no join, no DISTINCT.
    items = board.scope(PetitionItem.objects.all(), "petition_council").filter(
        in_period(board, "petition_received_on")
    )
    late = Q(outcome=Outcome.PENDING, triage_due__lt=today) | Q(
        follow_up__status__in=["open", "partly_done"], follow_up__due_date__lt=today
    )
    counts = {
        "petitions_complaints": Q(kind=ItemKind.COMPLAINT),
        "petitions_denunciations": Q(kind=ItemKind.DENUNCIATION),
        "petitions_recommendations": Q(kind=ItemKind.RECOMMENDATION),
        "petitions_reflections": Q(kind=ItemKind.REFLECTION),
        "petitions_forwarded": Q(outcome=Outcome.FORWARD),
        "petitions_guided": Q(outcome=Outcome.GUIDE),
        "petitions_archived": Q(outcome=Outcome.ARCHIVE),
        "petitions_answered": Q(answered_on__isnull=False),
        "petitions_overdue": late,
    }
    item_totals, item_rows = grouped_counts(board, items, counts, lookup="petition_council")
    totals.update(item_totals)
    per_row = merge_rows(per_row, item_rows)
    records = board.scope(ReceptionRecord.objects.all()).filter(in_period(board, "date"))
    record_totals, record_rows = grouped_counts(board, records, {"reception_records": Q()})
    listing = "petitions:petition-list"
    figures = [
        Figure("petitions", _("Petitions received"), totals["petitions"], board.link(listing)),
        Figure(
            "petitions_complaints",
            _("complaint items"),
            totals["petitions_complaints"],
            board.link(listing, kind=ItemKind.COMPLAINT),
        ),
        Figure(
            "petitions_denunciations",
            _("denunciation items"),
            totals["petitions_denunciations"],
            board.link(listing, kind=ItemKind.DENUNCIATION),
        ),
        Figure(
            "petitions_recommendations",
            _("recommendation items"),
            totals["petitions_recommendations"],
            board.link(listing, kind=ItemKind.RECOMMENDATION),
        ),
        Figure(
            "petitions_reflections",
            _("reflection items"),
            totals["petitions_reflections"],
            board.link(listing, kind=ItemKind.REFLECTION),
        ),
        Figure(
            "petitions_forwarded",
            _("items forwarded to the competent agency"),
            totals["petitions_forwarded"],
            board.link(listing, outcome=Outcome.FORWARD),
        ),
        Figure(
            "petitions_guided",
            _("items: citizen guided"),
            totals["petitions_guided"],
            board.link(listing, outcome=Outcome.GUIDE),
        ),
        Figure(
            "petitions_archived",
            _("items filed away"),
            totals["petitions_archived"],
            board.link(listing, outcome=Outcome.ARCHIVE),
        ),
        Figure(
            "petitions_answered",
            _("items answered by the agency"),
            totals["petitions_answered"],
            board.link(listing, answered="true"),
        ),
        Figure(
            "petitions_overdue",
            _("items overdue today"),
            totals["petitions_overdue"],
            board.link(listing, overdue="true"),
            tone="danger",
        ),
        Figure(
            "reception_records",
            _("Citizen receptions recorded"),
            record_totals["reception_records"],
            board.link("petitions:record-list"),
        ),
    ]
    trend = monthly_counts(board, received, "received_on", {"petitions": Q()})
    return SectionResult(
        "petitions",
        _("Citizen reception and petitions"),
        figures,
        merge_rows(per_row, record_rows),
        trend,
    )


def voters(board: Board) -> SectionResult:
    meetings = board.scope(VoterMeeting.objects.all()).filter(in_period(board, "date"))
    meeting_totals, meeting_rows = grouped_counts(board, meetings, {"voter_meetings": Q()})
    raised = (
        board.scope(VoterRecommendation.objects.all())
        .filter(merged_into__isnull=True)
        .filter(in_period(board, "session__planned_start"))
    )
    counts = {
        "voter_recommendations": Q(),
        "voter_forwarded": Q(follow_up__isnull=False),
        "voter_answered": answered(),
        "voter_resolved": Q(outcome="resolved"),
        "voter_carried_over": carried_over(),
    }
    totals, per_row = grouped_counts(board, raised, counts)
    listing = "petitions:recommendation-list"
    figures = [
        Figure(
            "voter_meetings",
            _("Voter-contact meetings"),
            meeting_totals["voter_meetings"],
            board.link("petitions:votermeeting-list"),
        ),
        Figure(
            "voter_recommendations",
            _("Voters' recommendations raised"),
            totals["voter_recommendations"],
            board.link(listing),
        ),
        Figure(
            "voter_forwarded",
            _("forwarded"),
            totals["voter_forwarded"],
            board.link(listing, forwarded="true"),
        ),
        Figure(
            "voter_answered",
            _("answered"),
            totals["voter_answered"],
            board.link(listing, answered="true"),
        ),
        Figure(
            "voter_resolved",
            _("resolved"),
            totals["voter_resolved"],
            board.link(listing, outcome="resolved"),
        ),
        Figure(
            "voter_carried_over",
            _("carried over two sessions or more"),
            totals["voter_carried_over"],
            board.link(listing, carried_over="true"),
            tone="danger",
        ),
    ]
    return SectionResult(
        "voters",
        _("Voter contact and voters' recommendations"),
        figures,
        merge_rows(meeting_rows, per_row),
    )


register_section(Section("petitions", 40, petitions))
register_section(Section("voters", 50, voters))
