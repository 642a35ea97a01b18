"""A clerk adopts a submission in a real browser, sees the number it received, filters the
register and downloads the resolution as a PDF."""

from __future__ import annotations

from typing import Any

import pytest

from resolutions.models import Resolution, SubmissionStatus

from .. import factories as f
from ..pdftools import pdf_text
from ..resolutions.conftest import council_world, make_resolution, submission_on_agenda
from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_adopts_a_submission_and_downloads_the_resolution(
    page: Any, eager_jobs: None, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = council_world()
    make_resolution(world.council, title="Về kế hoạch tổ chức các kỳ họp năm 2023")
    submission = submission_on_agenda(world, draft_text="Điều 1. Thông qua dự toán năm 2024.")
    user = f.UserFactory(username="clerk.e2e")
    f.RoleFactory(user=user, council=world.council, role="clerk")

    page.goto(page.base + "/login/")
    page.fill("#id_username", "clerk.e2e")
    page.fill("#id_password", "Secret-pass-2026")
    page.click("form button[type=submit].btn-primary")

    # The submission: the failed vote is refused with a message, the passed one adopts it.
    page.goto(page.base + submission.get_absolute_url())
    page.select_option("#id_vote", str(world.failed.pk))
    page.click("form[action$='/adopt/'] button[type=submit]")
    assert "không được thông qua" in page.locator(".error-summary").inner_text()
    shot(page, "resolution-adopt-refused")
    page.select_option("#id_vote", str(world.passed.pk))
    page.click("form[action$='/adopt/'] button[type=submit]")
    resolution = Resolution.objects.get(submission=submission)
    assert page.url.endswith(resolution.get_absolute_url())
    assert resolution.symbol == "02/NQ-HĐND"
    assert "02/NQ-HĐND" in page.locator("h1").inner_text()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ADOPTED
    shot(page, "resolution-detail")

    # The register finds it without accents.
    page.goto(page.base + "/resolutions/?q=du+toan+ngan+sach")
    assert "02/NQ-HĐND" in page.locator("table.register").inner_text()
    assert "kỳ họp năm 2023" not in page.locator("table.register").inner_text()
    shot(page, "resolution-register")

    # The PDF, generated and downloaded.
    page.goto(page.base + resolution.get_absolute_url())
    page.click("form[action$='/documents/new/'] button")
    page.wait_for_selector(".document-status[data-status=done]", timeout=30000)
    with page.expect_download() as info:
        page.click("a.download-link")
    path = tmp_path / "resolution.pdf"
    info.value.save_as(path)
    text = pdf_text(path.read_bytes(), layout=False)
    assert "Số: 02/NQ-HĐND" in text
    assert "QUYẾT NGHỊ:" in text
    assert "TM. HỘI ĐỒNG NHÂN DÂN" in text
