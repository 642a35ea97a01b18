"""A clerk receives a petition at the desk, forwards it to the competent agency and downloads
the numbered forwarding slip, in a real browser; the leader then sees a denunciation redacted."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from petitions.models import ForwardingSlip, Petition

from ..pdftools import pdf_text
from .conftest import seed_demo, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()


def _login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


def test_a_clerk_receives_forwards_and_downloads_the_slip(
    page: Any, demo: None, eager_jobs: None, tmp_path: Path
) -> None:
    _login(page, "chuyenvien.tinh", "HungYen@2026")
    page.goto(page.base + "/petitions/")
    shot(page, "petition-list")
    page.click("text=Vào sổ đơn")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_received_on", "13/03/2023")
    page.fill("#id_subject", "Khiếu nại việc chậm chi trả tiền hỗ trợ chuyển đổi nghề")
    page.select_option("#id_items-0-kind", "complaint")
    page.select_option("#id_items-0-field", "compensation")
    page.fill(
        "#id_items-0-content", "Đã có quyết định hỗ trợ nhưng sau sáu tháng chưa được chi trả."
    )
    page.fill("#id_items-0-accused", "UBND huyện Ân Thi")
    page.fill("#id_people-0-full_name", "Hoàng Thị Xuân")
    page.fill("#id_people-0-address", "Xã Đặng Lễ, huyện Ân Thi")
    page.set_input_files(
        "#id_scan", {"name": "don.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 don"}
    )
    page.click("form.portal-form button[type=submit].btn-primary")
    petition = Petition.objects.get(subject__startswith="Khiếu nại việc chậm chi trả")
    assert page.url.endswith(f"/petitions/{petition.pk}/")
    assert "Hạn xử lý đơn" in page.inner_text("main")
    shot(page, "petition-detail")

    item = petition.items.get()
    form = page.locator(f"#item-{item.pk} form:has(input[value=forward])")
    form.locator("select").select_option(label="Ủy ban nhân dân tỉnh Hưng Yên — HĐND tỉnh Hưng Yên")
    form.locator("input[name=on]").fill("15/03/2023")
    form.locator("button[type=submit]").click()
    slip = ForwardingSlip.objects.get(item=item)
    assert "Phiếu chuyển số" in page.inner_text(f"#item-{item.pk}")
    page.click(f"#item-{item.pk} button:has-text('Phiếu chuyển đơn')")
    page.wait_for_selector(".document-status[data-status=done]", timeout=30000)
    with page.expect_download() as info:
        page.click("a.download-link")
    target = tmp_path / "slip.pdf"
    info.value.save_as(target)
    text = " ".join(
        unicodedata.normalize("NFC", pdf_text(target.read_bytes(), layout=False)).split()
    )
    assert "PHIẾU CHUYỂN ĐƠN" in text
    assert f"Số: {slip.number:02d}/PC-HĐND" in text
    assert "Ủy ban nhân dân tỉnh Hưng Yên" in text
    shot(page, "petition-slip")


def _set_up_two_step(page: Any, username: str) -> None:
    """What a newcomer does at the handler's first log-in: the set-up page shows a QR code
    and its key; the authenticator app (here django-otp's own TOTP) gives the code."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_url("**/account/two-step/**")
    assert "Xác thực hai bước" in page.inner_text("main")
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    page.fill("#id_code", f"{totp.token():0{device.digits}d}")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(lambda url: "/account/two-step/" not in url)


def test_the_leader_sees_a_denunciation_redacted(page: Any, demo: None, settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["handler"]  # the shipped default
    petition = Petition.objects.get(subject__startswith="Tố cáo cán bộ địa chính")
    _login(page, "lanhdao.tinh", "LanhDao@2026")
    page.goto(page.base + f"/petitions/{petition.pk}/")
    body = page.inner_text("main")
    assert "Người tố cáo (bảo mật)" in body and "Trần Thị Hoa" not in body
    page.context.clear_cookies()
    _login(page, "xuly.donthu", "BaoMat@2026")
    _set_up_two_step(page, "xuly.donthu")
    page.goto(page.base + f"/petitions/{petition.pk}/")
    page.click("text=Xem thông tin người tố cáo")
    assert "Trần Thị Hoa" in page.inner_text("main")
    shot(page, "petition-identity")
