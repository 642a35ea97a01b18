"""The agency workspace: agency users, the answers they send online and their requests for more
time. An agency (cơ quan) answers the follow-ups addressed to it (ARCHITECTURE.md §4); the
council's clerk accepts an answer, which then becomes the follow-up's answer, or returns it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models import Agency, FollowUp, FollowUpAnswer, ScopedQuerySet


class AgencyRole(models.TextChoices):
    """A user's role in an agency; kept apart from the council `Role`s: an agency user holds no
    role on any council."""

    OFFICER = "officer", _("Agency officer")
    HEAD = "head", _("Agency head")


class AgencyMembership(models.Model):
    """A user who works in an agency (cán bộ của cơ quan): they answer its follow-ups online."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="agency_memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=AgencyRole.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                name="agency_membership_unique",
                violation_error_message=_("This user already belongs to this agency."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"


class AnswerState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the council")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProposedStatus(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY = "partly_done", _("Partly done")
    CANNOT = "cannot", _("Cannot be resolved")


class AgencyAnswerQuerySet(ScopedQuerySet):
    scope_field = "follow_up__council"


class AgencyAnswer(models.Model):
    """An agency's answer to a follow-up, sent online (văn bản trả lời của cơ quan): signed by
    the officer who sent it, accepted or returned by the council's clerk, never changed once
    accepted (it is then the follow-up's answer)."""

    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.CASCADE,
        related_name="agency_answers",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="answers_sent"
    )
    text = models.TextField(_("answer"))
    reply_reference = models.CharField(_("reply document number"), max_length=100, blank=True)
    reply_date = models.DateField(_("reply document date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    proposed_status = models.CharField(
        _("proposed status"), max_length=20, choices=ProposedStatus.choices
    )
    cannot_reason = models.TextField(_("why it cannot be resolved"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("sent on"), default=timezone.localdate)
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=20, choices=AnswerState.choices, default=AnswerState.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    follow_up_answer = models.OneToOneField(
        FollowUpAnswer,
        verbose_name=_("recorded answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_answer",
    )

    history = HistoricalRecords()
    objects = AgencyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency answer")
        verbose_name_plural = _("agency answers")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="agency_answer_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(proposed_status="cannot") | ~Q(cannot_reason=""),
                name="agency_answer_cannot_has_reason",
                violation_error_message=_("Say why the item cannot be resolved."),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="agency_answer_return_has_reason",
                violation_error_message=_("Say why the answer is returned."),
            ),
            # An accepted answer is the follow-up's answer: recorded, decided, never returned.
            models.CheckConstraint(
                condition=~Q(state="accepted")
                | Q(follow_up_answer__isnull=False, decided_at__isnull=False, return_reason=""),
                name="agency_answer_accepted_is_recorded",
            ),
            # One answer at a time awaits the council for an item.
            models.UniqueConstraint(
                fields=["follow_up"],
                condition=Q(state="submitted"),
                name="agency_answer_one_awaiting",
                violation_error_message=_("An answer to this item already awaits the council."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not a workflow rule (the services decide): an accepted answer is
        # the council's record of what the agency said, and no code path may rewrite it.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == AnswerState.ACCEPTED:
                raise AnswerFrozen(_("An accepted answer cannot be changed."))
        super().save(*args, **kwargs)


class AnswerFrozen(Exception):
    """A write to an accepted answer."""


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting the council")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """An agency's request for more time on a follow-up (đề nghị gia hạn). Accepted, it moves
    the due date; it keeps the due date before and after, so that the due date in force on any
    day is known (the on-time test of an answer)."""

    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    proposed_date = models.DateField(_("proposed due date"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ExtensionState.choices,
        default=ExtensionState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("council's note"), blank=True)
    old_due = models.DateField(_("due date before"), null=True, blank=True)
    new_due = models.DateField(_("new due date"), null=True, blank=True)
    new_explanation = models.CharField(
        _("how the new due date was set"), max_length=300, blank=True
    )

    history = HistoricalRecords()
    objects = AgencyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="accepted")
                | Q(old_due__isnull=False, new_due__isnull=False, decided_on__isnull=False),
                name="extension_accepted_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(decision_note=""),
                name="extension_refused_has_reason",
                violation_error_message=_("Say why the extension is refused."),
            ),
            models.UniqueConstraint(
                fields=["follow_up"],
                condition=Q(state="pending"),
                name="extension_one_pending",
                violation_error_message=_("A request for this item already awaits the council."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.proposed_date:%d/%m/%Y}"
