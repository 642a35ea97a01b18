"""An agency user sees the agency workspace only: every other page of the portal is a 404 for
them (a council page, a register, the dashboard, search, a file), whatever its own checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .access import is_agency_user

# The agency workspace's own pages, and the pages every logged-in user has (account, language,
# notifications).
AGENCY_PAGES = {
    "agencies:inbox",
    "agencies:item-detail",
    "agencies:item-slip",
    "agencies:answer-file",
    "core:notification-list",
    "core:notification-read",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password-set",
    "set_language",
    "two-factor",
    "two-factor-verify",
}

# The public portal and the open-data API: public records only, the same for everyone.
PUBLIC_APPS = {"public", "oparl"}


class AgencyWorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not is_agency_user(request.user):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name == "home":
            return redirect("agencies:inbox")
        if match and match.app_name == "admin":
            return None  # the admin lets in staff only, and sends everyone else to its log-in
        if match and match.app_name in PUBLIC_APPS:
            return None  # what every anonymous visitor reads (public records only)
        if name not in AGENCY_PAGES:
            raise Http404
        return None
