"""The supervision app's part of the dashboard (DOMAIN.md §8.4): programme items done against
planned, delegations, field visits, questions, explanation sessions, and recommendations issued,
completed and overdue at the end of the period. One query per kind of record."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
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
from councilportal.models import FollowUpStatus

from .models import (
    Activity,
    Explanation,
    FieldVisit,
    ItemStatus,
    ProgrammeItem,
    Question,
    Recommendation,
    RecommendationStatus,
)


def compute(board: Board) -> SectionResult:
    start, end = board.period.start, board.period.end
    parts: list[dict[Any, dict[str, int]]] = []
    items = board.scope(ProgrammeItem.objects.all(), "programme__council").filter(
        planned_end__gte=start, planned_end__lte=end
    )
    item_totals, rows = grouped_counts(
        board,
        items,
        {
            "items_planned": ~Q(status=ItemStatus.CANCELLED),
            "items_done": Q(status=ItemStatus.DONE),
        },
        lookup="programme__council",
    )
    parts.append(rows)
    activities = board.scope(Activity.objects.all()).filter(in_period(board, "decision_date"))
    activity_totals, rows = grouped_counts(board, activities, {"activities": Q()})
    parts.append(rows)
    visits = board.scope(FieldVisit.objects.all(), "activity__council").filter(
        in_period(board, "date")
    )
    visit_totals, rows = grouped_counts(board, visits, {"visits": Q()}, lookup="activity__council")
    parts.append(rows)
    questions = board.scope(Question.objects.all(), "questioning__council").filter(
        in_period(board, "asked_on")
    )
    question_totals, rows = grouped_counts(
        board,
        questions,
        {"questions": Q(), "questions_at_sessions": Q(questioning__session__isnull=False)},
        lookup="questioning__council",
    )
    parts.append(rows)
    explanations = board.scope(Explanation.objects.all()).filter(in_period(board, "held_on"))
    explanation_totals, rows = grouped_counts(board, explanations, {"explanations": Q()})
    parts.append(rows)
    # Recommendations: issued in the period, completed in it, and overdue on its last day
    # (open then, past due; one closed after the period was still open on its last day).
    open_at_end = Q(follow_up__closed_on__isnull=True) | Q(follow_up__closed_on__gt=end)
    recommendations = (
        board.scope(Recommendation.objects.all())
        .filter(follow_up__sent_on__lte=end)
        .exclude(follow_up__status=FollowUpStatus.CANCELLED)
    )
    rec_totals, rows = grouped_counts(
        board,
        recommendations,
        {
            "recommendations": Q(follow_up__sent_on__gte=start),
            "recommendations_done": Q(
                follow_up__status=FollowUpStatus.DONE,
                follow_up__closed_on__gte=start,
                follow_up__closed_on__lte=end,
            ),
            "recommendations_overdue": open_at_end & Q(follow_up__due_date__lt=end),
        },
    )
    parts.append(rows)
    per_row = merge_rows(*parts)
    totals = {
        **item_totals,
        **activity_totals,
        **visit_totals,
        **question_totals,
        **explanation_totals,
        **rec_totals,
    }
    rec_list = "supervision:recommendation-list"
    figures = [
        Figure(
            "items_planned",
            _("Programme items planned"),
            totals["items_planned"],
            board.link("supervision:programme-list", date=False),
        ),
        Figure(
            "items_done",
            _("Programme items done"),
            totals["items_done"],
            board.link("supervision:programme-list", date=False),
        ),
        Figure(
            "activities",
            _("Supervision delegations"),
            totals["activities"],
            board.link("supervision:activity-list"),
        ),
        Figure(
            "visits",
            _("Field visits"),
            totals["visits"],
            board.link("supervision:activity-list", date=False),
        ),
        Figure(
            "questions",
            _("Questions put"),
            totals["questions"],
            board.link("supervision:questioning-list"),
        ),
        Figure(
            "questions_at_sessions",
            _("Questions at sessions"),
            totals["questions_at_sessions"],
            board.link("supervision:questioning-list", kind="session"),
        ),
        Figure(
            "explanations",
            _("Explanation sessions"),
            totals["explanations"],
            board.link("supervision:explanation-list"),
        ),
        Figure(
            "recommendations",
            _("Recommendations and commitments issued"),
            totals["recommendations"],
            board.link(rec_list),
        ),
        Figure(
            "recommendations_done",
            _("Recommendations completed"),
            totals["recommendations_done"],
            board.link(rec_list, date=False, status=RecommendationStatus.DONE),
        ),
        Figure(
            "recommendations_overdue",
            _("Recommendations overdue"),
            totals["recommendations_overdue"],
            board.link(rec_list, date=False, status=RecommendationStatus.OVERDUE),
            tone="danger",
        ),
    ]
    trend = monthly_counts(board, recommendations, "follow_up__sent_on", {"recommendations": Q()})
    return SectionResult("supervision", _("Supervision"), figures, per_row, trend)


register_section(Section("supervision", 30, compute))
