"""The pages satisfy the Content Security Policy in a real browser: the date picker, menus,
htmx polling and the dashboard's charts work, and Chromium reports no blocked resource (the
`page` fixture fails a test on any report)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def test_the_main_pages_run_under_the_policy(page: Any, demo: None) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", "chuyenvien.tinh")
    page.fill("#id_password", "HungYen@2026")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(page.base + "/")
    for path in (
        "/",
        "/dashboard/",
        "/sessions/",
        "/resolutions/",
        "/supervision/",
        "/petitions/",
        "/account/two-step/",
    ):
        response = page.goto(page.base + path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The enhancements run: portal.js adds a calendar button next to date fields, and the
    # user menu (Bootstrap's script) opens.
    page.goto(page.base + "/petitions/")
    if page.locator("input[data-datepicker]").count():
        assert page.locator(".date-picker-button").count() >= 1
    page.locator("header [data-bs-toggle=dropdown]").last.click()
    assert page.locator("header .dropdown-menu.show").count() == 1
