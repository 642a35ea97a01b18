"""In-app notifications (also e-mailed once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.models.councils import Council

if TYPE_CHECKING:
    from councilportal.typing import AnyUser


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification (thông báo) to one user: something due soon or overdue.

    `key` names the item and the threshold ("petition:12:overdue"): one row per user and key,
    so a job that runs twice notifies once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("details"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
