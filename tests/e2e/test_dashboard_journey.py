"""A council leader opens the dashboard before a liaison meeting and follows a figure to the
records it counts, in a real browser."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.core.management import call_command

from .conftest import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _count(text: str) -> int:
    """The first number of a text ("1.234 kết quả · …"), Vietnamese thousands dots and all."""
    found = re.search(r"\d[\d.]*", text)
    return int(found.group().replace(".", "")) if found else 0


def test_a_leader_follows_a_dashboard_figure_to_its_list(page: Any, demo: None) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", "lanhdao.tinh")
    page.fill("#id_password", "LanhDao@2026")
    page.click("form button[type=submit].btn-primary")
    page.click("nav >> text=Tổng quan")
    assert page.locator("h1").inner_text() == "Tổng quan"
    # The seed's period: from the year-end session of 2022 to the liaison meeting.
    page.select_option("#id_period", "custom")
    page.fill("#id_date_from", "01/12/2022")
    page.fill("#id_date_to", "01/03/2023")
    page.click("text=Xem")
    page.wait_for_selector("[data-figure=resolutions]")
    shot(page, "leader-dashboard")
    body = page.locator("main").inner_text()
    assert "Kỳ họp và phiên họp" in body and "Nghị quyết" in body
    assert "Tiếp công dân, tiếp nhận và xử lý đơn thư" in body and "Giám sát" in body
    assert "HĐND huyện Kim Động" in body  # a council below, in the table
    card = page.locator("[data-figure=resolutions]")
    figure = _count(card.locator("[data-value]").inner_text())
    assert figure > 0
    card.click()
    page.wait_for_selector(".result-count")
    shot(page, "leader-dashboard-resolutions")
    assert "/resolutions/" in page.url
    assert _count(page.locator(".result-count").inner_text()) == figure
    assert "HĐND tỉnh Hưng Yên và HĐND cấp dưới" in page.locator("main").inner_text()
    # Back on the dashboard, the petitions figure leads to the register of those petitions.
    page.go_back()
    petitions = page.locator("[data-figure=petitions]")
    received = _count(petitions.locator("[data-value]").inner_text())
    petitions.click()
    page.wait_for_selector(".result-count")
    assert _count(page.locator(".result-count").inner_text()) == received
    # The leader sees no denouncer's name in the list the figure leads to.
    assert "Người tố cáo (bảo mật)" in page.locator("main").inner_text() or received == 0
