"""A citizen on the public portal of the demo province, in a real browser: opens the public
pages, sends a petition online, looks its status up with the code; the province's clerk sees
it in the intake register. Every page passes axe-core (no serious or critical violation) and is
photographed at 1280 px and 375 px (test-results/public-*.png) (issue 20)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from councilportal.models import Council
from petitions.models import Channel, Petition

from .conftest import ARTIFACTS
from .test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "e2e"}
    }
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _check(page: Any, name: str) -> None:
    """No serious or critical accessibility violation; a photograph at both widths."""
    assert axe_violations(page) == [], (name, page.url)
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"public-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_citizen_reads_sends_a_petition_and_tracks_it(page: Any, demo: None) -> None:
    province = Council.objects.get(code="HY")
    page.goto(page.base + "/cong-khai/")
    _check(page, "home")
    page.click(f"text={province.name}")
    page.wait_for_url(re.compile(r"/cong-khai/hdnd/\d+/$"))
    assert page.locator("h2", has_text="Lịch kỳ họp").count() == 1
    assert page.locator("a[href^='/cong-khai/ky-hop/']").count() > 0
    _check(page, "calendar")
    page.click("nav[aria-label] >> text=Nghị quyết")
    page.wait_for_url(re.compile(r"/nghi-quyet/$"))
    _check(page, "register")
    page.locator("table.register a").first.click()
    page.wait_for_url(re.compile(r"/cong-khai/nghi-quyet/\d+/$"))
    assert page.locator("text=Tình trạng hiệu lực").count() >= 1
    _check(page, "resolution")
    page.click(f".breadcrumb >> text={province.name}")
    page.click("nav[aria-label] >> text=Gửi đơn")
    page.wait_for_url(re.compile(r"/gui-don/$"))
    _check(page, "petition-form")
    page.select_option("#id_kind", "recommendation")
    page.select_option("#id_field", "environment")
    page.fill("#id_subject", "Kiến nghị xử lý ô nhiễm kênh Đông")
    page.fill("#id_content", "Kênh Đông bốc mùi hôi thối nhiều tháng nay, đề nghị kiểm tra, xử lý.")
    page.fill("#id_full_name", "Lê Văn Dân")
    page.fill("#id_address", "Thôn Bắc, xã Tân Dân")
    question = page.inner_text("#question")
    a, b = re.search(r"(\d+) cộng (\d+)", question).groups()  # type: ignore[union-attr]
    page.fill("#id_answer", str(int(a) + int(b)))
    page.click("form button[type=submit]")
    code = page.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    page.click("text=Tra cứu đơn >> nth=-1")
    page.fill("#id_code", code)
    page.click("form button[type=submit]")
    page.wait_for_selector("#status-h")
    assert "Đã tiếp nhận" in page.inner_text("main") or "Tiếp nhận" in page.inner_text("main")
    _check(page, "tracking")
    petition = Petition.objects.get(subject="Kiến nghị xử lý ô nhiễm kênh Đông")
    assert petition.channel == Channel.ONLINE and petition.council == province
    # The province's clerk finds it in the intake register.
    page.goto(page.base + "/login/")
    page.fill("#id_username", "chuyenvien.tinh")
    page.fill("#id_password", "HungYen@2026")
    page.click("form button[type=submit].btn-primary")
    page.goto(page.base + "/petitions/?q=o+nhiem+kenh+dong")
    assert page.locator("text=Kiến nghị xử lý ô nhiễm kênh Đông").count() >= 1
