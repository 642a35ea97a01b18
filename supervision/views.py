"""Views of the supervision app. Thin: access through councilportal.access, validation in forms
and models, writes in services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from councilportal.access import can_edit, object_view
from councilportal.documents.attachments import attachment_add, attachment_form, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.follow_ups.services import follow_up_answer, sessions_across
from councilportal.models import FollowUpStatus
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import (
    Register,
    ScopedCreateView,
    ScopedListView,
    ScopedMixin,
    ScopedUpdateView,
)

from . import filters, forms, services
from .models import (
    Activity,
    Explanation,
    FieldVisit,
    Milestone,
    Programme,
    ProgrammeItem,
    Question,
    Questioning,
    Recommendation,
    RecommendationStatus,
    SupervisedBody,
)

NS = "supervision"


def _save_or_error(form: Any, save: Any) -> Any:
    """Run a save; a constraint the form could not see becomes a form error, never a 500."""
    try:
        with transaction.atomic():
            return save()
    except ValidationError as exc:
        form.add_error(None, exc)
    except IntegrityError:
        form.add_error(None, _("This record conflicts with an existing one; check the values."))
    return None


def _child_form(
    request: HttpRequest, form: BaseForm, *, parent: Any, title: str, save: Any, anchor: str
) -> HttpResponse:
    """Create or edit a record that belongs to a parent page (item, member, visit...)."""
    if request.method == "POST" and form.is_valid():
        saved = _save_or_error(form, save)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(parent.get_absolute_url() + anchor)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supervision/child_form.html",
        {"form": form, "parent": parent, "title": title},
        status=status,
    )


# Programmes ---------------------------------------------------------------------------------


@object_view(Programme, related=("council", "organ"))
def programme_detail(request: AuthenticatedHttpRequest, programme: Programme) -> HttpResponse:
    items = list(
        programme.items.select_related("responsible")
        .annotate(activity_count=Count("activities", distinct=True))
        .order_by("position", "pk")
    )
    programme._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
    activities = list(
        Activity.objects.filter(item__programme=programme)
        .select_related("item")
        .order_by("item__position", "decision_date")
    )
    return render(
        request,
        "supervision/programme_detail.html",
        {
            "programme": programme,
            "object": programme,
            "items": items,
            "activities": activities,
            "done": programme.progress()[0],
            "planned": programme.progress()[1],
            "percent": programme.progress_percent(),
            "can_edit": can_edit(request.user, programme),
        },
    )


programmes = Register(
    Programme,
    namespace=NS,
    form=forms.ProgrammeForm,
    filterset=filters.ProgrammeFilter,
    select_related=("council", "organ"),
    prefetch_related=("items",),
    list_template="supervision/list.html",
    columns=[
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("year", gettext_lazy("Year"), "year"),
        Column("council", gettext_lazy("Council"), "council"),
        Column("owner", gettext_lazy("Programme of")),
        Column("resolution_number", gettext_lazy("Adopting resolution")),
        Column("progress_label", gettext_lazy("Done / planned")),
    ],
    detail=programme_detail,
)


@object_view(Programme, write=True, related=("council",))
def item_create(request: AuthenticatedHttpRequest, programme: Programme) -> HttpResponse:
    next_position = (programme.items.count() or 0) + 1
    form = forms.ProgrammeItemForm(
        request.POST or None, programme=programme, initial={"position": next_position}
    )
    return _child_form(
        request,
        form,
        parent=programme,
        title=_("Add a programme item"),
        save=form.save,
        anchor="#items",
    )


@object_view(ProgrammeItem, write=True, related=("programme__council",))
def item_update(request: AuthenticatedHttpRequest, item: ProgrammeItem) -> HttpResponse:
    form = forms.ProgrammeItemForm(request.POST or None, instance=item, programme=item.programme)
    return _child_form(
        request,
        form,
        parent=item.programme,
        title=_("Edit the programme item"),
        save=form.save,
        anchor="#items",
    )


# Activities ---------------------------------------------------------------------------------


class NextMilestoneList(ScopedListView):
    """Activities with their next milestone not yet done (`pending`), for its due chip."""

    def get_queryset(self) -> Any:
        # The next milestone not yet done, for its due chip: one query for the whole page.
        pending = Milestone.objects.filter(done_on__isnull=True).order_by("order")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("milestones", queryset=pending, to_attr="pending"))
        )


class ActivitySaving(ScopedMixin):
    """An activity's save also plans its milestones; a milestone done before the decision
    date is refused (a form error, never a 500)."""

    def form_valid(self, form: Any) -> HttpResponse:
        saved = _save_or_error(form, lambda: _activity_save(form))
        if saved is None:
            return self.form_invalid(form)  # type: ignore[attr-defined]
        self.object = saved
        messages.success(self.request, _("Saved."))
        return redirect(saved)


class ActivityFromItem(ActivitySaving, ScopedCreateView):
    """A new activity from a programme item (?item=): its council, topic, form and organ."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        item_id = self.request.GET.get("item", "")
        if item_id.isdigit():
            item = (
                ProgrammeItem.objects.editable_by(self.request.user)
                .select_related("programme")
                .filter(pk=item_id)
                .first()
            )
            if item is not None:
                initial.update(
                    item=item,
                    council=item.programme.council_id,
                    title=item.topic,
                    form=item.form,
                    organ=item.responsible_id,
                )
        return initial


def _activity_save(form: Any) -> Activity:
    activity = form.save()
    if activity.decision_date is not None:
        early = (
            activity.milestones.exclude(kind="decision")
            .filter(done_on__lt=activity.decision_date)
            .first()
        )
        if early is not None:
            raise ValidationError(
                _("“%(milestone)s” was done on %(day)s, before this decision date.")
                % {
                    "milestone": early.get_kind_display(),
                    "day": early.done_on.strftime("%d/%m/%Y") if early.done_on else "",
                }
            )
    services.milestones_plan(activity)
    return activity


@object_view(Activity, related=("council", "organ", "item__programme"))
@require_safe
def activity_detail(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    editable = can_edit(request.user, activity)
    today = timezone.localdate()
    milestones = list(activity.milestones.order_by("order"))
    recommendations = list(
        activity.recommendations.select_related("follow_up__to_agency").order_by(
            "follow_up__due_date", "pk"
        )
    )
    sessions_across(recommendations, on=today)
    reports_due = next((m for m in milestones if m.kind == "reports_due"), None)
    return render(
        request,
        "supervision/activity_detail.html",
        {
            "activity": activity,
            "object": activity,
            "members": list(activity.members.select_related("delegate")),
            "bodies": list(activity.bodies.select_related("agency")),
            "reports_due": reports_due,
            "milestones": milestones,
            "visits": list(activity.visits.select_related("agency")),
            "recommendations": recommendations,
            "today": today,
            "can_edit": editable,
            "attachments": attachments_of(activity),
            "upload": attachment_form(activity),
            **documents_panel(request.user, activity),
        },
    )


activities = Register(
    Activity,
    namespace=NS,
    form=forms.ActivityForm,
    filterset=filters.ActivityFilter,
    select_related=("council", "organ"),
    list_template="supervision/activity_list.html",
    columns=[
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("form", gettext_lazy("Form")),
        Column("council", gettext_lazy("Council")),
        Column("organ", gettext_lazy("Organ in charge")),
        Column("decision_date", gettext_lazy("Decision date"), "decision_date"),
        Column("status", gettext_lazy("Status"), "status"),
    ],
    list=NextMilestoneList,
    create=ActivityFromItem,
    update=ActivitySaving,
    detail=activity_detail,
)


@object_view(Activity, write=True, related=("council",))
def member_create(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    form = forms.MemberForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Add a member of the delegation"),
        save=form.save,
        anchor="#members",
    )


@object_view(Activity, write=True, related=("council",))
def body_create(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    form = forms.BodyForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Add a supervised body"),
        save=form.save,
        anchor="#bodies",
    )


@object_view(SupervisedBody, write=True, related=("activity__council", "agency"))
def body_report(request: AuthenticatedHttpRequest, body: SupervisedBody) -> HttpResponse:
    form = forms.BodyReportForm(request.POST or None, instance=body)
    return _child_form(
        request,
        form,
        parent=body.activity,
        title=_("Report received from %(body)s") % {"body": body.agency},
        save=form.save,
        anchor="#bodies",
    )


@object_view(Activity, write=True, related=("council",))
def visit_create(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    form = forms.VisitForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Record a field visit"),
        save=form.save,
        anchor="#visits",
    )


@object_view(FieldVisit, related=("activity__council", "agency"))
@require_safe
def visit_detail(request: AuthenticatedHttpRequest, visit: FieldVisit) -> HttpResponse:
    editable = can_edit(request.user, visit)
    return render(
        request,
        "supervision/visit_detail.html",
        {
            "visit": visit,
            "object": visit,
            "activity": visit.activity,
            "attachments": attachments_of(visit),
            "upload": attachment_form(visit),
            "can_edit": editable,
        },
    )


@object_view(Milestone, write=True, related=("activity__council",))
@require_POST
def milestone_done(request: AuthenticatedHttpRequest, milestone: Milestone) -> HttpResponse:
    form = forms.MilestoneDoneForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            services.milestone_done(milestone=milestone, done_on=form.cleaned_data["done_on"])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect(milestone.activity.get_absolute_url() + "#milestones")


def _recommendation_form(
    request: AuthenticatedHttpRequest, source: Any, title: str
) -> HttpResponse:
    form = forms.RecommendationForm(
        request.POST or None,
        council=source.council,
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = _save_or_error(
            form,
            lambda: services.recommendations_add(
                source=source,
                agencies=data["agencies"],
                content=data["content"],
                issued_on=data["issued_on"],
                due=data["due"],
                by=request.user,
            ),
        )
        if made is not None:
            messages.success(request, _("Saved."))
            return redirect(source.get_absolute_url() + "#recommendations")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supervision/child_form.html",
        {"form": form, "parent": source, "title": title},
        status=status,
    )


@object_view(Activity, write=True, related=("council",))
def recommendation_create(request: AuthenticatedHttpRequest, activity: Activity) -> HttpResponse:
    return _recommendation_form(request, activity, _("Add a recommendation"))


# Recommendations ----------------------------------------------------------------------------


class MadeElsewhere(ScopedMixin):
    """A recommendation is made from its activity, question or explanation: its register
    offers no "new" button."""

    def can_create(self) -> bool:
        return False


class FollowUpList(MadeElsewhere, ScopedListView):
    """Recommendations with their follow-ups; `forced_status` gives the overdue list."""

    forced_status = ""

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.forced_status:
            data = (
                kwargs["data"].copy() if kwargs.get("data") is not None else QueryDict(mutable=True)
            )
            data["status"] = self.forced_status
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        page = list(context["object_list"])
        sessions_across(page, on=today)
        context.update(
            recommendations=page,
            today=today,
            forced_status=self.forced_status,
            title=(
                _("Overdue recommendations and commitments")
                if self.forced_status
                else _("Recommendations and commitments")
            ),
        )
        return context


_RECOMMENDATION_RELATED = (
    "council",
    "follow_up__to_agency",
    "activity",
    "question__questioning__session",
    "question__delegate",
    "explanation",
)


@object_view(Recommendation, related=_RECOMMENDATION_RELATED)
def recommendation_detail(request: AuthenticatedHttpRequest, rec: Recommendation) -> HttpResponse:
    follow_up = rec.follow_up
    editable = can_edit(request.user, rec)
    form = forms.ResponseForm(
        initial={
            "received_on": timezone.localdate(),
            "progress": follow_up.progress,
            "status": follow_up.status
            if follow_up.status != FollowUpStatus.CANCELLED
            else FollowUpStatus.OPEN,
        }
    )
    status = 200
    if request.method == "POST":
        if not editable:
            return redirect(rec)
        form = forms.ResponseForm(request.POST)
        if form.is_valid():
            saved = _save_or_error(
                form,
                lambda: follow_up_answer(follow_up=follow_up, by=request.user, **form.cleaned_data),
            )
            if saved is not None:
                messages.success(request, _("The response has been recorded."))
                return redirect(rec.get_absolute_url() + "#timeline")
        status = 400
    today = timezone.localdate()
    sessions_across([rec], on=today)
    return render(
        request,
        "supervision/recommendation_detail.html",
        {
            "rec": rec,
            "object": rec,
            "follow_up": follow_up,
            "answers": list(follow_up.answers.select_related("recorded_by")),
            "form": form,
            "can_edit": editable,
            "today": today,
        },
        status=status,
    )


recommendations = Register(
    Recommendation,
    namespace=NS,
    filterset=filters.RecommendationFilter,
    select_related=(
        "council",
        "follow_up__to_agency",
        "activity",
        "question__questioning",
        "question__delegate",
        "explanation",
    ),
    list_template="supervision/recommendation_list.html",
    # "Xuất Excel": the follow-up table of the filtered rows, status as of today.
    export_columns=[
        Column("content", gettext_lazy("Content")),
        Column("kind", gettext_lazy("Kind")),
        Column("council", gettext_lazy("Council")),
        Column("follow_up.to_agency", gettext_lazy("Addressed to")),
        Column("follow_up.sent_on", gettext_lazy("Issued on")),
        Column("follow_up.due_date", gettext_lazy("Due date")),
        Column("follow_up.progress", gettext_lazy("Progress (%)")),
        Column("status_label", gettext_lazy("Status")),
    ],
    list=FollowUpList,
    create=False,
    detail=recommendation_detail,
    update=False,
    delete=False,
    history=MadeElsewhere,
)
overdue_recommendations = recommendations.list_view.as_view(
    forced_status=RecommendationStatus.OVERDUE
)


# Questioning --------------------------------------------------------------------------------


@object_view(Questioning, related=("council", "session__term", "meeting"))
def questioning_detail(request: AuthenticatedHttpRequest, questioning: Questioning) -> HttpResponse:
    questions = list(
        questioning.questions.select_related("delegate", "group", "agency")
        .annotate(commitment_count=Count("commitments"))
        .order_by("group__position", "asked_on", "pk")
    )
    groups = list(questioning.groups.all())
    return render(
        request,
        "supervision/questioning_detail.html",
        {
            "questioning": questioning,
            "object": questioning,
            "groups": groups,
            "questions": questions,
            "answered": sum(1 for q in questions if q.is_answered),
            "can_edit": can_edit(request.user, questioning),
            **documents_panel(request.user, questioning),
        },
    )


questionings = Register(
    Questioning,
    namespace=NS,
    form=forms.QuestioningForm,
    filterset=filters.QuestioningFilter,
    select_related=("council", "session__term", "meeting"),
    list_template="supervision/list.html",
    columns=[
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("kind", gettext_lazy("Held")),
        Column("council", gettext_lazy("Council")),
        Column("session", gettext_lazy("Session")),
        Column("held_on", gettext_lazy("Date"), "held_on"),
    ],
    detail=questioning_detail,
)


@object_view(Questioning, write=True)
def group_create(request: AuthenticatedHttpRequest, questioning: Questioning) -> HttpResponse:
    form = forms.IssueGroupForm(
        request.POST or None,
        questioning=questioning,
        initial={"position": questioning.groups.count() + 1},
    )
    return _child_form(
        request,
        form,
        parent=questioning,
        title=_("Add an issue group"),
        save=form.save,
        anchor="#groups",
    )


@object_view(Questioning, write=True, related=("council",))
def question_create(request: AuthenticatedHttpRequest, questioning: Questioning) -> HttpResponse:
    form = forms.QuestionForm(request.POST or None, questioning=questioning)
    return _child_form(
        request,
        form,
        parent=questioning,
        title=_("Record a question"),
        save=form.save,
        anchor="#questions",
    )


@object_view(Questioning, write=True, related=("council", "session"))
def answer_record(request: AuthenticatedHttpRequest, questioning: Questioning) -> HttpResponse:
    """Record an answer at a questioning; a question of another session is refused."""
    initial: dict[str, Any] = {"answered_on": questioning.held_on, "answer_mode": "oral"}
    if request.GET.get("question", "").isdigit():
        initial["question"] = int(request.GET["question"])
    form = forms.AnswerForm(
        request.POST or None, request.FILES or None, questioning=questioning, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> Question:
            question = services.question_answer(
                questioning=questioning,
                question=data["question"],
                answer=data["answer"],
                answer_mode=data["answer_mode"],
                answered_on=data["answered_on"],
                reference=data["reference"],
                satisfied=data["satisfied"] or "",
            )
            if data.get("document"):
                attachment_add(
                    owner=question,
                    council=questioning.council,
                    upload=data["document"],
                    title=_("Answer document"),
                    by=request.user,
                )
            return question

        saved = _save_or_error(form, save)
        if saved is not None:
            messages.success(request, _("The answer has been recorded."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supervision/child_form.html",
        {"form": form, "parent": questioning, "title": _("Record an answer"), "multipart": True},
        status=status,
    )


@object_view(
    Question,
    related=(
        "questioning__council",
        "questioning__session__term",
        "delegate",
        "group",
        "agency",
    ),
)
def question_detail(request: AuthenticatedHttpRequest, question: Question) -> HttpResponse:
    commitments = list(question.commitments.select_related("follow_up__to_agency").order_by("pk"))
    sessions_across(commitments, on=timezone.localdate())
    return render(
        request,
        "supervision/question_detail.html",
        {
            "question": question,
            "object": question,
            "questioning": question.questioning,
            "commitments": commitments,
            "attachments": attachments_of(question),
            "can_edit": can_edit(request.user, question),
            "today": timezone.localdate(),
        },
    )


class QuestionUrls(ScopedMixin):
    """Questions have no list of their own: their list is the questioning register."""

    def url(self, action: str, *args: Any) -> str:
        if action in ("list", "create"):
            return reverse("supervision:questioning-list")
        return reverse(f"supervision:question-{action}", args=args)

    def can_create(self) -> bool:
        return False


class QuestionUpdate(QuestionUrls, ScopedUpdateView):
    """A question is edited with its questioning's form (groups and delegates of it)."""

    def get_form_class(self) -> Any:
        return forms.QuestionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        kwargs["questioning"] = self.object.questioning
        return kwargs


questions = Register(
    Question,
    namespace=NS,
    list=False,
    create=False,
    detail=question_detail,
    update=QuestionUpdate,
    delete=False,
    history=QuestionUrls,
)


@object_view(Question, write=True, related=("questioning__council",))
def commitment_create(request: AuthenticatedHttpRequest, question: Question) -> HttpResponse:
    return _recommendation_form(request, question, _("Record a commitment made in the answer"))


# Explanation sessions -----------------------------------------------------------------------


@object_view(Explanation, related=("council", "organ", "item__programme"))
def explanation_detail(request: AuthenticatedHttpRequest, explanation: Explanation) -> HttpResponse:
    commitments = list(
        explanation.commitments.select_related("follow_up__to_agency").order_by("pk")
    )
    sessions_across(commitments, on=timezone.localdate())
    return render(
        request,
        "supervision/explanation_detail.html",
        {
            "explanation": explanation,
            "object": explanation,
            "agencies": list(explanation.agencies.all()),
            "explainers": [p for p in explanation.explainers.splitlines() if p.strip()],
            "commitments": commitments,
            "can_edit": can_edit(request.user, explanation),
            "today": timezone.localdate(),
        },
    )


explanations = Register(
    Explanation,
    namespace=NS,
    form=forms.ExplanationForm,
    filterset=filters.ExplanationFilter,
    select_related=("council", "organ"),
    list_template="supervision/list.html",
    columns=[
        Column("topic", gettext_lazy("Topic"), "topic", link=True),
        Column("organ", gettext_lazy("Held by")),
        Column("council", gettext_lazy("Council")),
        Column("held_on", gettext_lazy("Date"), "held_on"),
    ],
    detail=explanation_detail,
)


@object_view(Explanation, write=True, related=("council",))
def explanation_commitment_create(
    request: AuthenticatedHttpRequest, explanation: Explanation
) -> HttpResponse:
    return _recommendation_form(request, explanation, _("Record a commitment"))
