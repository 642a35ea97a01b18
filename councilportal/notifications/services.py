"""Notifications: once per key, in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from councilportal.models import Council, Notification
from councilportal.typing import User


def notify(
    *,
    user: User,
    key: str,
    title: str,
    link: str = "",
    body: str = "",
    council: Council | None = None,
    email: str = "notification",
) -> Notification | None:
    """Notify a user once per key (an item and a threshold): the in-app list, and an e-mail
    through the one e-mail helper. Returns None when this key was already notified."""
    from councilportal.notifications.emails import send_email

    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key[:200],
            defaults={"title": title[:300], "link": link[:300], "body": body, "council": council},
        )
    if not created:
        return None
    if email and getattr(user, "email", ""):
        context = {"notification": notification, "user": user, "site_url": settings.SITE_URL}
        notification.emailed = send_email(email, [user.email], context)
        notification.save(update_fields=["emailed"])
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
