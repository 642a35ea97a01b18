"""Security of the deployment: the Content Security Policy and the pages that satisfy it, login
throttling, password strength, session expiry, HSTS and secure cookies in production."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from .. import factories as f
from .test_access_matrix import OBJECT_PATTERNS, PLAIN_PATTERNS, _model_of, object_url

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Finds what a strict Content Security Policy would block: inline scripts, inline event
    handlers, javascript: URLs, style elements and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL on <{tag}>")


def _inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_every_page_is_sent_with_a_strict_content_security_policy(client: Any) -> None:
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_page_has_inline_scripts_or_styles(world: Any, login: Any) -> None:
    """Every list, form and object page, as the province clerk who may read and write them."""
    client = login(world.users["province_clerk"])
    urls = [reverse(name) for name, _route, _pattern in PLAIN_PATTERNS]
    for name, _route, pattern in OBJECT_PATTERNS:
        obj = world.own_objects.get(_model_of(pattern))
        if obj is not None:
            urls.append(object_url(name, pattern, obj.pk))
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        assert not _inline_code(response.content.decode()), (url, _inline_code(response.content))
    assert checked > 60


def test_the_admin_has_no_inline_scripts_either(world: Any, login: Any) -> None:
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = login(root)
    for url in (reverse("admin:index"), reverse("admin:core_council_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert not _inline_code(response.content.decode()), url


def test_the_checker_finds_inline_code() -> None:
    html = '<p style="color:red" onclick="x()"><script>alert(1)</script><a href="javascript:x">'
    assert len(_inline_code(html)) == 4


def _login_post(client: Any, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_user_name_from_that_address(client: Any) -> None:
    f.UserFactory(username="thuky", password="Mat-khau-dung-2026")
    for _ in range(4):
        response = _login_post(client, "thuky", "sai-mat-khau")
        assert response.status_code == 200  # the form again, with its error
    response = _login_post(client, "thuky", "sai-mat-khau")
    assert response.status_code == 429
    # Now even the right password is refused, with a page that says why and for how long.
    response = _login_post(client, "thuky", "Mat-khau-dung-2026")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page and "15 phút" in page
    assert "_auth_user_id" not in client.session
    # The same user from another address, and another user from this one, are not locked.
    assert _login_post(client, "thuky", "Mat-khau-dung-2026", ip="10.0.0.2").status_code == 302
    client.logout()
    f.UserFactory(username="lanhdao", password="Mat-khau-khac-2026")
    assert _login_post(client, "lanhdao", "Mat-khau-khac-2026").status_code == 302


def test_a_successful_login_clears_earlier_failures(client: Any) -> None:
    f.UserFactory(username="thuky", password="Mat-khau-dung-2026")
    for _ in range(4):
        _login_post(client, "thuky", "sai")
    assert _login_post(client, "thuky", "Mat-khau-dung-2026").status_code == 302
    client.logout()
    for _ in range(4):
        _login_post(client, "thuky", "sai")
    assert _login_post(client, "thuky", "Mat-khau-dung-2026").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_uses_the_forwarded_client_address(client: Any) -> None:
    f.UserFactory(username="thuky", password="Mat-khau-dung-2026")
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "thuky", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    locked = client.post(
        reverse("login"),
        {"username": "thuky", "password": "Mat-khau-dung-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert locked.status_code == 429
    # Another office behind the same proxy is not locked out.
    other = client.post(
        reverse("login"),
        {"username": "thuky", "password": "Mat-khau-dung-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    "password,message",
    [
        ("Ab1-ngan", "quá ngắn"),
        ("1234567890123", "hoàn toàn là số"),
        ("password123", "quá phổ biến"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client: Any, password: str, message: str) -> None:
    user = f.UserFactory(username="thuky", password="Mat-khau-cu-2026")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "Mat-khau-cu-2026", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Mat-khau-cu-2026")


def test_a_session_expires_after_its_age(world: Any, login: Any, settings: Any) -> None:
    client = login(world.users["province_clerk"])
    assert client.get(reverse("home")).status_code == 200
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_sends_hsts_and_secure_cookies_and_redirects_http(client: Any) -> None:
    assert client.get(reverse("login")).status_code == 301  # plain HTTP goes to HTTPS
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.cookies["csrftoken"]["secure"]
    assert response.cookies["csrftoken"]["httponly"]
