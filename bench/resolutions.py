"""The register of resolutions at scale, on PostgreSQL: generates a register of 200,000
resolutions (one province and 40 communes below it, 2010–2026, with relations) and times the
register page as a province clerk sees it: filtered pages and word searches, median and p95,
and the number of queries per page.

Run:  DATABASE_URL=postgres://…/db .venv/bin/python bench/resolutions.py [--rows 200000] [--runs 30]
The generated councils (codes BENCH…) stay in the database, so a second run only measures;
--drop removes them first. Targets (issue 5): p95 < 150 ms for a filtered page, < 250 ms for
a word search, the query count independent of the number of rows."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councilportal.models import Council, RoleAssignment  # noqa: E402
from councilportal.web.text import search_normalise  # noqa: E402
from resolutions.demo import SUBJECTS  # noqa: E402
from resolutions.models import (  # noqa: E402
    Field,
    Issuer,
    Kind,
    NumberCounter,
    Resolution,
    ResolutionRelation,
)
from resolutions.services import lapse_refresh  # noqa: E402

PROVINCE = "BENCH"
COMMUNES = 40
YEARS = range(2010, 2027)
FIELD_LABELS = {value: str(label) for value, label in Field.choices}


def generate(rows: int) -> Council:
    province, _ = Council.objects.get_or_create(
        code=PROVINCE,
        defaults={
            "name": "HĐND tỉnh Đo Kiểm",
            "level": "province",
            "place_name": "Đo Kiểm",
            "administrative_name": "TỈNH ĐO KIỂM",
        },
    )
    existing = Resolution.objects.filter(council__path__startswith=province.path).count()
    if existing >= rows:
        print(f"register already holds {existing:,} resolutions under {PROVINCE}")
        return province
    councils = [province]
    for i in range(COMMUNES):
        commune, _ = Council.objects.get_or_create(
            code=f"{PROVINCE}-{i:02d}",
            defaults={
                "name": f"HĐND xã Kiểm Thử {i}",
                "level": "commune",
                "parent": province,
                "place_name": "Đo Kiểm",
                "administrative_name": f"XÃ KIỂM THỬ {i}",
            },
        )
        councils.append(commune)
    rng = random.Random(5)
    # The province holds a third of the register; the communes share the rest.
    weights = [COMMUNES // 2] + [1] * COMMUNES
    numbers: dict[tuple[int, str, str, int], int] = {}
    started = time.perf_counter()
    batch: list[Resolution] = []
    made = existing
    while made < rows:
        council = rng.choices(councils, weights)[0]
        year = rng.choice(YEARS)
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        field, normative, subject = rng.choice(SUBJECTS)
        kind = Kind.NORMATIVE if normative else Kind.INDIVIDUAL
        issuer = Issuer.STANDING if not normative and rng.random() < 0.1 else Issuer.COUNCIL
        key = (council.pk, issuer, kind, year)
        numbers[key] = numbers.get(key, 0) + 1
        title = subject.format(y=year, n=year + 1, b=year - 1, p=council.unit_name)
        res = Resolution(
            council=council,
            issuer=issuer,
            kind=kind,
            number=numbers[key] + 10_000 * (existing > 0),
            year=year,
            title=title,
            field=field,
            adopted_on=day,
            signed_on=day,
            effective_from=day + dt.timedelta(days=10 if normative else 0),
        )
        res.search_text = search_normalise(f"{res.symbol} {title} {FIELD_LABELS[field]}")
        batch.append(res)
        made += 1
        if len(batch) == 5000:
            Resolution.objects.bulk_create(batch)
            batch = []
    if batch:
        Resolution.objects.bulk_create(batch)
    NumberCounter.objects.bulk_create(
        [
            NumberCounter(council_id=c, issuer=i, kind=k, year=y, last_number=n)
            for (c, i, k, y), n in numbers.items()
        ],
        ignore_conflicts=True,
    )
    print(f"generated {made - existing:,} resolutions in {time.perf_counter() - started:.1f} s")
    # Relations: one normative resolution in ten replaces or amends an earlier one of the same
    # council (newer → older, so no cycle).
    started = time.perf_counter()
    ids = list(
        Resolution.objects.filter(council__path__startswith=province.path, kind=Kind.NORMATIVE)
        .order_by("council_id", "adopted_on")
        .values_list("pk", "council_id", "effective_from")
    )
    relations = []
    for (older, c_old, _), (newer, c_new, effective) in zip(ids, ids[1:], strict=False):
        if c_old == c_new and rng.random() < 0.1:
            relations.append(
                ResolutionRelation(
                    source_id=newer,
                    target_id=older,
                    kind=rng.choice(["replaces", "amends", "repeals"]),
                    effective_from=effective,
                )
            )
    ResolutionRelation.objects.bulk_create(relations, batch_size=5000, ignore_conflicts=True)
    lapse_refresh({r.target_id for r in relations} | {r.source_id for r in relations})
    # What autovacuum does to a table in service: statistics and the visibility map (without
    # it, counts cannot use index-only scans right after a bulk load).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE resolutions_resolution")
        cursor.execute("VACUUM ANALYZE resolutions_resolutionrelation")
    print(f"generated {len(relations):,} relations in {time.perf_counter() - started:.1f} s")
    return province


def drop() -> None:
    with transaction.atomic():
        qs = Resolution.objects.filter(council__code__startswith=PROVINCE)
        ResolutionRelation.objects.filter(source__in=qs).delete()
        ResolutionRelation.objects.filter(target__in=qs).delete()
        NumberCounter.objects.filter(council__code__startswith=PROVINCE).delete()
        qs._raw_delete(qs.db)  # type: ignore[attr-defined]
        RoleAssignment.objects.filter(council__code__startswith=PROVINCE).delete()
        Council.objects.filter(code__startswith=f"{PROVINCE}-").delete()
        Council.objects.filter(code=PROVINCE).delete()


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url, secure=True)  # warm the caches and the connection
    times = []
    queries = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/resolutions.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    # Production-shaped (DEBUG off) but without collectstatic, as the tests run.
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if args.drop:
        drop()
    province = generate(args.rows)
    total = Resolution.objects.filter(council__path__startswith=province.path).count()
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench.clerk")
    RoleAssignment.objects.get_or_create(user=user, council=province, role="clerk")
    client = Client()
    client.force_login(user)
    commune = Council.objects.get(code=f"{PROVINCE}-07")
    base = "/resolutions/"
    cases = [
        ("filtered", "first page, no filter", ""),
        ("filtered", "council + year", f"?council={commune.pk}&year=2023"),
        ("filtered", "kind + field + year", "?kind=normative&field=land&year=2019"),
        (
            "filtered",
            "status in force on a date + field",
            "?status=in_force&on=01/01/2020&field=education",
        ),
        ("filtered", "page 200, sorted by subject", "?o=title&page=200"),
        ("search", "word search 'dat dai'", "?q=dat+dai"),
        ("search", "word search 'hoc phi 2023'", "?q=h%E1%BB%8Dc+ph%C3%AD+2023"),
        ("search", "word search + council", f"?q=ngan+sach&council={commune.pk}"),
        ("search", "symbol search '12/2023/NQ'", "?q=12%2F2023%2FNQ"),
    ]
    print(f"\nregister of {total:,} resolutions (PostgreSQL), {args.runs} runs per page")
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  target")
    for group, label, query in cases:
        median, p95, queries, status = measure(client, base + query, args.runs)
        target = 150 if group == "filtered" else 250
        verdict = "ok" if p95 < target and status == 200 else f"MISSED (status {status})"
        print(f"{label:45} {median:10.1f} {p95:8.1f} {queries:8d}  p95<{target}: {verdict}")
    export_started = time.perf_counter()
    response = client.get(base + f"?council={commune.pk}&export=xlsx", secure=True)
    print(
        f"\nExcel export of one commune's register: {time.perf_counter() - export_started:.2f} s,"
        f" {len(response.content) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
