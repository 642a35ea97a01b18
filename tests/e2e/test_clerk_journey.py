"""A province clerk's day with the registers and a generated document, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from councilportal.models import Delegate, GeneratedDocument, Term

from ..pdftools import pdf_text
from .conftest import seed_demo, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def test_a_clerk_edits_the_registers_and_prints_the_delegate_list(
    page: Any, demo: None, eager_jobs: None, tmp_path: Any
) -> None:
    _login(page, "chuyenvien.tinh", "HungYen@2026")
    assert page.locator("h1").inner_text() == "Trang chủ"
    shot(page, "clerk-home")

    # Find a delegate without typing the accents.
    page.goto(page.base + "/delegates/?q=tran+quoc+toan")
    assert page.locator("table.register tbody tr").count() >= 1
    assert "Trần Quốc Toản" in page.locator("table.register").inner_text()

    # A mistyped date is explained in Vietnamese, and what was typed is kept.
    term = Term.objects.get(council__code="HY", ordinal=18)
    page.goto(page.base + "/delegates/new/")
    page.select_option("#id_term", str(term.pk))
    page.fill("#id_full_name", "Nguyễn Thị Mới")
    page.fill("#id_electoral_unit", "Đơn vị bầu cử số 2")
    page.fill("#id_start_date", "31/02/2026")
    page.click("form.portal-form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "Nhập một ngày hợp lệ" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_full_name") == "Nguyễn Thị Mới"
    shot(page, "clerk-form-error")
    page.fill("#id_start_date", "01/04/2026")
    page.click("form.portal-form button[type=submit]")
    assert "Đã lưu" in page.locator(".messages").inner_text()
    assert Delegate.objects.filter(full_name="Nguyễn Thị Mới").exists()

    # Generate the list of delegates as a PDF, watch it finish, download it.
    page.goto(page.base + f"/terms/{term.pk}/")
    page.click("text=Tạo PDF: Danh sách đại biểu")
    page.wait_for_selector(".document-status[data-status=done]", timeout=30000)
    shot(page, "clerk-document-done")
    with page.expect_download() as download_info:
        page.click("a.download-link")
    path = tmp_path / "roster.pdf"
    download_info.value.save_as(path)
    text = pdf_text(path.read_bytes(), layout=False)
    assert "DANH SÁCH" in text and "Nguyễn Thị Mới" in text
    assert GeneratedDocument.objects.filter(source_id=term.pk, status="done").count() == 1

    # The same page in English.
    page.click("button[name=language][value=en]")
    assert "All versions" in page.content() and "Download PDF" in page.content()


def test_an_outsider_sees_nothing_of_the_province(page: Any, demo: None) -> None:
    term = Term.objects.get(council__code="HY", ordinal=18)
    _login(page, "nguoingoai", "LangSon@2026")
    page.goto(page.base + "/councils/")
    assert "Hưng Yên" not in page.locator("main").inner_text()
    response = page.goto(page.base + f"/terms/{term.pk}/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.content()
    shot(page, "outsider-404")
