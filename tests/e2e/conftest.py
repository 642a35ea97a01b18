"""Browser journeys: Playwright's sync API driving Debian's Chromium against live_server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# seed_demo's rows as the first journey of this process got them (PostgreSQL: COPY per table).
_DEMO_ROWS: dict[str, bytes] = {}


def seed_demo() -> None:
    """The demo's data, as `manage.py seed_demo` makes it, for a journey (whose transactional
    database was flushed after the journey before). On PostgreSQL the command runs once per
    process; each later journey gets the very same rows back (same keys, content types and
    rules included) by COPY, in a second instead of a minute of seeding. Elsewhere it runs
    each time."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        return
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY
        if not _DEMO_ROWS:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            for table in tables:
                with raw.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                    _DEMO_ROWS[table] = b"".join(bytes(block) for block in copy)
            return
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} CASCADE")
        for table, rows in _DEMO_ROWS.items():
            if rows:
                with raw.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                    copy.write(rows)
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # The sync API runs an event loop in this thread; Django's ORM calls from the test body
    # are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.base = live_server.url
    # Every journey doubles as a check of the Content Security Policy: Chromium reports each
    # blocked script, style or frame on the console, and any such report fails the test.
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert not violations, f"Content Security Policy violations: {violations}"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
