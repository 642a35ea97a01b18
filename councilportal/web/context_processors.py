"""Values every page's frame needs: the user's councils for the switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    from councilportal.access import role_assignments
    from councilportal.models import Notification

    roles = role_assignments(user)
    councils: dict[int, Any] = {}
    for role in roles:
        councils.setdefault(role.council.pk, role.council)
    from agencies.access import is_agency_user

    return {
        # An agency user's frame shows the agency workspace only (agencies/access.py).
        "agency_workspace": is_agency_user(user),
        "my_roles": roles,
        "my_councils": list(councils.values()),
        "nav_areas": _nav_areas(),
        "app_nav": SimpleLazyObject(lambda: _app_nav(request)),
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
        # An app may keep its menu (nav_url) out of the top bar (`nav_top = False`).
        if not url_name or not getattr(config, "nav_top", True):
            continue
        try:
            areas.append({"label": config.nav_label, "url": reverse(url_name)})  # type: ignore[attr-defined]
        except NoReverseMatch:
            continue
    return areas


def _app_nav(request: HttpRequest) -> dict[str, Any] | None:
    """The current app's own menu (core/_app_nav.html) and root (core/_breadcrumbs.html, area=True)
    from its AppConfig: `nav_label`/`nav_url`, and `nav` as (URL name, label[, dotted path of a
    `(user) -> bool` deciding who sees the link]). Lazy: only the pages that show it pay for it."""
    from django.apps import apps
    from django.urls import reverse
    from django.utils.module_loading import import_string

    match = request.resolver_match
    namespace = match.app_name if match else None
    config = next((c for c in apps.get_app_configs() if c.name == namespace), None)
    if config is None or not getattr(config, "nav_url", None):
        return None
    links = [
        {"url": reverse(url_name), "label": label}
        for url_name, label, *shown_to in getattr(config, "nav", ())
        if not shown_to or import_string(shown_to[0])(request.user)
    ]
    return {
        "title": config.verbose_name,
        "label": config.nav_label,  # type: ignore[attr-defined]
        "url": reverse(config.nav_url),  # type: ignore[attr-defined]
        "links": links,
    }
