"""Two-step log-in (django-otp, time-based codes from an authenticator app).

Any user may turn it on from the user menu; superusers and staff always must (they reach the
admin and can give themselves any role, the handler's included), and so must the roles named in
TWO_FACTOR_REQUIRED_ROLES (default: confidential petition handlers). Once a user has a confirmed
device, every page asks for a code after the password until one is given in that browser
session; turning it on ends the user's other sessions (opened with the password alone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from councilportal.typing import AnyUser, AuthenticatedHttpRequest, User

DEVICE_NAME = "authenticator"
SESSION_KEY = "two_factor_need"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, device: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code has six digits."), code="digits")
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            # django-otp doubles the wait after each wrong code (guessing six digits is slow).
            raise forms.ValidationError(
                _("Too many wrong codes: wait a few seconds, then enter the current code."),
                code="throttled",
            )
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("The code is wrong or has expired. Enter the code the app shows now."),
                code="wrong",
            )
        return code


def required_for(user: AnyUser) -> bool:
    """Whether the user must use two-step log-in: superusers and staff always, others by role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if not roles:
        return False
    from councilportal.models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user.pk, role__in=roles).exists()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path of this site: not another host, not a relative word.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("home")


@never_cache  # the page shows the secret key
@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-step log-in on (scan, then confirm with a first code) or off (with a code)."""
    confirmed = next(iter(devices_for_user(request.user, confirmed=True)), None)
    if confirmed is not None:
        form = CodeForm(request.POST or None, device=confirmed)
        if request.method == "POST" and form.is_valid():
            if required_for(request.user):
                messages.error(request, _("Your role requires two-step log-in; it stays on."))
                return redirect("two-factor")
            TOTPDevice.objects.filter(user=request.user).delete()
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Two-step log-in is now off."))
            return redirect("two-factor")
        return render(request, "registration/two_factor.html", {"form": form, "enabled": True})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        # A session opened elsewhere with the password alone would keep full access.
        end_other_sessions(request.user, keep=request.session.session_key)
        request.session[SESSION_KEY] = "verify"
        messages.success(request, _("Two-step log-in is on. Keep the app on your phone."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "enabled": False,
            "qr": qr.svg_data_uri(scale=5, border=2),
            "secret": _grouped_secret(device),
            "required": required_for(request.user),
            "next": _next_url(request),
        },
    )


def end_other_sessions(user: User, *, keep: str | None) -> int:
    """Log the user out everywhere but in the session `keep`; the number of sessions ended.
    Sessions are rows of the database keyed by a random id, so this reads the unexpired ones
    (a rare event: turning two-step log-in on)."""
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY as USER_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get(USER_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def _grouped_secret(device: Any) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the app."""
    device = next(iter(devices_for_user(request.user, confirmed=True)), None)
    if device is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def need_of(user: User) -> str:
    """What a fresh log-in of this user still needs: "verify" a code, "setup" a device, or ""."""
    if user_has_device(user, confirmed=True):
        return "verify"
    if required_for(user):
        return "setup"
    return ""


def remember_need(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On log-in (connected in CoreConfig.ready): note in the session whether a code is
    needed, so that pages ask no query for it."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = need_of(user)


class TwoFactorMiddleware:
    """After the password, pages wait for the code of a user who has two-step log-in on; a user
    whose role requires it and who has not set it up is sent to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._exempt(request.path):
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified:
                # Whether this session needs a code, worked out once per session (no query on
                # every page); turning the device on or off updates it.
                need = request.session.get(SESSION_KEY)
                if need is None:  # a session from before this feature
                    need = request.session[SESSION_KEY] = need_of(user)
                query = urlencode({"next": request.get_full_path()})
                if need == "verify":
                    return redirect(f"{reverse('two-factor-verify')}?{query}")
                if need == "setup":
                    return redirect(f"{reverse('two-factor')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (
            reverse("two-factor"),
            reverse("two-factor-verify"),
            reverse("logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return path.startswith(open_paths)
