"""Liaison meetings (hội nghị giao ban, DOMAIN.md §8): a province's reporting round, each lower
council's report with its figures (computed by the dashboard, corrected only with a reason),
and the meeting's conclusions, whose tasks are core follow-ups."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models import Council, FollowUp, ScopedQuerySet, scoped_queryset
from councilportal.typing import AnyUser
from resolutions.models import Field
from sessions.models import Meeting


class RoundScope(models.TextChoices):
    CHILDREN = "children", _("Councils directly below")
    SUBTREE = "subtree", _("Every council below")


class ReportingRoundQuerySet(ScopedQuerySet):
    """A round is read by those who read its council (the province) and by the councils asked
    to report in it (who see only their own report: liaison/access.py)."""

    scope_field = "council"

    def visible_to(self, user: AnyUser) -> ScopedQuerySet:
        from councilportal.access import scope_q

        asked = CouncilReport.objects.filter(scope_q(user, "council")).values("round_id")
        return self.filter(scope_q(user, "council") | Q(pk__in=asked))


class ReportingRound(models.Model):
    """A reporting round (đợt báo cáo) that prepares a liaison meeting (hội nghị giao ban):
    the period, the councils asked, the topic, the deadline and the outline's questions."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("liaison meeting"),
        on_delete=models.PROTECT,
        related_name="reporting_round",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    topic = models.TextField(_("topic put to discussion"), blank=True)
    scope = models.CharField(
        _("councils asked"), max_length=20, choices=RoundScope.choices, default=RoundScope.CHILDREN
    )
    questions = models.TextField(
        _("questions on the topic"), blank=True, help_text=_("One question per line.")
    )
    deadline = models.DateField(_("reports due"))
    deadline_explanation = models.CharField(
        _("how the deadline was set"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="liaison_round_period",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.meeting.title

    def get_absolute_url(self) -> str:
        return reverse("liaison:reportinground-detail", args=[self.pk])

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.questions.splitlines() if q.strip()]

    def is_past_deadline(self, on: dt.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.deadline


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Being drafted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")


class CouncilReport(models.Model):
    """A lower council's report (báo cáo của Thường trực HĐND cấp dưới) in a round: its
    figures (computed; frozen when submitted) and what the records cannot say."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    assessment = models.TextField(_("assessment: strengths, weaknesses, causes"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    good_practices = models.TextField(_("good practices on the topic"), blank=True)
    answers = models.JSONField(_("answers to the questions"), default=dict, blank=True)
    # The figures as submitted ({"section.key": value}); empty while a draft (computed live).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        ordering = ["council__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "council"], name="liaison_one_report"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="liaison_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(returned_reason=""),
                name="liaison_returned_has_reason",
                violation_error_message=_("Give the reason for returning the report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} — {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("liaison:report-detail", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def late(self) -> bool:
        """Submitted after the deadline's day, or still not submitted after it."""
        deadline = self.round.deadline
        if self.submitted_at is not None and self.status == ReportStatus.SUBMITTED:
            return timezone.localtime(self.submitted_at).date() > deadline
        return timezone.localdate() > deadline

    @property
    def board_status(self) -> str:
        """The status board's word: submitted, returned, draft (started) or not started."""
        if self.status != ReportStatus.DRAFT:
            return str(self.status)
        return "draft" if self.started_at else "not_started"

    def answer_pairs(self) -> list[tuple[str, str]]:
        return [(q, self.answers.get(str(i), "")) for i, q in enumerate(self.round.question_list())]


class Proposal(models.Model):
    """A proposal (kiến nghị, đề xuất) of a lower council to the province, with its field."""

    report = models.ForeignKey(
        CouncilReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="proposals"
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    text = models.TextField(_("proposal"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["field", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FigureCorrection(models.Model):
    """A computed figure corrected by the reporting council, with the reason (shown to the
    province next to the computed value)."""

    report = models.ForeignKey(
        CouncilReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    key = models.CharField(_("figure"), max_length=80)
    computed = models.PositiveIntegerField(_("computed value"))
    corrected = models.PositiveIntegerField(_("corrected value"))
    reason = models.TextField(_("reason"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure correction")
        verbose_name_plural = _("figure corrections")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="liaison_one_correction"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="liaison_correction_has_reason",
                violation_error_message=_("Give the reason for the correction."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.corrected} ({self.computed})"


class Conclusion(models.Model):
    """A conclusion of the meeting's chair (kết luận), turned into tasks for the councils (core
    follow-ups whose source is the conclusion)."""

    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.CASCADE,
        related_name="conclusions",
    )
    text = models.TextField(_("conclusion"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    objects = scoped_queryset("round__council").as_manager()

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("liaison:reportinground-detail", args=[self.round_id]) + "#conclusions"

    def tasks(self) -> models.QuerySet[FollowUp]:
        return FollowUp.objects.of(self).select_related("to_council")
