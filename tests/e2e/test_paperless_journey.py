"""The paperless session in real browsers (issue 19): the secretariat opens a vote, three
delegates vote on their phones, the hall's screen counts them, the vote closes, and the
minutes' PDF carries the roll call. Screenshots at 375 px (reading, speaking, voting) and of
the hall's screen at 1920 px."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from sessions.demo import DELEGATE_LOGINS, DELEGATE_PASSWORD, PAPERLESS_TITLE
from sessions.models import DocumentRead, ElectronicBallot, Session, SpeakingRequest

from ..pdftools import pdf_text
from .conftest import ARTIFACTS, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
LABELS = {"for": "Tán thành", "against": "Không tán thành", "abstain": "Không biểu quyết"}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(lambda url: "/login/" not in url)


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_three_delegates_vote_and_the_minutes_carry_the_roll_call(
    browser: Any, live_server: Any, demo: None, eager_jobs: None, tmp_path: Any
) -> None:
    base = live_server.url
    session = Session.objects.get(title=PAPERLESS_TITLE)
    item = session.items.filter(kind="submission").order_by("position").first()
    assert item is not None
    contexts = []

    def context(viewport: dict[str, int]) -> Any:
        ctx = browser.new_context(viewport=viewport)
        contexts.append(ctx)
        return ctx.new_page()

    try:
        # The secretariat opens the vote; the hall's screen is up on the projector.
        clerk = context({"width": 1280, "height": 900})
        _login(clerk, base, "chuyenvien.tinh", "HungYen@2026")
        clerk.goto(base + f"/sessions/items/{item.pk}/")
        clerk.click(f"a[href$='/items/{item.pk}/evotes/new/']")
        clerk.fill("#id_question", "Thông qua Nghị quyết về điều chỉnh kế hoạch đầu tư công")
        clerk.click("form.portal-form button[type=submit]")
        expect(clerk.locator(".evote-count")).to_be_visible()
        screen = context({"width": 1920, "height": 1080})
        _login(screen, base, "chuyenvien.tinh", "HungYen@2026")
        screen.goto(base + f"/sessions/{session.pk}/screen/")
        expect(screen.locator(".hall-count")).to_have_text("0")

        # Three delegates on their phones: one reads a document, one registers to speak,
        # each votes (the first changes their mind once).
        phones = []
        for username in DELEGATE_LOGINS:
            phone = context(PHONE)
            _login(phone, base, username, DELEGATE_PASSWORD)
            phone.goto(base + f"/sessions/delegate/sessions/{session.pk}/")
            phones.append(phone)
        first, second, third = phones
        first.locator(f"#item-{item.pk} a[href*='/delegate/documents/']").first.click()
        expect(first.locator("a[href$='/file/']")).to_be_visible()
        _shot(first, "paperless-375-reading")
        assert DocumentRead.objects.filter(delegate__user__username=DELEGATE_LOGINS[0]).count() == 1

        second.locator(f"#item-{item.pk} details summary").click()
        second.fill(f"#topic-{item.pk}", "Tiến độ giải ngân vốn đầu tư công ở các huyện")
        second.locator(f"#item-{item.pk} form button[type=submit]").click()
        expect(second.locator(f"#item-{item.pk} .badge.text-bg-info")).to_be_visible()
        _shot(second, "paperless-375-speaking")
        assert SpeakingRequest.objects.filter(item=item).count() == 1

        choices = ["against", "for", "abstain"]
        for phone, choice in zip(phones, choices, strict=True):
            phone.goto(base + f"/sessions/delegate/sessions/{session.pk}/")
            phone.click("a[href*='/delegate/votes/']")
            phone.click(f"button[name=choice][value={choice}]")
            expect(phone.locator("p.alert-success")).to_contain_text(LABELS[choice])
        first.click("button[name=choice][value=for]")  # changed while open: still one ballot
        expect(first.locator("p.alert-success")).to_contain_text(LABELS["for"])
        last_vote = time.monotonic()
        _shot(third, "paperless-375-voting")

        # The screen counts three within 2 s of the last vote, and never shows the choices.
        expect(screen.locator(".hall-count")).to_have_text("3", timeout=2000)
        counted_after = time.monotonic() - last_vote
        assert counted_after < 2.0, counted_after
        assert "Tán thành" not in screen.locator(".hall-vote").inner_text()
        _shot(screen, "paperless-1920-screen-open")
        assert ElectronicBallot.objects.filter(evote__item=item).count() == 3

        # The secretariat closes the vote: the screen shows the result.
        clerk.reload()
        clerk.click("form[action$='/close/'] button")
        expect(clerk.locator("table.vote-tally")).to_be_visible()
        expect(screen.locator(".hall-result")).to_be_visible(timeout=2000)
        expect(screen.locator(".hall-tally")).to_contain_text("2 (")
        _shot(screen, "paperless-1920-screen-result")
        third.reload()
        assert third.locator("button[name=choice]").count() == 0  # closed: nothing to press

        # The minutes' PDF lists the roll call of the electronic vote.
        clerk.goto(base + f"/sessions/{session.pk}/#minutes")
        clerk.click("form[action$='/minutes/new/'] button")
        clerk.wait_for_selector(".document-status[data-status=done]", timeout=30000)
        with clerk.expect_download() as info:
            clerk.click("a.download-link")
        path = tmp_path / "minutes.pdf"
        info.value.save_as(path)
        text = " ".join(pdf_text(path.read_bytes(), layout=False).split())
        assert "thông qua Nghị quyết về điều chỉnh kế hoạch đầu tư công" in text
        assert "tán thành 2 (" in text and "không biểu quyết 1 (" in text
        for delegate in ElectronicBallot.objects.filter(evote__item=item).select_related(
            "delegate"
        ):
            assert delegate.delegate.full_name in text, delegate.delegate.full_name
    finally:
        for ctx in contexts:
            ctx.close()
