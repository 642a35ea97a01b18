"""Fixtures of the hostile-input tests: hypothesis profiles, the council world with a
confidential petition handler on the commune too, and a fingerprint of every stored row."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from .. import factories as f

# "ci": few examples, the same ones on every run (no flaky build, nothing stored on disk);
# "dev": many more, random, for a hunting session: HYPOTHESIS_PROFILE=dev pytest tests/hostile
settings.register_profile(
    "ci",
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # No shrinking: a failure is reported as found (the same one on every run), not after
    # hundreds of further requests spent making it smaller.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The apps whose rows a refused request must leave as they were (auth: a password change).
APPS = {"councilportal", "sessions", "resolutions", "supervision", "petitions", "auth"}


@pytest.fixture
def hostile_world(world: Any, media: Path) -> Any:
    """The shared world, where the confidential petition handler also handles the commune's
    petitions (the commune's objects are the ones every form is tried on)."""
    f.RoleFactory(user=world.users["handler"], council=world.commune, role="handler")
    return world


def _tables() -> list[str]:
    from django.apps import apps

    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in APPS and model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    # Django's login sessions (which share the label of our "sessions" app) are not records.
    tables.discard("django_session")
    return sorted(tables)


def fingerprint() -> dict[str, str]:
    """Every row of every domain table (with its history), as one digest per table, in one
    query: equal fingerprints mean nothing was created, changed or deleted."""
    from django.db import connection

    tables = _tables()
    qn = connection.ops.quote_name
    if connection.vendor != "postgresql":
        # SQLite (the embedded defaults) has no md5/string_agg: digest the rows here.
        fingerprints = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 - names from models
                rows = sorted(repr(row) for row in cursor.fetchall())
                digest_of_rows = hashlib.sha256("|".join(rows).encode()).hexdigest() if rows else ""
                fingerprints[table] = f"{len(rows)}:{digest_of_rows}"
        return fingerprints
    digest = "count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
    # Table names come from the models (quoted), not from input.
    parts = [f"(SELECT {digest} FROM {qn(table)} t)" for table in tables]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]
