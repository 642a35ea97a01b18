"""Printable documents of the supervision app (Decree 30/2020/NĐ-CP layout): the supervision
plan and report of an activity, the questioning summary, and the follow-up table of
recommendations put before a session. Each context is built with a fixed number of queries,
from a source loaded with its kind's `queryset`; code names a kind by its constant (`PLAN`...)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.documents.attachments import Attachable, register_attachable
from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line
from councilportal.follow_ups.services import sessions_across
from councilportal.models import FollowUpStatus, Organ, OrganKind
from sessions.models import Session

from .models import Activity, FieldVisit, Questioning, Recommendation, RecommendationStatus


def _issuer(organ: Organ | None) -> dict[str, Any]:
    """Who issues: the Standing Committee ("THƯỜNG TRỰC HĐND") or a committee ("BAN …"), under
    the council as parent issuer; the council itself when no organ is in charge."""
    if organ is None or organ.kind == OrganKind.DELEGATE_GROUP:
        return {"issuer_organ": None, "authority": "TM. THƯỜNG TRỰC HĐND", "post": "CHỦ TỊCH"}
    if organ.kind == OrganKind.STANDING_COMMITTEE:
        return {
            "issuer_organ": "THƯỜNG TRỰC",
            "authority": "TM. THƯỜNG TRỰC HĐND",
            "post": "CHỦ TỊCH",
        }
    return {"issuer_organ": organ.name, "authority": f"TM. {organ.name}", "post": "TRƯỞNG BAN"}


def _activity_base(activity: Activity) -> dict[str, Any]:
    council = activity.council
    term = activity.organ.term if activity.organ else council.terms.order_by("-start_date").first()
    return {
        "activity": activity,
        "council": council,
        "term": term,
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(term) if term is not None else None,
        "members": list(activity.members.select_related("delegate").order_by("role", "pk")),
        "bodies": list(activity.bodies.select_related("agency")),
        "milestones": list(activity.milestones.order_by("order")),
        **_issuer(activity.organ),
    }


def plan_context(activity: Activity) -> dict[str, Any]:
    context = _activity_base(activity)
    context["symbol"] = "KH-HĐND"
    return context


def report_context(activity: Activity) -> dict[str, Any]:
    context = _activity_base(activity)
    recommendations = list(
        Recommendation.objects.filter(activity=activity)
        .select_related("follow_up__to_agency")
        .order_by("follow_up__to_agency__name", "pk")
    )
    context.update(
        symbol="BC-HĐND",
        visits=list(activity.visits.select_related("agency")),
        recommendations=recommendations,
    )
    return context


def questioning_context(questioning: Questioning) -> dict[str, Any]:
    council = questioning.council
    term = (
        questioning.session.term
        if questioning.session
        else council.terms.order_by("-start_date").first()
    )
    questions = list(
        questioning.questions.select_related("delegate", "group")
        .prefetch_related("commitments__follow_up__to_agency")
        .order_by("group__position", "asked_on", "pk")
    )
    return {
        "questioning": questioning,
        "council": council,
        "term": term,
        "groups": list(questioning.groups.all()),
        "questions": questions,
        "answered": sum(1 for q in questions if q.is_answered),
        "satisfied": sum(1 for q in questions if q.satisfied == "yes"),
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(term) if term is not None else None,
        "symbol": "BC-HĐND",
    }


def follow_up_table_context(session: Session) -> dict[str, Any]:
    """The recommendations and commitments put before a session: issued before it opened and
    still open then, or closed since the previous session. Statuses as of the opening day."""
    council = session.council
    opening = session.opening
    previous = (
        Session.objects.filter(council=council, planned_start__lt=session.planned_start)
        .order_by("-planned_start")
        .first()
    )
    since = previous.opening if previous is not None else None
    still_open = Q(follow_up__closed_on__isnull=True) | Q(follow_up__closed_on__gte=opening)
    recently_closed = Q(follow_up__closed_on__gte=since) if since else Q(pk__isnull=False)
    recommendations = list(
        Recommendation.objects.filter(council=council, follow_up__sent_on__lte=opening)
        .exclude(follow_up__status=FollowUpStatus.CANCELLED)
        .filter(still_open | recently_closed)
        .select_related("follow_up__to_agency", "activity", "question__questioning", "explanation")
        .order_by("follow_up__to_agency__name", "follow_up__due_date", "pk")
    )
    sessions_across(recommendations, on=opening)
    # Lazy labels: translated when the template renders (always in Vietnamese), not here in
    # the language of whoever asked.
    rows = [(r, RecommendationStatus(r.status_on(opening)).label) for r in recommendations]
    return {
        "session": session,
        "council": council,
        "term": session.term,
        "rows": rows,
        "opening": opening,
        "overdue": sum(1 for r in recommendations if r.status_on(opening) == "overdue"),
        "done": sum(1 for r in recommendations if r.follow_up.status == FollowUpStatus.DONE),
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(session.term),
        "symbol": "BC-HĐND",
    }


_ACTIVITY = Activity.objects.select_related("council", "organ__term", "item__programme")

PLAN = register(
    DocumentKind(
        key="supervision.plan",
        label=_("Supervision plan"),
        model=Activity,
        template="supervision/pdf/plan.html",
        build_context=plan_context,
        title=lambda a: f"Kế hoạch giám sát — {a.title}",
        queryset=_ACTIVITY,
    )
)
REPORT = register(
    DocumentKind(
        key="supervision.report",
        label=_("Supervision report"),
        model=Activity,
        template="supervision/pdf/report.html",
        build_context=report_context,
        title=lambda a: f"Báo cáo kết quả giám sát — {a.title}",
        queryset=_ACTIVITY,
    )
)
QUESTIONING_SUMMARY = register(
    DocumentKind(
        key="supervision.questioning-summary",
        label=_("Questioning summary"),
        model=Questioning,
        template="supervision/pdf/questioning.html",
        build_context=questioning_context,
        title=lambda q: f"Tổng hợp chất vấn — {q.title}",
        queryset=Questioning.objects.select_related("council", "session__term", "meeting"),
    )
)
FOLLOW_UP_TABLE = register(
    DocumentKind(
        key="supervision.follow-up-table",
        label=_("Recommendations follow-up table"),
        model=Session,
        template="supervision/pdf/follow_up_table.html",
        build_context=follow_up_table_context,
        title=lambda s: f"Bảng theo dõi thực hiện kiến nghị — {s} — {s.council.name}",
        queryset=Session.objects.select_related("council", "term"),
    )
)


# The delegation's files (the decision, the plan as sent, the conclusion as signed) and a field
# visit's (its minutes).
register_attachable(Attachable(model=Activity, council_of=lambda a: a.council, anchor="#files"))
register_attachable(Attachable(model=FieldVisit, council_of=lambda v: v.activity.council))
