"""Follow-ups: what a council asked of an agency, with a due date, and the answers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models.councils import Agency, Council, Organ, ScopedQuerySet

if TYPE_CHECKING:
    pass


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_DONE = "partly_done", _("Partly done")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpQuerySet(ScopedQuerySet):
    def of(self, source: models.Model | type[models.Model]) -> FollowUpQuerySet:
        """The follow-ups owned by a record, or by any record of a model (a class)."""
        from django.contrib.contenttypes.models import ContentType

        if isinstance(source, type):
            return self.filter(source_type=ContentType.objects.get_for_model(source))
        return self.filter(
            source_type=ContentType.objects.get_for_model(type(source)), source_id=source.pk
        )

    def open(self) -> FollowUpQuerySet:
        return self.filter(status__in=[FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE])

    def overdue(self, on: dt.date | None = None) -> FollowUpQuerySet:
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def due_within(self, first: dt.date, last: dt.date) -> FollowUpQuerySet:
        """Open items falling due between two days (inclusive): "due soon" lists, reminders."""
        return self.open().filter(due_date__gte=first, due_date__lte=last)


class FollowUp(models.Model):
    """Something sent out that awaits an answer (việc cần theo dõi): a task from a liaison
    meeting, a forwarded petition, a recommendation… addressed to an agency, a council or an
    organ, with a due date, answers and a status. Each app's record owns its follow-ups."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField()
    content = models.TextField(_("content"))
    to_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    to_council = models.ForeignKey(
        Council,
        verbose_name=_("council assigned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_follow_ups",
    )
    to_organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ assigned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    sent_on = models.DateField(_("assigned on"))
    due_date = models.DateField(_("due date"))
    due_explanation = models.CharField(_("how the due date was set"), max_length=300, blank=True)
    # When the due date comes from a rule (deadline engine), the rule and the day counted from,
    # so that a change of the holiday calendar can recompute it.
    due_rule = models.CharField(_("rule"), max_length=80, blank=True)
    due_start = models.DateField(_("counted from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("sent_on")),
                name="follow_up_due_after_sent",
                violation_error_message=_("The due date cannot be before the assignment date."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="follow_up_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(to_agency__isnull=False)
                | Q(to_council__isnull=False)
                | Q(to_organ__isnull=False),
                name="follow_up_has_addressee",
                violation_error_message=_("Name who the task is assigned to."),
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    @property
    def addressee(self) -> Any:
        return self.to_agency or self.to_organ or self.to_council

    def get_absolute_url(self) -> str:
        return reverse("core:follow-up-detail", args=[self.pk])

    @property
    def source(self) -> Any:
        return self.source_type.get_object_for_this_type(pk=self.source_id)

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.status in (
            FollowUpStatus.OPEN,
            FollowUpStatus.PARTLY_DONE,
        ) and self.due_date < (on or timezone.localdate())


class FollowUpAnswer(models.Model):
    """An answer or progress report received for a follow-up (văn bản trả lời, báo cáo)."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="answers"
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"))
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="answer_progress_percent")
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y}: {self.content[:60]}"
