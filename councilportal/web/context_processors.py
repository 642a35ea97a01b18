"""Values every page's frame needs: the user's councils for the switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    from councilportal.models import Notification, RoleAssignment

    roles = list(
        RoleAssignment.objects.filter(user_id=user.pk)
        .select_related("council")
        .order_by("council__path", "role")
    )
    councils: dict[int, Any] = {}
    for role in roles:
        councils.setdefault(role.council.pk, role.council)
    return {
        "my_roles": roles,
        "my_councils": list(councils.values()),
        "nav_areas": _nav_areas(),
        "unread_notifications": Notification.objects.visible_to(user).unread().count(),
    }


def _nav_areas() -> list[dict[str, Any]]:
    """The domain areas that have pages: each app's AppConfig may name `nav_label` and
    `nav_url`; an app without pages yet shows no menu entry (no placeholder pages)."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    areas = []
    for config in apps.get_app_configs():
        url_name = getattr(config, "nav_url", None)
        if not url_name:
            continue
        try:
            areas.append({"label": config.nav_label, "url": reverse(url_name)})  # type: ignore[attr-defined]
        except NoReverseMatch:
            continue
    return areas
