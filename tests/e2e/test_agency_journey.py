"""An agency answers online: the officer of the Department of Construction answers an item with
a file, answers another and asks for more time on a third; the council's clerk returns one
answer, accepts the other and grants the extension; the leader sees the department's row change
in the responsiveness table and in the activity report. Screenshots of the inbox, an item, the
queue and the responsiveness page at 1280 and 375 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ..pdftools import pdf_text
from .conftest import ARTIFACTS, seed_demo, shot
from .test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTMENT = "Sở Xây dựng tỉnh Hưng Yên"
NEW_ITEM = "Rà soát, báo cáo tiến độ cấp giấy chứng nhận"
SOON_ITEM = "Báo cáo việc khắc phục tình trạng ngập úng"
OVERDUE_ITEM = "Giải trình chậm bàn giao mặt bằng"


@pytest.fixture
def demo(settings: Any, media: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def _log_in(page: Any, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


def _both_widths(page: Any, name: str) -> None:
    # Every page of the workspace and the queue: no serious or critical axe-core violation.
    found = axe_violations(page)
    assert found == [], (name, [(v["id"], v["first"]) for v in found])
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"agency-{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def _row(page: Any) -> dict[str, int]:
    from councilportal.models import Agency

    agency = Agency.objects.get(name=DEPARTMENT)
    today = timezone.localdate()
    start = (today - dt.timedelta(days=365)).strftime("%d/%m/%Y")
    page.goto(
        page.base + "/agency/responsiveness/?council="
        f"{agency.council_id}&include_below=on&date_from={start}&date_to={today:%d/%m/%Y}"
    )
    row = page.locator(f"tr[data-agency='{agency.pk}']")
    return {
        key: int(row.locator(f"[data-col={key}]").inner_text().strip())
        for key in ("received", "on_time", "late", "overdue")
    }


def _report_row(leader: Any) -> str:
    """The activity report of the province and the year behind, as printed (pdftotext)."""
    from councilportal.dashboard.reports import ACTIVITY_REPORT
    from councilportal.documents.services import document_render, document_request
    from councilportal.models import ActivityReport, Council

    today = timezone.localdate()
    report = ActivityReport.objects.create(
        council=Council.objects.get(code="HY"),
        include_below=True,
        period_start=today - dt.timedelta(days=365),
        period_end=today,
        requested_by=leader,
    )
    document = document_request(kind=ACTIVITY_REPORT.key, source=report, by=leader)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    text = pdf_text(document.file.read())
    return next(line for line in text.splitlines() if "Sở Xây dựng" in line)


def test_an_agency_answers_and_the_council_decides(page: Any, demo: None, tmp_path: Path) -> None:
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="lanhdao.tinh")
    report_before = _report_row(leader)
    _log_in(page, "lanhdao.tinh", "LanhDao@2026")
    before = _row(page)
    shot(page, "agency-responsiveness-before")

    # The officer: the inbox, overdue first; an item answered with a file.
    _log_in(page, "so.xaydung", "XayDung@2026")
    assert page.url.endswith("/agency/")
    assert "Hộp thư" in page.locator("h1").inner_text() or page.locator("[data-counts]").count()
    first = page.locator("tbody tr").first.inner_text()
    assert OVERDUE_ITEM in first or "Quá hạn" in first
    _both_widths(page, "inbox")
    # A council page by URL: 404.
    assert page.goto(page.base + "/petitions/").status == 404
    page.goto(page.base + "/agency/")
    page.click(f"text={NEW_ITEM}")
    scan = tmp_path / "cong-van-tra-loi.pdf"
    scan.write_bytes(b"%PDF-1.4\n% cong van tra loi cua So Xay dung\n%%EOF\n")
    page.fill("#id_answer-text", "Đã cấp 1.250 giấy chứng nhận, đạt 92% kế hoạch.")
    page.fill("#id_answer-reply_reference", "215/SXD-QLN")
    page.fill("#id_answer-progress", "100")
    page.select_option("#id_answer-proposed_status", "done")
    page.set_input_files("#id_answer-file", str(scan))
    page.click(
        "button:has-text('Gửi câu trả lời'), form:has(input[value=answer]) button[type=submit]"
    )
    page.wait_for_selector("[data-answer][data-state=submitted]")
    assert "cong-van-tra-loi.pdf" in page.locator("main").inner_text()
    _both_widths(page, "item")
    # A second answer, to be returned; then more time asked on the overdue item.
    page.goto(page.base + "/agency/")
    page.click(f"text={SOON_ITEM}")
    page.fill("#id_answer-text", "Đã cơ bản khắc phục.")
    page.select_option("#id_answer-proposed_status", "partly_done")
    page.fill("#id_answer-progress", "60")
    page.click("form:has(input[value=answer]) button[type=submit]")
    page.wait_for_selector("[data-answer][data-state=submitted]")
    page.goto(page.base + "/agency/")
    page.click(f"text={OVERDUE_ITEM}")
    proposed = timezone.localdate() + dt.timedelta(days=20)
    page.fill("#id_extension-reason", "Chờ ý kiến của nhà đầu tư về phương án bồi thường.")
    page.fill("#id_extension-proposed_date", proposed.strftime("%d/%m/%Y"))
    page.click("form:has(input[value=extension]) button[type=submit]")
    page.wait_for_selector("[data-extension][data-state=pending]")

    # The clerk: the queue; one answer returned, the other accepted, the extension granted.
    _log_in(page, "chuyenvien.tinh", "HungYen@2026")
    page.goto(page.base + "/agency/queue/")
    _both_widths(page, "queue")
    returned = page.locator("article[data-answer]", has_text="Đã cơ bản khắc phục")
    returned.locator("input[name=reason]").fill("Chưa nêu số hộ dân còn bị ảnh hưởng.")
    returned.locator("form:has(input[value=return]) button").click()
    page.wait_for_load_state()
    accepted = page.locator("article[data-answer]", has_text="1.250 giấy chứng nhận")
    accepted.locator("form:has(input[value=accept]) button").click()
    page.wait_for_load_state()
    extension = page.locator("article[data-extension]", has_text="phương án bồi thường")
    extension.locator("button[value=accept]").click()
    page.wait_for_load_state()

    # The officer reads the returned answer's reason and the new due date.
    _log_in(page, "so.xaydung", "XayDung@2026")
    page.goto(page.base + "/agency/")
    page.click(f"text={SOON_ITEM}")
    assert "Chưa nêu số hộ dân" in page.locator("[data-return-reason]").inner_text()

    # The leader: one more answered on time, one fewer overdue (the extension moved its date).
    _log_in(page, "lanhdao.tinh", "LanhDao@2026")
    after = _row(page)
    _both_widths(page, "responsiveness")
    assert after["on_time"] == before["on_time"] + 1
    assert after["overdue"] == before["overdue"] - 1
    assert after["received"] == before["received"]
    report_after = _report_row(leader)
    assert report_after != report_before
    numbers_before = [int(n) for n in report_before.split() if n.isdigit()]
    numbers_after = [int(n) for n in report_after.split() if n.isdigit()]
    # Received, on time, late, overdue: the on-time count rose by one, the overdue fell by one.
    assert numbers_after[1] == numbers_before[1] + 1
    assert numbers_after[3] == numbers_before[3] - 1
    ARTIFACTS.mkdir(exist_ok=True)
