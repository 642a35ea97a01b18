"""The project's user types, so that code names the acting user instead of `Any`.

`User` is Django's own (AUTH_USER_MODEL is not swapped). A login-required view receives an
`AuthenticatedHttpRequest`, whose `request.user` is a `User`; code that may also meet the
anonymous visitor (access checks, templates) takes an `AnyUser`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

__all__ = ["AnyUser", "AuthenticatedHttpRequest", "User"]

AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required` (or LoginRequiredMixin): its user is a `User`."""

    user: User
