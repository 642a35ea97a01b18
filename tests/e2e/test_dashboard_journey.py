"""A council leader opens the dashboard before a liaison meeting and follows a figure to the
records it counts, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import ARTIFACTS, seed_demo, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


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


@pytest.mark.parametrize("width", [1366, 375])
def test_the_table_of_councils_below_keeps_their_names_in_view(
    page: Any, demo: None, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + "/login/")
    page.fill("#id_username", "lanhdao.tinh")
    page.fill("#id_password", "LanhDao@2026")
    page.click("form button[type=submit].btn-primary")
    page.goto(
        page.base + "/dashboard/?below=on&period=custom&date_from=01/12/2022&date_to=01/03/2023"
    )
    tables = page.locator("[data-section-table]")
    page.wait_for_selector("[data-section-table]")
    # One table per part of the work, none as wide as the 41 columns of all of them.
    assert tables.count() >= 4
    for i in range(tables.count()):
        assert tables.nth(i).locator("thead th").count() <= 16
    # Scrolled sideways as far as it goes, each row still shows its council's name.
    wide = None
    for i in range(tables.count()):
        box = tables.nth(i).locator("xpath=..")
        if box.evaluate("el => el.scrollWidth > el.clientWidth"):
            wide = box
            break
    if width == 375:
        assert wide is not None, "at 375 px some table must scroll sideways"
    if wide is not None:
        wide.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        frame = wide.bounding_box()
        name = wide.locator("tbody th").first
        cell = name.bounding_box()
        assert frame is not None and cell is not None
        assert abs(cell["x"] - frame["x"]) < 2, (cell, frame)
        assert name.evaluate("el => getComputedStyle(el).position") == "sticky"
        # Nothing of the figure cells shows through the name's cell.
        assert name.evaluate("el => getComputedStyle(el).backgroundColor") not in (
            "rgba(0, 0, 0, 0)",
            "transparent",
        )
        wide.scroll_into_view_if_needed()
    shot(page, f"dashboard-below-{width}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section.below-tables").screenshot(
        path=str(ARTIFACTS / f"dashboard-below-tables-{width}.png")
    )
