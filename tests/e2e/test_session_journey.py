"""A clerk prepares and runs a session in a real browser: agenda, attendance, a vote, minutes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from councilportal.models import Delegate, Term
from sessions.models import AgendaItem, Attendance, Session, Vote

from ..pdftools import pdf_text
from .conftest import seed_demo, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def _login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


def test_a_clerk_runs_a_session_from_agenda_to_minutes(
    page: Any, demo: None, eager_jobs: None, tmp_path: Any
) -> None:
    term = Term.objects.get(council__code="HY", ordinal=18)
    _login(page, "chuyenvien.tinh", "HungYen@2026")

    # A new thematic session of the current term.
    page.goto(page.base + "/sessions/new/")
    page.select_option("#id_council", str(term.council_id))
    page.select_option("#id_term", str(term.pk))
    page.fill("#id_ordinal", "7")
    page.select_option("#id_kind", "thematic")
    page.fill("#id_title", "Kỳ họp chuyên đề về giáo dục")
    page.fill("#id_planned_start", "15/12/2026")
    page.fill("#id_planned_end", "15/12/2026")
    page.fill("#id_venue", "Hội trường HĐND tỉnh")
    page.click("form.portal-form button[type=submit]")
    session = Session.objects.get(term=term, ordinal=7)
    assert page.url.endswith(f"/sessions/{session.pk}/")

    # The agenda: three items, then the third moved to the top with the arrow buttons.
    for title in (
        "Tờ trình về học phí năm học 2026-2027",
        "Tờ trình về chính sách hỗ trợ giáo viên",
        "Báo cáo thẩm tra của Ban Văn hóa - Xã hội",
    ):
        page.goto(page.base + f"/sessions/{session.pk}/items/new/")
        page.select_option("#id_kind", "submission")
        page.fill("#id_title", title)
        page.fill("#id_presenter", "Sở Giáo dục và Đào tạo")
        page.click("form.portal-form button[type=submit]")
    rows = page.locator("table.agenda tbody tr")
    assert rows.count() == 3
    page.locator("table.agenda tbody tr").nth(2).locator("form[action$='/up/'] button").click()
    expect(page.locator("table.agenda tbody tr").nth(1)).to_contain_text("Báo cáo thẩm tra")
    page.locator("table.agenda tbody tr").nth(1).locator("form[action$='/up/'] button").click()
    expect(page.locator("table.agenda tbody tr").nth(0)).to_contain_text("Báo cáo thẩm tra")
    page.reload()
    first = page.locator("table.agenda tbody tr").first.inner_text()
    assert "Báo cáo thẩm tra" in first
    assert list(session.items.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    shot(page, "session-agenda")

    # Open the session, add a sitting day and record attendance: two absent with a reason.
    for _step in ("convened", "in_progress"):
        with page.expect_navigation():
            page.click("form[action$='/advance/'] button")
        assert page.locator(f"[data-status={_step}]").is_visible()
    page.fill("input[name=date]", "15/12/2026")
    with page.expect_navigation():
        page.click("form[action$='/sittings/new/'] button[type=submit]")
    shot(page, "session-sitting")
    delegates = list(
        Delegate.objects.in_office(dt.date(2026, 12, 15)).filter(term__council=term.council)
    )
    absent = delegates[:2]
    for delegate in absent:
        page.select_option(f"#id_p{delegate.pk}", "excused")
        page.fill(f"#id_r{delegate.pk}", "Đi công tác")
    with page.expect_navigation():
        page.click("form button.btn-primary[type=submit]")
    assert page.locator(".attendance-count").is_visible()
    expected = f"{len(delegates) - 2}"
    assert expected in page.locator(".attendance-count").inner_text()
    assert Attendance.objects.filter(sitting__session=session).count() == len(delegates)
    shot(page, "session-attendance")

    # A vote on the fee submission: 45 for of the council's delegates.
    item = AgendaItem.objects.get(session=session, title__startswith="Tờ trình về học phí")
    page.goto(page.base + f"/sessions/items/{item.pk}/votes/new/")
    page.fill("#id_held_on", "15/12/2026")
    page.fill("#id_votes_for", "45")
    page.fill("#id_votes_against", "3")
    page.fill("#id_abstentions", "2")
    page.click("form.portal-form button[type=submit]")
    vote = Vote.objects.get(item=item)
    assert vote.total_delegates == len(delegates)
    assert vote.passed == (len(delegates) < 45 * 2)
    tally = page.locator("table.vote-tally").inner_text()
    assert re.search(r"45 \(\d+,\d\d%\)", tally)
    shot(page, "session-vote")

    # The minutes as a PDF, whose text carries the agenda, the vote and the attendance.
    page.goto(page.base + f"/sessions/{session.pk}/#minutes")
    page.click("form[action$='/minutes/new/'] button")
    page.wait_for_selector(".document-status[data-status=done]", timeout=30000)
    with page.expect_download() as info:
        page.click("a.download-link")
    path = tmp_path / "minutes.pdf"
    info.value.save_as(path)
    text = pdf_text(path.read_bytes(), layout=False)
    assert "BIÊN BẢN" in text
    assert "Tờ trình về học phí năm học 2026-2027" in text
    assert "tán thành 45" in text
    assert f"có mặt {len(delegates) - 2}/{len(delegates)}" in text
    assert "Đi công tác" in text
    shot(page, "session-minutes-done")
