"""Activity reports: a dashboard frozen for a period and printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.models.councils import Council, scoped_queryset

if TYPE_CHECKING:
    pass


class ActivityReport(models.Model):
    """A periodic activity report (báo cáo kết quả hoạt động) of a council, with or without
    the councils below it, for a period: the source record of its generated PDF versions."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="reports"
    )
    include_below = models.BooleanField(_("with the councils below"), default=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="activity_report_period",
                violation_error_message=_("The end of the period cannot be before its start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("core:report-detail", args=[self.pk])
