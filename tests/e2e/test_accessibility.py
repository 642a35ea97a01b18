"""axe-core in Chromium over the main pages: no serious or critical violation (issue 14.18).

axe-core is vendored in tests/e2e/vendor (MPL 2.0) and run through `page.evaluate`, which the
portal's strict Content Security Policy does not block (an injected <script> would be)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from petitions.models import Petition
from resolutions.models import Resolution
from sessions.models import Session
from sessions.services import sitting_add
from supervision.models import Programme

from .conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()


def _login(page: Any, username: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page as shown."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.length, first: v.nodes[0] ? v.nodes[0].target.join(' ') : ''
            }));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _main_pages() -> list[str]:
    # The attendance page as a clerk fills it in: a sitting day of a session still open.
    open_session = (
        Session.objects.filter(council__code="HY").exclude(status="closed").order_by("pk").first()
    )
    sitting = sitting_add(session=open_session, date=open_session.planned_start)
    pages = [
        reverse("home"),
        reverse("core:dashboard"),
        reverse("core:council-list"),
        reverse("core:delegate-list"),
        reverse("sessions:session-list"),
        reverse("resolutions:resolution-list"),
        reverse("supervision:programme-list"),
        reverse("petitions:petition-list"),
        Session.objects.filter(council__code="HY")
        .order_by("-planned_start")
        .first()
        .get_absolute_url(),
        Resolution.objects.filter(council__code="HY").first().get_absolute_url(),
        Programme.objects.filter(council__code="HY").first().get_absolute_url(),
        Petition.objects.filter(council__code="HY")
        .exclude(items__kind="denunciation")
        .first()
        .get_absolute_url(),
        sitting.get_absolute_url(),
        reverse("core:delegate-create"),
        reverse("sessions:session-create"),
        reverse("resolutions:resolution-create"),
        reverse("supervision:programme-create"),
        reverse("petitions:petition-create"),
    ]
    return pages


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    page: Any, demo: None
) -> None:
    _login(page, "chuyenvien.tinh", "HungYen@2026")
    found = {}
    pages = _main_pages()
    sitting_url = pages[12]
    for path in pages:
        response = page.goto(page.base + path)
        assert response is not None and response.status == 200, path
        violations = axe_violations(page)
        if path == sitting_url:
            assert page.locator("select").count() > 50  # the delegates' rows, editable
        if violations:
            found[path] = violations
    assert page.evaluate("() => axe.version").startswith("4.")
    assert not found, found
