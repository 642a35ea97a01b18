"""Supervision (giám sát): annual programmes, supervision activities (đoàn / tổ giám sát) with
their rule-based milestones, questioning (chất vấn), explanation sessions (giải trình) and the
recommendations and commitments they produce, tracked as core follow-ups (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models import (
    Agency,
    Council,
    Delegate,
    FollowUp,
    FollowUpStatus,
    Organ,
    OrganKind,
    ScopedQuerySet,
    scoped_queryset,
)
from councilportal.web.text import search_normalise


class SupervisionForm(models.TextChoices):
    """The forms of supervision (Law 87/2015/QH13, art. 57–66; Law 121/2025/QH15)."""

    THEMATIC = "thematic", _("Thematic supervision")
    REPORT_REVIEW = "report_review", _("Review of work reports")
    DOCUMENT_REVIEW = "document_review", _("Review of legal documents")
    QUESTIONING = "questioning", _("Questioning")
    EXPLANATION = "explanation", _("Explanation session")
    DELEGATE_GROUP = "delegate_group", _("Supervision by delegate groups")


class ProgrammeOwner(models.TextChoices):
    COUNCIL = "council", _("The council")
    STANDING = "standing", _("The Standing Committee")
    COMMITTEE = "committee", _("A committee")


class ProgrammeQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> ProgrammeQuerySet:
        """Programmes shown on the public portal (adopted programmes are, unless withdrawn)."""
        return self.filter(published=True)


class Programme(models.Model):
    """An annual supervision programme (chương trình giám sát) of a council, its Standing
    Committee or a committee; the council's is adopted by a resolution at the previous year's
    mid-year session."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField(_("programme of"), max_length=20, choices=ProgrammeOwner.choices)
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For the programme of the Standing Committee or of a committee."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    resolution_number = models.CharField(
        _("adopting resolution number"),
        max_length=50,
        blank=True,
        help_text=_('e.g. "25/NQ-HĐND"'),
    )
    resolution_date = models.DateField(_("adopted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision programme")
        verbose_name_plural = _("supervision programmes")
        ordering = ["-year", "owner", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"],
                condition=Q(owner="council"),
                name="programme_one_council_programme_per_year",
                violation_error_message=_("This council already has a programme for that year."),
            ),
            models.UniqueConstraint(
                fields=["organ", "year"],
                name="programme_one_per_organ_and_year",
                violation_error_message=_("This organ already has a programme for that year."),
            ),
            models.CheckConstraint(
                condition=Q(owner="council", organ__isnull=True)
                | (~Q(owner="council") & Q(organ__isnull=False)),
                name="programme_organ_matches_owner",
                violation_error_message=_(
                    "Choose the organ for a programme of the Standing Committee or a committee, "
                    "and none for the council's own programme."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="programme_year_range",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:programme-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.owner == ProgrammeOwner.COUNCIL and self.organ_id:
            errors["organ"] = _("The council's own programme has no organ.")
        if self.owner and self.owner != ProgrammeOwner.COUNCIL:
            if not self.organ_id:
                errors["organ"] = _("Choose the Standing Committee or the committee.")
            elif self.organ is not None:
                if self.council_id and self.organ.council_id != self.council_id:
                    errors["organ"] = _("The organ must belong to the same council.")
                standing = self.organ.kind == OrganKind.STANDING_COMMITTEE
                if self.owner == ProgrammeOwner.STANDING and not standing:
                    errors["organ"] = _("Choose the council's Standing Committee.")
                if self.owner == ProgrammeOwner.COMMITTEE and (
                    self.organ.kind not in OrganKind.committees()
                ):
                    errors["organ"] = _("Choose a committee (Ban) of the council.")
        if self.resolution_date and self.year and self.resolution_date.year >= self.year + 1:
            errors["resolution_date"] = _(
                "The programme is adopted before or during its year, not after it."
            )
        if errors:
            raise ValidationError(errors)

    def progress(self) -> tuple[int, int]:
        """(items done, items planned); cancelled items are no longer planned. Uses the
        prefetched items when the list view has them."""
        items = list(self.items.all())
        planned = [i for i in items if i.status != ItemStatus.CANCELLED]
        done = [i for i in planned if i.status == ItemStatus.DONE]
        return len(done), len(planned)

    def progress_percent(self) -> int:
        done, planned = self.progress()
        return round(done * 100 / planned) if planned else 0

    def progress_label(self) -> str:
        done, planned = self.progress()
        return f"{done}/{planned} ({self.progress_percent()}%)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(
            " ".join([self.title, self.resolution_number, str(self.year)])
        )
        super().save(*args, **kwargs)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled or postponed")


class ProgrammeItemQuerySet(scoped_queryset("programme__council")):  # type: ignore[misc]
    def public(self) -> ProgrammeItemQuerySet:
        return self.filter(programme__published=True)


class ProgrammeItem(models.Model):
    """An item of a supervision programme (nội dung giám sát): a topic, its form, the organ in
    charge and the planned period."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    topic = models.CharField(_("topic"), max_length=500)
    form = models.CharField(_("form"), max_length=30, choices=SupervisionForm.choices)
    responsible = models.ForeignKey(
        Organ,
        verbose_name=_("organ in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned until"))
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )

    history = HistoricalRecords()
    objects = ProgrammeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="programme_item_period",
                violation_error_message=_(
                    "The end of the planned period cannot be before its start."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:programme-detail", args=[self.programme_id]) + "#items"

    @property
    def council(self) -> Council:
        return self.programme.council

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.programme_id and self.planned_start and self.planned_end:
            year = self.programme.year
            if self.planned_start.year != year and self.planned_end.year != year:
                errors["planned_start"] = _("The planned period must fall in the programme's year.")
        if (
            self.responsible_id
            and self.programme_id
            and self.responsible is not None
            and self.responsible.council_id != self.programme.council_id
        ):
            errors["responsible"] = _("The organ must belong to the programme's council.")
        if errors:
            raise ValidationError(errors)


class ActivityStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    UNDER_WAY = "under_way", _("Under way")
    CONCLUDED = "concluded", _("Concluded")


class ActivityQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> ActivityQuerySet:
        """Activities whose conclusion a clerk published (none by default: findings are
        internal until the conclusion is issued)."""
        return self.filter(published=True)


class Activity(models.Model):
    """A supervision activity (cuộc giám sát) carrying out a programme item: the delegation or
    team (đoàn / tổ giám sát) established by a decision, the supervised bodies, the plan, the
    milestones, the findings and the conclusion."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("programme item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=500)
    form = models.CharField(_("form"), max_length=30, choices=SupervisionForm.choices)
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_number = models.CharField(
        _("decision number"), max_length=50, blank=True, help_text=_('e.g. "15/QĐ-HĐND"')
    )
    decision_date = models.DateField(
        _("decision date"),
        null=True,
        blank=True,
        help_text=_("The milestones are counted from this date."),
    )
    scope = models.TextField(_("scope and content"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    period_from = models.DateField(_("period supervised from"), null=True, blank=True)
    period_to = models.DateField(_("period supervised until"), null=True, blank=True)
    supervised: models.ManyToManyField[Agency, SupervisedBody] = models.ManyToManyField(
        Agency,
        verbose_name=_("supervised bodies"),
        through="SupervisedBody",
        related_name="+",
        blank=True,
    )
    findings = models.TextField(_("findings"), blank=True)
    conclusion_number = models.CharField(_("conclusion number"), max_length=50, blank=True)
    conclusion_date = models.DateField(_("conclusion date"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    published = models.BooleanField(
        _("conclusion published on the public portal"),
        default=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PREPARING
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__isnull=True)
                | Q(period_from__isnull=True)
                | Q(period_to__gte=F("period_from")),
                name="activity_period",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(conclusion_date__isnull=True)
                | Q(decision_date__isnull=True)
                | Q(conclusion_date__gte=F("decision_date")),
                name="activity_conclusion_after_decision",
                violation_error_message=_("The conclusion cannot be dated before the decision."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:activity-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        item = self.item if self.item_id else None
        organ = self.organ if self.organ_id else None
        if item is not None and self.council_id and item.programme.council_id != self.council_id:
            errors["item"] = _("The programme item must belong to the same council.")
        if organ is not None and self.council_id and organ.council_id != self.council_id:
            errors["organ"] = _("The organ must belong to the same council.")
        if self.conclusion_date and not self.decision_date:
            errors["decision_date"] = _("Give the date of the decision before the conclusion.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(
            " ".join([self.title, self.decision_number, self.conclusion_number])
        )
        super().save(*args, **kwargs)


class MemberRole(models.TextChoices):
    HEAD = "head", _("Head of the delegation")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    STAFF = "staff", _("Assisting staff")


class ActivityMember(models.Model):
    """A member of a supervision delegation (thành viên đoàn giám sát): a delegate, or a member
    of staff named in the decision."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="members"
    )
    delegate = models.ForeignKey(
        Delegate,
        verbose_name=_("delegate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(
        _("name (staff)"),
        max_length=150,
        blank=True,
        help_text=_("For a member who is not a delegate: name and post."),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)

    objects = scoped_queryset("activity__council").as_manager()

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["activity", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | ~Q(name=""),
                name="activity_member_named",
                violation_error_message=_("Choose a delegate or write the staff member's name."),
            ),
            models.UniqueConstraint(
                fields=["activity", "delegate"],
                name="activity_member_once",
                violation_error_message=_("This delegate is already a member of the delegation."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.delegate or self.name)

    def get_absolute_url(self) -> str:
        return reverse("supervision:activity-detail", args=[self.activity_id]) + "#members"


class SupervisedBody(models.Model):
    """A body supervised by an activity (đối tượng chịu sự giám sát) and the report it sent."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="bodies"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    report_received_on = models.DateField(_("report received on"), null=True, blank=True)
    report_reference = models.CharField(_("report number"), max_length=100, blank=True)
    report_summary = models.TextField(_("report summary"), blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("activity__council").as_manager()

    class Meta:
        verbose_name = _("supervised body")
        verbose_name_plural = _("supervised bodies")
        ordering = ["activity", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "agency"],
                name="supervised_body_once",
                violation_error_message=_("This body is already supervised by the activity."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def get_absolute_url(self) -> str:
        return reverse("supervision:activity-detail", args=[self.activity_id]) + "#bodies"


class MilestoneKind(models.TextChoices):
    """The milestones of a thematic supervision, in the order of the work (DOMAIN.md §3)."""

    DECISION = "decision", _("Decision establishing the delegation")
    PLAN_SENT = "plan_sent", _("Plan sent to the supervised bodies")
    REPORTS_DUE = "reports_due", _("Reports due from the supervised bodies")
    FIELD_VISITS = "field_visits", _("Field visits done")
    DRAFT_REPORT = "draft_report", _("Draft report")
    ADOPTION = "adoption", _("Adoption of the conclusion")


MILESTONE_ORDER = [
    MilestoneKind.DECISION,
    MilestoneKind.PLAN_SENT,
    MilestoneKind.REPORTS_DUE,
    MilestoneKind.FIELD_VISITS,
    MilestoneKind.DRAFT_REPORT,
    MilestoneKind.ADOPTION,
]

# The rule giving each milestone's lead time, counted from the milestone before it.
MILESTONE_RULES = {
    MilestoneKind.PLAN_SENT: "supervision.plan_sent",
    MilestoneKind.REPORTS_DUE: "supervision.reports_due",
    MilestoneKind.FIELD_VISITS: "supervision.field_visits",
    MilestoneKind.DRAFT_REPORT: "supervision.draft_report",
    MilestoneKind.ADOPTION: "supervision.adoption",
}


class Milestone(models.Model):
    """A dated milestone of a supervision activity (mốc thời gian): due by a rule counted from
    the milestone before it (its date done, or else its due date), and the day it was done."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    order = models.PositiveSmallIntegerField(editable=False, default=0)
    due_date = models.DateField(_("due date"))
    # Text, not a short column: a period across Tết names every skipped day and the rule.
    due_explanation = models.TextField(_("how the due date was set"), blank=True)
    due_rule = models.CharField(_("rule"), max_length=80, blank=True)
    due_start = models.DateField(_("counted from"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("activity__council").as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["activity", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"],
                name="milestone_once_per_activity",
                violation_error_message=_("The activity already has this milestone."),
            ),
        ]
        indexes = [models.Index(fields=["done_on", "due_date"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("supervision:activity-detail", args=[self.activity_id]) + "#milestones"

    @property
    def council(self) -> Council:
        return self.activity.council

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.done_on is None and self.due_date < (on or timezone.localdate())

    @property
    def days_late(self) -> int:
        """Days between the due date in force and the day it was done (0: on time or open)."""
        if self.done_on is None or self.done_on <= self.due_date:
            return 0
        return (self.done_on - self.due_date).days

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.order = MILESTONE_ORDER.index(MilestoneKind(self.kind))
        super().save(*args, **kwargs)


class FieldVisit(models.Model):
    """A field visit of a supervision delegation (khảo sát, làm việc thực tế) with its notes;
    its files are core attachments."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="visits"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("body visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("activity__council").as_manager()

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["activity", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:visit-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.activity.council


class QuestioningKind(models.TextChoices):
    SESSION = "session", _("At a session")
    MEETING = "meeting", _("At a Standing Committee meeting")
    WRITTEN = "written", _("In writing between sessions")


class QuestioningQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> QuestioningQuerySet:
        """Questionings shown on the public portal with their questions and answers."""
        return self.filter(published=True)


class Questioning(models.Model):
    """Questioning (chất vấn) at a session, or between sessions at a Standing Committee meeting
    or in writing, with the issue groups chosen for it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("held"), max_length=20, choices=QuestioningKind.choices)
    session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "council_sessions.Meeting",
        verbose_name=_("Standing Committee meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    chair_name = models.CharField(_("presiding"), max_length=150, blank=True)
    conclusion = models.TextField(_("conclusion of the presiding person"), blank=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
    )

    history = HistoricalRecords()
    objects = QuestioningQuerySet.as_manager()

    class Meta:
        verbose_name = _("questioning")
        verbose_name_plural = _("questionings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="session") | Q(session__isnull=False),
                name="questioning_session_named",
                violation_error_message=_("Choose the session at which the questioning is held."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:questioning-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == QuestioningKind.SESSION and not self.session_id:
            errors["session"] = _("Choose the session at which the questioning is held.")
        if self.kind == QuestioningKind.MEETING and not self.meeting_id:
            errors["meeting"] = _("Choose the Standing Committee meeting.")
        session = self.session if self.session_id else None
        meeting = self.meeting if self.meeting_id else None
        if session is not None and self.council_id and session.council_id != self.council_id:
            errors["session"] = _("The session must belong to the same council.")
        if meeting is not None and self.council_id and meeting.council_id != self.council_id:
            errors["meeting"] = _("The meeting must belong to the same council.")
        if (
            session is not None
            and self.held_on
            and not (session.opening <= self.held_on <= session.closing)
        ):
            errors["held_on"] = _(
                "The questioning must be held during the session (%(a)s–%(b)s)."
            ) % {
                "a": session.opening.strftime("%d/%m/%Y"),
                "b": session.closing.strftime("%d/%m/%Y"),
            }
        if errors:
            raise ValidationError(errors)


class IssueCriterion(models.TextChoices):
    """Why an issue group was chosen (NQ 594/NQ-UBTVQH15)."""

    URGENT = "urgent", _("Urgent issue of concern to delegates or voters")
    VIOLATIONS = "violations", _("Signs of violations (corruption, complaints)")
    REJECTED = "rejected", _("Earlier answer not accepted by delegates")
    SUPERVISION = "supervision", _("Problem found by supervision")


class QuestioningPartQuerySet(scoped_queryset("questioning__council")):  # type: ignore[misc]
    def public(self) -> QuestioningPartQuerySet:
        """Issue groups and questions of a public questioning."""
        return self.filter(questioning__published=True)


class IssueGroup(models.Model):
    """An issue group (nhóm vấn đề chất vấn) chosen by the Standing Committee for a questioning."""

    questioning = models.ForeignKey(
        Questioning,
        verbose_name=_("questioning"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("issue group"), max_length=500)
    criterion = models.CharField(_("chosen because"), max_length=20, choices=IssueCriterion.choices)
    respondents = models.CharField(
        _("persons answering"),
        max_length=500,
        blank=True,
        help_text=_('e.g. "Giám đốc Sở Y tế; Phó Chủ tịch UBND tỉnh"'),
    )

    objects = QuestioningPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue group")
        verbose_name_plural = _("issue groups")
        ordering = ["questioning", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:questioning-detail", args=[self.questioning_id]) + "#groups"


class QuestionMode(models.TextChoices):
    ORAL = "oral", _("Oral")
    WRITTEN = "written", _("Written")


class Satisfaction(models.TextChoices):
    SATISFIED = "yes", _("Satisfied")
    NOT_SATISFIED = "no", _("Not satisfied")
    UNKNOWN = "", _("Not stated")


class Question(models.Model):
    """A question (câu hỏi chất vấn): the delegate asking, the person or post questioned, oral
    or written, and the answer with whether the asker was satisfied."""

    questioning = models.ForeignKey(
        Questioning,
        verbose_name=_("questioning"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    group = models.ForeignKey(
        IssueGroup,
        verbose_name=_("issue group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate asking"), on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.CharField(
        _("person or post questioned"),
        max_length=300,
        help_text=_('e.g. "Giám đốc Sở Tài nguyên và Môi trường"'),
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency questioned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("asked"), max_length=10, choices=QuestionMode.choices)
    asked_on = models.DateField(_("asked on"))
    content = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answer_mode = models.CharField(
        _("answered"), max_length=10, choices=QuestionMode.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_reference = models.CharField(_("answer document number"), max_length=100, blank=True)
    satisfied = models.CharField(
        _("asker satisfied?"), max_length=3, choices=Satisfaction.choices, blank=True
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = QuestioningPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questioning", "asked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("asked_on")),
                name="question_answered_after_asked",
                violation_error_message=_("The answer cannot be dated before the question."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | ~Q(answer=""),
                name="question_answer_has_text",
                violation_error_message=_("Write the content of the answer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} → {self.respondent}: {self.content[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:question-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.questioning.council

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        group = self.group if self.group_id else None
        if (
            group is not None
            and self.questioning_id
            and group.questioning_id != self.questioning_id
        ):
            errors["group"] = _("The issue group must belong to the same questioning.")
        if (
            self.delegate_id
            and self.questioning_id
            and self.delegate.term.council_id != self.questioning.council_id
        ):
            errors["delegate"] = _("The delegate must belong to the council.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(" ".join([self.content, self.respondent]))
        super().save(*args, **kwargs)


class Explanation(models.Model):
    """An explanation session (phiên giải trình) held by the Standing Committee or a committee:
    the topic, the agencies explaining, the conclusions and the commitments that follow."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    organ = models.ForeignKey(
        Organ, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("programme item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="explanations",
    )
    topic = models.CharField(_("topic"), max_length=500)
    held_on = models.DateField(_("date"))
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies explaining"), related_name="+"
    )
    explainers = models.TextField(
        _("persons explaining"), blank=True, help_text=_("One per line: name, post.")
    )
    conclusions = models.TextField(_("conclusions"), blank=True)
    conclusion_number = models.CharField(_("conclusion number"), max_length=50, blank=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("explanation session")
        verbose_name_plural = _("explanation sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("supervision:explanation-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.organ_id and self.organ is not None:
            if self.council_id and self.organ.council_id != self.council_id:
                errors["organ"] = _("The organ must belong to the same council.")
            elif self.organ.kind == OrganKind.DELEGATE_GROUP:
                errors["organ"] = _(
                    "Explanation sessions are held by the Standing Committee or a committee."
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(" ".join([self.topic, self.conclusion_number]))
        super().save(*args, **kwargs)


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Supervision recommendation")
    COMMITMENT = "commitment", _("Commitment")


class RecommendationStatus(models.TextChoices):
    """A recommendation's status on a given day: the follow-up's, with "overdue" for an open
    one past its due date."""

    OPEN = "open", _("Open")
    PARTLY_DONE = "partly_done", _("Partly done")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")


class RecommendationQuerySet(ScopedQuerySet):
    def open(self) -> RecommendationQuerySet:
        return self.filter(follow_up__status__in=[FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE])

    def overdue(self, on: dt.date | None = None) -> RecommendationQuerySet:
        return self.open().filter(follow_up__due_date__lt=on or timezone.localdate())

    def with_status(self, status: str, on: dt.date | None = None) -> RecommendationQuerySet:
        day = on or timezone.localdate()
        if status == RecommendationStatus.OVERDUE:
            return self.overdue(day)
        if status in (RecommendationStatus.OPEN, RecommendationStatus.PARTLY_DONE):
            return self.filter(follow_up__status=status, follow_up__due_date__gte=day)
        return self.filter(follow_up__status=status)


class Recommendation(models.Model):
    """A supervision recommendation (kiến nghị giám sát) addressed to a named agency, or a
    commitment (cam kết) made in an answer to a question or at an explanation session. Its due
    date, the agency's answers, progress and status live in the core follow-up it owns; it is
    carried from session to session until closed."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=RecommendationKind.choices,
        default=RecommendationKind.RECOMMENDATION,
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("supervision activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    explanation = models.ForeignKey(
        Explanation,
        verbose_name=_("explanation session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    follow_up = models.OneToOneField(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"))
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["follow_up__due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(activity__isnull=False, question__isnull=True, explanation__isnull=True)
                    | Q(activity__isnull=True, question__isnull=False, explanation__isnull=True)
                    | Q(activity__isnull=True, question__isnull=True, explanation__isnull=False)
                ),
                name="recommendation_one_source",
                violation_error_message=_(
                    "A recommendation comes from exactly one activity, question or explanation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.content[:100]

    def get_absolute_url(self) -> str:
        return reverse("supervision:recommendation-detail", args=[self.pk])

    @property
    def source(self) -> Activity | Question | Explanation:
        return self.activity or self.question or self.explanation  # type: ignore[return-value]

    def status_on(self, day: dt.date | None = None) -> str:
        """The status on a day: "overdue" when open past its due date; a recommendation closed
        after that day was still open on it (a table printed for a past session)."""
        follow_up = self.follow_up
        day = day or timezone.localdate()
        status = follow_up.status
        if status == FollowUpStatus.DONE and follow_up.closed_on and follow_up.closed_on > day:
            status = FollowUpStatus.PARTLY_DONE if follow_up.progress else FollowUpStatus.OPEN
        if status in (FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE) and follow_up.due_date < day:
            return RecommendationStatus.OVERDUE
        return status

    def status_label(self, day: dt.date | None = None) -> str:
        return str(RecommendationStatus(self.status_on(day)).label)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(self.content)
        super().save(*args, **kwargs)
