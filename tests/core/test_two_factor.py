"""Two-step log-in: a leader turns it on with an authenticator app, then every log-in asks for
the code; roles that require it are sent to set it up; turning it off needs a code."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Lanh-dao-2026-mat-khau"


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone would show now (or a later step: a code is accepted only once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def leader(db: Any) -> Any:
    user = f.UserFactory(username="lanhdao", password=PASSWORD)
    f.RoleFactory(user=user, role="leader")
    return user


def _log_in(client: Any, user: Any) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_a_leader_turns_it_on_and_then_every_log_in_asks_for_the_code(
    client: Any, leader: Any
) -> None:
    assert _log_in(client, leader).status_code == 302
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "Xác thực hai bước" in html
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    wrong = client.post(reverse("two-factor"), {"code": "000000"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    throttled = client.post(reverse("two-factor"), {"code": _code(device)})
    assert "chờ vài giây" in throttled.content.decode()  # right away after a wrong one
    time.sleep(1.1)  # django-otp's wait after one wrong code
    done = client.post(reverse("two-factor"), {"code": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:dashboard")).status_code == 200  # verified in this session

    client.logout()
    assert _log_in(client, leader).status_code == 302
    held = client.get(reverse("core:dashboard"))
    assert held.status_code == 302
    assert held.url.startswith(reverse("two-factor-verify"))
    refused = client.post(held.url, {"code": "123456"})
    assert refused.status_code == 200 and "Mã không đúng" in refused.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302  # still held
    time.sleep(1.1)
    passed = client.post(held.url, {"code": _code(device, steps_ahead=1)})
    assert passed.status_code == 302 and passed.url == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_code_is_accepted_only_once(client: Any, leader: Any) -> None:
    device = TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    code = _code(device)
    _log_in(client, leader)
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    client.logout()
    _log_in(client, leader)
    replay = client.post(reverse("two-factor-verify"), {"code": code})
    assert replay.status_code == 200  # the same code again is refused


def test_a_role_that_requires_it_is_sent_to_set_it_up(
    client: Any, leader: Any, settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader", "handler"]
    _log_in(client, leader)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))
    page = client.get(response.url).content.decode()
    assert "yêu cầu" in page  # the role requires it
    clerk = f.UserFactory(username="chuyenvien", password=PASSWORD)
    f.RoleFactory(user=clerk, role="clerk")
    client.logout()
    _log_in(client, clerk)
    assert client.get(reverse("core:dashboard")).status_code == 200  # clerks may choose


def test_turning_it_off_needs_a_code(client: Any, leader: Any) -> None:
    device = TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    _log_in(client, leader)
    client.post(reverse("two-factor-verify"), {"code": _code(device)})
    refused = client.post(reverse("two-factor"), {"code": "999999"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=leader).exists()
    time.sleep(1.1)
    off = client.post(reverse("two-factor"), {"code": _code(device, steps_ahead=1)})
    assert off.status_code == 302 and not TOTPDevice.objects.filter(user=leader).exists()
    client.logout()
    _log_in(client, leader)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_next_address_cannot_lead_off_site(client: Any, leader: Any) -> None:
    device = TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    _log_in(client, leader)
    response = client.post(
        reverse("two-factor-verify") + "?next=https://evil.example/",
        {"code": _code(device), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_superusers_and_staff_must_use_it_whatever_their_roles(
    client: Any, flags: dict[str, bool]
) -> None:
    """A superuser (or staff member) reaches the admin and can give itself the handler role:
    no role list may leave it out."""
    admin = f.UserFactory(username="quantri", password=PASSWORD, **flags)
    _log_in(client, admin)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))
    assert client.get("/admin/").status_code == 302  # the admin waits for it too
    assert "yêu cầu" in client.get(response.url).content.decode()  # and it says why
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert client.post(reverse("two-factor"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    time.sleep(1.1)
    kept = client.post(reverse("two-factor"), {"code": _code(device, steps_ahead=1)})
    assert kept.status_code == 302 and TOTPDevice.objects.filter(user=admin).exists()


def test_handlers_must_use_it_by_default() -> None:
    """The shipped default (TWO_FACTOR_REQUIRED_ROLES unset) requires it of handlers."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TWO_FACTOR_REQUIRED_ROLES"}
    script = "from django.conf import settings; print(','.join(settings.TWO_FACTOR_REQUIRED_ROLES))"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "handler" in out.strip().splitlines()[-1].split(",")


def test_turning_it_on_ends_the_users_other_sessions(client: Any, leader: Any) -> None:
    """A session opened before two-step log-in was turned on must not keep full access."""
    from django.test import Client

    other = Client()
    _log_in(other, leader)
    assert other.get(reverse("core:dashboard")).status_code == 200
    _log_in(client, leader)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    assert client.post(reverse("two-factor"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200  # this one goes on
    stale = other.get(reverse("core:dashboard"))
    assert stale.status_code == 302 and stale.url.startswith(reverse("login"))


def test_changing_the_password_ends_the_users_other_sessions(client: Any, leader: Any) -> None:
    from django.test import Client

    other = Client()
    _log_in(other, leader)
    _log_in(client, leader)
    new = "Mat-khau-moi-2026-xyz"
    changed = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    stale = other.get(reverse("core:dashboard"))
    assert stale.status_code == 302 and stale.url.startswith(reverse("login"))
