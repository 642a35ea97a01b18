"""Views of the supervision app. Thin: access through councilportal.access, validation in forms
and models, writes in services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from django.views.decorators.http import require_POST

from councilportal.access import get_for_user
from councilportal.documents.attachments import attachment_add, attachments_of
from councilportal.documents.views import documents_panel
from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import FollowUpStatus
from councilportal.typing import AuthenticatedHttpRequest
from councilportal.web.columns import Column
from councilportal.web.crud import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedHistoryView,
    ScopedListView,
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


def _tag(view: Any, model: type) -> Any:
    """Name the model a view's pk refers to (the access matrix reads it)."""
    view.model = model
    return view


def _can_edit(request: HttpRequest, obj: Any) -> bool:
    return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()


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


class ProgrammeList(ScopedListView):
    model = Programme
    url_namespace = NS
    filterset_class = filters.ProgrammeFilter
    select_related = ("council", "organ")
    prefetch_related = ("items",)
    template_name = "supervision/list.html"
    columns = [
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("year", gettext_lazy("Year"), "year"),
        Column("council", gettext_lazy("Council"), "council"),
        Column("owner", gettext_lazy("Programme of")),
        Column("resolution_number", gettext_lazy("Adopting resolution")),
        Column("progress_label", gettext_lazy("Done / planned")),
    ]


class ProgrammeCreate(ScopedCreateView):
    model = Programme
    url_namespace = NS
    form_class = forms.ProgrammeForm


class ProgrammeUpdate(ScopedUpdateView):
    model = Programme
    url_namespace = NS
    form_class = forms.ProgrammeForm


class ProgrammeDelete(ScopedDeleteView):
    model = Programme
    url_namespace = NS


class ProgrammeHistory(ScopedHistoryView):
    model = Programme
    url_namespace = NS


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_user(Programme.objects.select_related("council", "organ"), request.user, pk)
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
            "can_edit": _can_edit(request, programme),
        },
    )


_tag(programme_detail, Programme)


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_for_user(
        Programme.objects.select_related("council"), request.user, pk, write=True
    )
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


_tag(item_create, Programme)


@login_required
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user(
        ProgrammeItem.objects.select_related("programme__council"), request.user, pk, write=True
    )
    form = forms.ProgrammeItemForm(request.POST or None, instance=item, programme=item.programme)
    return _child_form(
        request,
        form,
        parent=item.programme,
        title=_("Edit the programme item"),
        save=form.save,
        anchor="#items",
    )


_tag(item_update, ProgrammeItem)


# Activities ---------------------------------------------------------------------------------


class ActivityList(ScopedListView):
    model = Activity
    url_namespace = NS
    filterset_class = filters.ActivityFilter
    select_related = ("council", "organ")
    template_name = "supervision/activity_list.html"
    columns = [
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("form", gettext_lazy("Form")),
        Column("council", gettext_lazy("Council")),
        Column("organ", gettext_lazy("Organ in charge")),
        Column("decision_date", gettext_lazy("Decision date"), "decision_date"),
        Column("status", gettext_lazy("Status"), "status"),
    ]

    def get_queryset(self) -> Any:
        # The next milestone not yet done, for its due chip: one query for the whole page.
        pending = Milestone.objects.filter(done_on__isnull=True).order_by("order")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("milestones", queryset=pending, to_attr="pending"))
        )


class ActivityCreate(ScopedCreateView):
    model = Activity
    url_namespace = NS
    form_class = forms.ActivityForm

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

    def form_valid(self, form: Any) -> HttpResponse:
        saved = _save_or_error(form, lambda: _activity_save(form))
        if saved is None:
            return self.form_invalid(form)
        self.object = saved
        messages.success(self.request, _("Saved."))
        return redirect(saved)


class ActivityUpdate(ScopedUpdateView):
    model = Activity
    url_namespace = NS
    form_class = forms.ActivityForm

    def form_valid(self, form: Any) -> HttpResponse:
        saved = _save_or_error(form, lambda: _activity_save(form))
        if saved is None:
            return self.form_invalid(form)
        self.object = saved
        messages.success(self.request, _("Saved."))
        return redirect(saved)


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


class ActivityDelete(ScopedDeleteView):
    model = Activity
    url_namespace = NS


class ActivityHistory(ScopedHistoryView):
    model = Activity
    url_namespace = NS


@login_required
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("council", "organ", "item__programme"), request.user, pk
    )
    can_edit = _can_edit(request, activity)
    upload = forms.UploadForm()
    status = 200
    if request.method == "POST":
        # The delegation's files: the decision, the plan as sent, the conclusion as signed.
        if not can_edit:
            return redirect(activity)
        upload = forms.UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            attachment_add(
                owner=activity,
                council=activity.council,
                upload=upload.cleaned_data["file"],
                title=upload.cleaned_data["title"],
                by=request.user,
            )
            messages.success(request, _("The file has been attached."))
            return redirect(activity.get_absolute_url() + "#files")
        status = 400
    today = timezone.localdate()
    milestones = list(activity.milestones.order_by("order"))
    recommendations = list(
        activity.recommendations.select_related("follow_up__to_agency").order_by(
            "follow_up__due_date", "pk"
        )
    )
    services.sessions_open_across(recommendations, today)
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
            "can_edit": can_edit,
            "attachments": attachments_of(activity),
            "upload": upload,
            **documents_panel(request.user, activity),
        },
        status=status,
    )


_tag(activity_detail, Activity)


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("council"), request.user, pk, write=True
    )
    form = forms.MemberForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Add a member of the delegation"),
        save=form.save,
        anchor="#members",
    )


_tag(member_create, Activity)


@login_required
def body_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("council"), request.user, pk, write=True
    )
    form = forms.BodyForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Add a supervised body"),
        save=form.save,
        anchor="#bodies",
    )


_tag(body_create, Activity)


@login_required
def body_report(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_for_user(
        SupervisedBody.objects.select_related("activity__council", "agency"),
        request.user,
        pk,
        write=True,
    )
    form = forms.BodyReportForm(request.POST or None, instance=body)
    return _child_form(
        request,
        form,
        parent=body.activity,
        title=_("Report received from %(body)s") % {"body": body.agency},
        save=form.save,
        anchor="#bodies",
    )


_tag(body_report, SupervisedBody)


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("council"), request.user, pk, write=True
    )
    form = forms.VisitForm(request.POST or None, activity=activity)
    return _child_form(
        request,
        form,
        parent=activity,
        title=_("Record a field visit"),
        save=form.save,
        anchor="#visits",
    )


_tag(visit_create, Activity)


@login_required
def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_for_user(
        FieldVisit.objects.select_related("activity__council", "agency"), request.user, pk
    )
    can_edit = _can_edit(request, visit)
    upload = forms.UploadForm()
    status = 200
    if request.method == "POST":
        if not can_edit:
            return redirect(visit)
        upload = forms.UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            attachment_add(
                owner=visit,
                council=visit.activity.council,
                upload=upload.cleaned_data["file"],
                title=upload.cleaned_data["title"],
                by=request.user,
            )
            messages.success(request, _("The file has been attached."))
            return redirect(visit)
        status = 400
    return render(
        request,
        "supervision/visit_detail.html",
        {
            "visit": visit,
            "object": visit,
            "activity": visit.activity,
            "attachments": attachments_of(visit),
            "upload": upload,
            "can_edit": can_edit,
        },
        status=status,
    )


_tag(visit_detail, FieldVisit)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_for_user(
        Milestone.objects.select_related("activity__council"), request.user, pk, write=True
    )
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


_tag(milestone_done, Milestone)


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


@login_required
def recommendation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_for_user(
        Activity.objects.select_related("council"), request.user, pk, write=True
    )
    return _recommendation_form(request, activity, _("Add a recommendation"))


_tag(recommendation_create, Activity)


# Recommendations ----------------------------------------------------------------------------


class RecommendationList(ScopedListView):
    model = Recommendation
    url_namespace = NS
    filterset_class = filters.RecommendationFilter
    select_related = (
        "council",
        "follow_up__to_agency",
        "activity",
        "question__questioning",
        "question__delegate",
        "explanation",
    )
    template_name = "supervision/recommendation_list.html"
    forced_status = ""
    # "Xuất Excel": the follow-up table of the filtered rows, status as of today.
    export_columns = [
        Column("content", gettext_lazy("Content")),
        Column("kind", gettext_lazy("Kind")),
        Column("council", gettext_lazy("Council")),
        Column("follow_up.to_agency", gettext_lazy("Addressed to")),
        Column("follow_up.sent_on", gettext_lazy("Issued on")),
        Column("follow_up.due_date", gettext_lazy("Due date")),
        Column("follow_up.progress", gettext_lazy("Progress (%)")),
        Column("status_label", gettext_lazy("Status")),
    ]

    def can_create(self) -> bool:
        return False  # a recommendation is made from its activity, question or explanation

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
        services.sessions_open_across(page, today)
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


class OverdueList(RecommendationList):
    forced_status = RecommendationStatus.OVERDUE


_RECOMMENDATION_RELATED = (
    "council",
    "follow_up__to_agency",
    "activity",
    "question__questioning__session",
    "question__delegate",
    "explanation",
)


@login_required
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rec = get_for_user(
        Recommendation.objects.select_related(*_RECOMMENDATION_RELATED), request.user, pk
    )
    follow_up = rec.follow_up
    can_edit = _can_edit(request, rec)
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
        if not can_edit:
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
    services.sessions_open_across([rec], today)
    return render(
        request,
        "supervision/recommendation_detail.html",
        {
            "rec": rec,
            "object": rec,
            "follow_up": follow_up,
            "answers": list(follow_up.answers.select_related("recorded_by")),
            "form": form,
            "can_edit": can_edit,
            "today": today,
        },
        status=status,
    )


_tag(recommendation_detail, Recommendation)


class RecommendationHistory(ScopedHistoryView):
    model = Recommendation
    url_namespace = NS

    def can_create(self) -> bool:
        return False


# Questioning --------------------------------------------------------------------------------


class QuestioningList(ScopedListView):
    model = Questioning
    url_namespace = NS
    filterset_class = filters.QuestioningFilter
    select_related = ("council", "session__term", "meeting")
    template_name = "supervision/list.html"
    columns = [
        Column("title", gettext_lazy("Title"), "title", link=True),
        Column("kind", gettext_lazy("Held")),
        Column("council", gettext_lazy("Council")),
        Column("session", gettext_lazy("Session")),
        Column("held_on", gettext_lazy("Date"), "held_on"),
    ]


class QuestioningCreate(ScopedCreateView):
    model = Questioning
    url_namespace = NS
    form_class = forms.QuestioningForm


class QuestioningUpdate(ScopedUpdateView):
    model = Questioning
    url_namespace = NS
    form_class = forms.QuestioningForm


class QuestioningDelete(ScopedDeleteView):
    model = Questioning
    url_namespace = NS


class QuestioningHistory(ScopedHistoryView):
    model = Questioning
    url_namespace = NS


@login_required
def questioning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questioning = get_for_user(
        Questioning.objects.select_related("council", "session__term", "meeting"),
        request.user,
        pk,
    )
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
            "can_edit": _can_edit(request, questioning),
            **documents_panel(request.user, questioning),
        },
    )


_tag(questioning_detail, Questioning)


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    questioning = get_for_user(Questioning.objects.all(), request.user, pk, write=True)
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


_tag(group_create, Questioning)


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    questioning = get_for_user(
        Questioning.objects.select_related("council"), request.user, pk, write=True
    )
    form = forms.QuestionForm(request.POST or None, questioning=questioning)
    return _child_form(
        request,
        form,
        parent=questioning,
        title=_("Record a question"),
        save=form.save,
        anchor="#questions",
    )


_tag(question_create, Questioning)


@login_required
def answer_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record an answer at a questioning; a question of another session is refused."""
    questioning = get_for_user(
        Questioning.objects.select_related("council", "session"), request.user, pk, write=True
    )
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


_tag(answer_record, Questioning)


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_for_user(
        Question.objects.select_related(
            "questioning__council", "questioning__session__term", "delegate", "group", "agency"
        ),
        request.user,
        pk,
    )
    commitments = list(question.commitments.select_related("follow_up__to_agency").order_by("pk"))
    services.sessions_open_across(commitments, timezone.localdate())
    return render(
        request,
        "supervision/question_detail.html",
        {
            "question": question,
            "object": question,
            "questioning": question.questioning,
            "commitments": commitments,
            "attachments": attachments_of(question),
            "can_edit": _can_edit(request, question),
            "today": timezone.localdate(),
        },
    )


_tag(question_detail, Question)


class _QuestionUrls:
    """Questions have no register of their own: their list is the questioning register."""

    def url(self, action: str, *args: Any) -> str:
        if action in ("list", "create"):
            return reverse("supervision:questioning-list")
        return reverse(f"supervision:question-{action}", args=args)

    def can_create(self) -> bool:
        return False


class QuestionUpdate(_QuestionUrls, ScopedUpdateView):
    model = Question
    url_namespace = NS

    def get_form_class(self) -> Any:
        return forms.QuestionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        kwargs["questioning"] = self.object.questioning
        return kwargs


class QuestionHistory(_QuestionUrls, ScopedHistoryView):
    model = Question
    url_namespace = NS


@login_required
def commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_for_user(
        Question.objects.select_related("questioning__council"), request.user, pk, write=True
    )
    return _recommendation_form(request, question, _("Record a commitment made in the answer"))


_tag(commitment_create, Question)


# Explanation sessions -----------------------------------------------------------------------


class ExplanationList(ScopedListView):
    model = Explanation
    url_namespace = NS
    filterset_class = filters.ExplanationFilter
    select_related = ("council", "organ")
    template_name = "supervision/list.html"
    columns = [
        Column("topic", gettext_lazy("Topic"), "topic", link=True),
        Column("organ", gettext_lazy("Held by")),
        Column("council", gettext_lazy("Council")),
        Column("held_on", gettext_lazy("Date"), "held_on"),
    ]


class ExplanationCreate(ScopedCreateView):
    model = Explanation
    url_namespace = NS
    form_class = forms.ExplanationForm


class ExplanationUpdate(ScopedUpdateView):
    model = Explanation
    url_namespace = NS
    form_class = forms.ExplanationForm


class ExplanationDelete(ScopedDeleteView):
    model = Explanation
    url_namespace = NS


class ExplanationHistory(ScopedHistoryView):
    model = Explanation
    url_namespace = NS


@login_required
def explanation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    explanation = get_for_user(
        Explanation.objects.select_related("council", "organ", "item__programme"),
        request.user,
        pk,
    )
    commitments = list(
        explanation.commitments.select_related("follow_up__to_agency").order_by("pk")
    )
    services.sessions_open_across(commitments, timezone.localdate())
    return render(
        request,
        "supervision/explanation_detail.html",
        {
            "explanation": explanation,
            "object": explanation,
            "agencies": list(explanation.agencies.all()),
            "explainers": [p for p in explanation.explainers.splitlines() if p.strip()],
            "commitments": commitments,
            "can_edit": _can_edit(request, explanation),
            "today": timezone.localdate(),
        },
    )


_tag(explanation_detail, Explanation)


@login_required
def explanation_commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    explanation = get_for_user(
        Explanation.objects.select_related("council"), request.user, pk, write=True
    )
    return _recommendation_form(request, explanation, _("Record a commitment"))


_tag(explanation_commitment_create, Explanation)
