"""A clerk sets up a supervision delegation in a real browser and records an agency's response
to one of its recommendations."""

from __future__ import annotations

from typing import Any

import pytest

from councilportal.models import FollowUpAnswer
from supervision.models import Activity, ActivityMember, Recommendation

from ..supervision.conftest import province
from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


def test_a_clerk_creates_a_delegation_and_records_a_response(page: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hy = province()
    _login(page, hy.clerk.username, "Secret-pass-2026")

    # The delegation: its decision, from which the milestones are computed.
    page.goto(page.base + "/supervision/activities/new/")
    page.select_option("#id_council", str(hy.council.pk))
    page.fill("#id_title", "Giám sát việc thực hiện chính sách bảo hiểm y tế")
    page.select_option("#id_form", "thematic")
    page.select_option("#id_organ", str(hy.committee.pk))
    page.fill("#id_decision_number", "15/QĐ-HĐND")
    page.fill("#id_decision_date", "16/01/2023")
    page.click("form.portal-form button[type=submit]")
    activity = Activity.objects.get()
    assert page.url.endswith(f"/supervision/activities/{activity.pk}/")
    plan_row = page.locator("tr[data-milestone=plan_sent]")
    assert "01/02/2023" in plan_row.inner_text()  # 7 working days, Tết skipped
    assert "Tết" in plan_row.inner_text()

    # A member and a supervised body.
    page.click("text=Thêm thành viên")
    page.select_option("#id_role", "head")
    page.select_option("#id_delegate", str(hy.delegates[1].pk))
    page.click("form.portal-form button[type=submit]")
    assert ActivityMember.objects.filter(activity=activity, role="head").exists()
    page.click("text=Thêm đối tượng chịu sự giám sát")
    page.select_option("#id_agency", str(hy.agencies[0].pk))
    page.click("form.portal-form button[type=submit]")
    assert "Sở Y tế" in page.locator("#bodies").inner_text()

    # A recommendation without an addressee is refused, then made properly.
    page.click("text=Thêm kiến nghị")
    page.fill("#id_content", "Khẩn trương đấu thầu thuốc, khắc phục tình trạng thiếu thuốc.")
    page.fill("#id_issued_on", "20/06/2023")
    page.fill("#id_due", "31/12/2023")
    page.click("form.portal-form button[type=submit]")
    assert "Chọn cơ quan được kiến nghị" in page.content()
    page.select_option("#id_agencies", [str(hy.agencies[0].pk)])
    page.click("form.portal-form button[type=submit]")
    rec = Recommendation.objects.get()
    shot(page, "supervision-activity")

    # The agency's response: 60% done.
    page.click(f"#recommendations a[href='/supervision/recommendations/{rec.pk}/']")
    page.fill("#id_received_on", "15/09/2023")
    page.fill("#id_reference", "245/SYT-NVD")
    page.fill("#id_content", "Đã hoàn thành đấu thầu 60% danh mục thuốc.")
    page.fill("#id_progress", "60")
    page.select_option("#id_status", "partly_done")
    page.click("form.portal-form button[type=submit]")
    assert "Đã ghi nhận văn bản trả lời." in page.content()
    assert "245/SYT-NVD" in page.locator("#timeline").inner_text()
    answer = FollowUpAnswer.objects.get()
    assert answer.progress == 60 and answer.follow_up_id == rec.follow_up_id
    shot(page, "supervision-recommendation")

    # It shows in the council's overdue list (due 31/12/2023, today is later).
    page.goto(page.base + "/supervision/recommendations/overdue/")
    assert "Khẩn trương đấu thầu thuốc" in page.content()
    shot(page, "supervision-overdue")
