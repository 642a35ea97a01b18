"""Security helpers wired in settings: login throttling's client address and lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, for django-axes.

    Behind TRUSTED_PROXY_COUNT reverse proxies, the client is the entry that many places from the
    right of X-Forwarded-For (the ones before it could be forged by the client itself); with no
    proxy it is REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None  # none in a forced test log-in
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count] or remote


def locked_out(
    request: HttpRequest, original_response: Any, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out log-in: a page in the user's language (429)."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule, with its message in the portal's catalogue (Django's own
    Vietnamese catalogue lacks the current wording)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min)d character.",
            "This password is too short: it must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must have at least %(min)d character.",
            "Your password must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}
