"""The dashboard at national scale, on PostgreSQL (issue 8).

Generates a country: 34 provinces and about 3,300 communes below them, ten years of records
(about 40,000 sessions, 300,000 resolutions, 2,000,000 petitions, 500,000 voters'
recommendations, and the supervision records of every council), then times the dashboard for a
province with its communes and for the whole country (a superuser's "all councils"): median
and p95 over several runs, and the number of queries of each page, which must not depend on
the size of the data.

Run:   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_national \\
       .venv/bin/python bench/national.py [--scale 1.0] [--runs 20]
The data stays in the database (councils coded N…); a second run only measures. --scale 0.1
makes a tenth of everything (a quicker look). Targets on this 2-core machine: p95 < 300 ms for
a province, < 1 s for the country, query counts independent of the data size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councilportal.models import Council, Role, RoleAssignment, Term  # noqa: E402
from councilportal.web.text import search_normalise  # noqa: E402
from tests.conftest import log_in  # noqa: E402

PROVINCES = 34
COMMUNES = 3_300
FIRST_YEAR, LAST_YEAR = 2016, 2025
rng = random.Random(2026)


def day_in(year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def councils(scale: float) -> tuple[list[Council], list[Council]]:
    existing = list(Council.objects.filter(code__startswith="N").order_by("path"))
    if existing:
        provinces = [c for c in existing if c.depth == 0]
        return provinces, [c for c in existing if c.depth == 1]
    started = time.perf_counter()
    provinces, communes = [], []
    per_province = max(1, round(COMMUNES * scale) // PROVINCES)
    for p in range(PROVINCES):
        province = Council.objects.create(
            code=f"N{p:02d}",
            name=f"HĐND tỉnh Số {p}",
            level="province",
            place_name=f"Số {p}",
            administrative_name=f"TỈNH SỐ {p}",
        )
        provinces.append(province)
        rows = []
        for c in range(per_province):
            code = f"N{p:02d}-{c:03d}"
            name = f"HĐND xã Số {p}-{c}"
            rows.append(
                Council(
                    code=code,
                    name=name,
                    level="commune",
                    parent=province,
                    path=f"{province.path}{code}/",
                    depth=1,
                    place_name=f"Xã {p}-{c}",
                    administrative_name=f"XÃ SỐ {p}-{c}",
                    search_text=search_normalise(f"{name} {code}"),
                )
            )
        communes += Council.objects.bulk_create(rows, batch_size=2000)
    all_councils = provinces + communes
    Term.objects.bulk_create(
        [
            Term(
                council=c,
                ordinal=ordinal,
                name=name,
                start_date=start,
                end_date=end,
            )
            for c in all_councils
            for ordinal, name, start, end in (
                (16, "Khóa XVI", dt.date(2016, 6, 1), dt.date(2021, 5, 31)),
                (17, "Khóa XVII", dt.date(2021, 6, 1), dt.date(2026, 5, 31)),
            )
        ],
        batch_size=5000,
    )
    print(f"councils: {len(provinces)} provinces, {len(communes):,} communes "
          f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    return provinces, communes


# Generators of each app's records, registered below by app; each returns rows made.
GENERATORS: list[tuple[str, Callable[[list[Council], float], int]]] = []


def generator(name: str) -> Callable[[Callable[[list[Council], float], int]], Any]:
    def register(function: Callable[[list[Council], float], int]) -> Any:
        GENERATORS.append((name, function))
        return function

    return register


@generator("sessions")
def make_sessions(every: list[Council], scale: float) -> int:
    from sessions.models import Session

    if Session.objects.filter(council__code__startswith="N").exists():
        return 0
    terms = {(t.council_id, t.ordinal): t.pk for t in Term.objects.filter(council__in=every)}
    kinds = ["regular_mid", "regular_end", "thematic", "extraordinary"]

    def rows() -> Iterable[Session]:
        for council in every:
            ordinals = {16: 0, 17: 0}
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                for _ in range(rng.choice((1, 1, 2))):
                    opened = day_in(year)
                    term = 16 if opened < dt.date(2021, 6, 1) else 17
                    ordinals[term] += 1
                    yield Session(
                        council_id=council.pk,
                        term_id=terms[(council.pk, term)],
                        ordinal=ordinals[term],
                        kind=rng.choice(kinds),
                        title=f"Kỳ họp thứ {ordinals[term]}",
                        planned_start=opened,
                        planned_end=opened,
                        actual_start=opened,
                        actual_end=opened,
                        status="closed",
                    )

    return bulk(Session, rows())


def bulk(model: Any, objects: Iterable[Any], size: int = 5000) -> int:
    """bulk_create in batches from a generator (no history rows: this is bench data)."""
    count, batch = 0, []
    for obj in objects:
        batch.append(obj)
        if len(batch) == size:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def load_app_generators() -> None:
    """Each app may add generators in its `bench.py`: `register(generator, bulk, rng)`; the
    core's run first."""
    from councilportal.apps import app_modules

    for module in app_modules("bench"):
        module.register(generator, bulk, rng)


def generate(scale: float) -> list[Council]:
    provinces, communes = councils(scale)
    every = provinces + communes
    load_app_generators()
    for name, function in GENERATORS:
        started = time.perf_counter()
        made = function(every, scale)
        if made:
            print(f"{name}: {made:,} rows ({time.perf_counter() - started:.1f} s)")
    with connection.cursor() as cursor:
        started = time.perf_counter()
        # VACUUM too, as autovacuum would soon after such a load: the visibility map lets the
        # dashboard's counts read their covering indexes alone (index-only scans).
        cursor.execute("VACUUM (ANALYZE)")
        print(f"VACUUM (ANALYZE) ({time.perf_counter() - started:.1f} s)")
    return provinces


def measure(client: Client, params: dict[str, str], runs: int) -> tuple[float, float, int]:
    url = "/dashboard/"
    client.get(url, params)  # warm caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this bench is about PostgreSQL.")
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    provinces = generate(args.scale)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    leader, _ = User.objects.get_or_create(username="bench-leader")
    RoleAssignment.objects.get_or_create(user=leader, council=provinces[0], role=Role.LEADER)
    root, _ = User.objects.get_or_create(
        username="bench-root", defaults={"is_superuser": True, "is_staff": True}
    )
    print(f"\ndashboard, {args.runs} runs each (ms):")
    print(f"{'page':<46} {'median':>8} {'p95':>8} {'queries':>8}")
    for label, user, params in (
        ("province + communes, one year", leader,
         {"council": str(provinces[0].pk), "below": "on", "period": "custom",
          "date_from": f"01/01/{LAST_YEAR}", "date_to": f"31/12/{LAST_YEAR}"}),
        ("province + communes, ten years", leader,
         {"council": str(provinces[0].pk), "below": "on", "period": "custom",
          "date_from": f"01/01/{FIRST_YEAR}", "date_to": f"31/12/{LAST_YEAR}"}),
        ("whole country, one year", root,
         {"council": "", "period": "custom",
          "date_from": f"01/01/{LAST_YEAR}", "date_to": f"31/12/{LAST_YEAR}"}),
        ("whole country, ten years", root,
         {"council": "", "period": "custom",
          "date_from": f"01/01/{FIRST_YEAR}", "date_to": f"31/12/{LAST_YEAR}"}),
    ):  # fmt: skip
        client = Client()
        log_in(client, user)
        median, p95, queries = measure(client, params, args.runs)
        print(f"{label:<46} {median:>8.1f} {p95:>8.1f} {queries:>8}")
    counts = io.StringIO()
    for model in apps.get_models():
        if model._meta.app_label in {"council_sessions", "resolutions", "petitions", "supervision"}:
            if model._meta.model_name.startswith("historical"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate and estimate > 1000:
                counts.write(f"  {model._meta.db_table}: ~{estimate:,}\n")
    print("\nrows (estimates):\n" + counts.getvalue())


if __name__ == "__main__":
    main()
