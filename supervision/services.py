"""Writes of the supervision app: milestones computed by the deadline engine, recommendations and
commitments as core follow-ups, answers to questions (the milestone reminders: reminders.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from councilportal.deadlines import WorkingCalendar, due_date
from councilportal.follow_ups.services import follow_up_open
from councilportal.models import Agency, RuleMissing
from councilportal.typing import User

from .models import (
    MILESTONE_ORDER,
    MILESTONE_RULES,
    Activity,
    Explanation,
    Milestone,
    MilestoneKind,
    Question,
    Questioning,
    Recommendation,
    RecommendationKind,
)


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


# Milestones ---------------------------------------------------------------------------------


def milestones_plan(activity: Activity, *, calendar: WorkingCalendar | None = None) -> int:
    """Create or recompute the milestones of an activity from its decision date: each one is due
    by its rule (in force on the day counted from), counted from the milestone before it — the
    day it was done, or else its due date. Returns how many due dates changed."""
    decision = activity.decision_date
    if decision is None:
        return 0
    calendar = calendar or WorkingCalendar()
    existing = {m.kind: m for m in activity.milestones.all()}
    with translation.override("vi"):
        # Stored explanations are printed in the (Vietnamese) plan, whoever saved the activity.
        return _milestones_plan(activity, decision, existing, calendar)


def _milestones_plan(
    activity: Activity,
    decision: dt.date,
    existing: dict[str, Milestone],
    calendar: WorkingCalendar,
) -> int:
    changed = 0
    previous: Milestone | None = None
    with transaction.atomic():
        for kind in MILESTONE_ORDER:
            milestone = existing.get(kind) or Milestone(activity=activity, kind=kind)
            old = milestone.due_date
            if kind == MilestoneKind.DECISION:
                milestone.due_date = decision
                milestone.done_on = decision
                milestone.due_rule = ""
                milestone.due_start = None
                milestone.due_explanation = _("Date of the decision %(number)s") % {
                    "number": activity.decision_number or ""
                }
            else:
                assert previous is not None
                start = previous.done_on or previous.due_date
                try:
                    deadline = due_date(
                        MILESTONE_RULES[kind], start, council=activity.council, calendar=calendar
                    )
                except RuleMissing as exc:
                    raise ValidationError(
                        _("No rule gives the lead time of “%(milestone)s” on %(day)s.")
                        % {"milestone": MilestoneKind(kind).label, "day": _d(start)}
                    ) from exc
                milestone.due_date = deadline.date
                milestone.due_rule = MILESTONE_RULES[kind]
                milestone.due_start = start
                # In the portal's language; pages in another one build it again.
                with translation.override(settings.LANGUAGE_CODE):
                    milestone.due_explanation = deadline.explanation
            if old != milestone.due_date:
                changed += 1
            milestone.save()
            previous = milestone
    return changed


def milestone_done(*, milestone: Milestone, done_on: dt.date | None) -> Milestone:
    """Record (or clear) the day a milestone was done. Milestones follow the order of the work:
    one cannot be done before the one before it, nor after the one after it; the later due dates
    are then counted again from the actual day."""
    activity = milestone.activity
    milestones = {m.kind: m for m in activity.milestones.all()}
    index = MILESTONE_ORDER.index(MilestoneKind(milestone.kind))
    if milestone.kind == MilestoneKind.DECISION:
        raise ValidationError(_("The decision's date is the activity's decision date: edit it."))
    if done_on is not None:
        earlier = milestones.get(MILESTONE_ORDER[index - 1])
        if earlier is None or earlier.done_on is None:
            raise ValidationError(
                _("Record “%(before)s” first: milestones are done in the order of the work.")
                % {"before": MilestoneKind(MILESTONE_ORDER[index - 1]).label}
            )
        if done_on < earlier.done_on:
            raise ValidationError(
                _("“%(this)s” cannot be done on %(day)s, before “%(before)s” (%(then)s).")
                % {
                    "this": milestone.get_kind_display(),
                    "day": _d(done_on),
                    "before": earlier.get_kind_display(),
                    "then": _d(earlier.done_on),
                }
            )
    if index + 1 < len(MILESTONE_ORDER):
        later = milestones.get(MILESTONE_ORDER[index + 1])
        if (
            later is not None
            and later.done_on is not None
            and (done_on is None or done_on > later.done_on)
        ):
            raise ValidationError(
                _("“%(this)s” cannot be after “%(after)s”, already done on %(then)s.")
                % {
                    "this": milestone.get_kind_display(),
                    "after": later.get_kind_display(),
                    "then": _d(later.done_on),
                }
            )
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    milestones_plan(activity)
    milestone.refresh_from_db()
    return milestone


def milestones_recompute(day: dt.date) -> int:
    """After a change of the holiday calendar: recompute the open activities whose milestone
    periods may include the changed day."""
    activity_ids = set(
        Milestone.objects.filter(
            done_on__isnull=True,
            due_start__lte=day,
            due_date__gte=day - dt.timedelta(days=15),
        ).values_list("activity_id", flat=True)
    )
    moved = 0
    calendar = WorkingCalendar()
    for activity in Activity.objects.filter(pk__in=activity_ids).select_related("council"):
        moved += milestones_plan(activity, calendar=calendar)
    return moved


# Recommendations and commitments ------------------------------------------------------------


def recommendations_add(
    *,
    source: Activity | Question | Explanation,
    agencies: Iterable[Agency],
    content: str,
    issued_on: dt.date,
    due: dt.date,
    by: User | None = None,
) -> list[Recommendation]:
    """Issue a recommendation (from an activity) or record a commitment (from a question or an
    explanation session): one per agency addressed, each owning one core follow-up."""
    agencies = list(agencies)
    if not agencies:
        raise ValidationError(_("Name the agency the recommendation is addressed to."))
    if due < issued_on:
        raise ValidationError(_("The due date cannot be before the date it was issued."))
    council = source.council
    for agency in agencies:
        if agency.council_id != council.pk:
            raise ValidationError(_("The agency must belong to the same council."))
    kind = (
        RecommendationKind.RECOMMENDATION
        if isinstance(source, Activity)
        else RecommendationKind.COMMITMENT
    )
    if isinstance(source, Question) and source.answered_on and issued_on < source.answered_on:
        raise ValidationError(_("A commitment is made in the answer: date it on or after it."))
    made = []
    with transaction.atomic():
        for agency in agencies:
            follow_up = follow_up_open(
                source=source,
                council=council,
                to=agency,
                content=content,
                sent_on=issued_on,
                due=due,
                explanation=(
                    _("Set in the conclusion of %(day)s")
                    if kind == "recommendation"
                    else _("Committed on %(day)s")
                )
                % {"day": _d(issued_on)},
            )
            made.append(
                Recommendation.objects.create(
                    council=council,
                    kind=kind,
                    activity=source if isinstance(source, Activity) else None,
                    question=source if isinstance(source, Question) else None,
                    explanation=source if isinstance(source, Explanation) else None,
                    follow_up=follow_up,
                    content=content,
                    created_by=by,
                )
            )
    return made


# Questioning --------------------------------------------------------------------------------


def question_answer(
    *,
    questioning: Questioning,
    question: Question,
    answer: str,
    answer_mode: str,
    answered_on: dt.date,
    reference: str = "",
    satisfied: str = "",
) -> Question:
    """Record the answer to a question at the questioning it was asked in. An answer recorded
    against a question of another session (or another questioning) is refused."""
    if question.questioning_id != questioning.pk:
        other = question.questioning
        if other.session_id and other.session_id != questioning.session_id:
            raise ValidationError(
                _(
                    "This question was asked at %(other)s, not at this session: record its "
                    "answer there."
                )
                % {"other": other.session}
            )
        raise ValidationError(
            _("This question belongs to another questioning (%(other)s): record its answer there.")
            % {"other": other}
        )
    if answered_on < question.asked_on:
        raise ValidationError(_("The answer cannot be dated before the question."))
    if not answer.strip():
        raise ValidationError(_("Write the content of the answer."))
    question.answer = answer
    question.answer_mode = answer_mode
    question.answered_on = answered_on
    question.answer_reference = reference
    question.satisfied = satisfied
    question.save()
    return question
