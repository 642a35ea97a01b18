"""Petitions at volume: intake, the register page, the statistics and the daily reminder job,
with their median time and database queries, over N petitions (default 2,000, each with two
items, half of them forwarded). Run: .venv/bin/python bench/petitions.py [--petitions 2000]
Targets: the register page and the statistics in a constant number of queries whatever N."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bench-petitions-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}"
)
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ["VAR_DIR"] = str(TMP / "var")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")
os.environ["DEBUG"] = "1"  # static files from the source tree, no HTTPS redirect

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councilportal.follow_ups.reminders import run_reminders  # noqa: E402
from councilportal.models import Agency, Council, RoleAssignment  # noqa: E402
from petitions.reminders import remind_petitions  # noqa: E402
from petitions.services import ItemData, PersonData, item_forward, petition_receive  # noqa: E402


def ok(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response


def measure(label: str, runs: int, fn) -> None:  # type: ignore[no-untyped-def]
    fn()
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()  # the log keeps 9,000 queries at most: start each run empty
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    print(f"{label:42} median {statistics.median(times) * 1000:8.1f} ms  {queries:5d} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; petitions: {args.petitions}; runs: {args.runs}")
    council = Council.objects.create(
        code="BP",
        name="HĐND tỉnh Thử",
        level="province",
        place_name="Thử",
        administrative_name="TỈNH THỬ",
    )
    agency = Agency.objects.create(council=council, name="UBND tỉnh Thử", kind="peoples_committee")
    user = get_user_model().objects.create_user("bench", password="x")
    RoleAssignment.objects.create(user=user, council=council, role="clerk")
    start = time.perf_counter()
    day0 = dt.date(2023, 1, 2)
    for n in range(args.petitions):
        day = day0 + dt.timedelta(days=n % 300)
        petition = petition_receive(
            council=council,
            channel="post",
            received_on=day,
            subject=f"Đơn số {n} về đất đai",
            items=[
                ItemData(kind="complaint", field="land", content="Khiếu nại"),
                ItemData(kind="denunciation", field="land", content="Tố cáo"),
            ],
            people=[PersonData(full_name=f"Người gửi {n}", phone=f"09{n:08d}")],
            by=user,
        )
        if n % 2:
            item_forward(
                item=petition.items.first(), agency=agency, on=day + dt.timedelta(days=1), by=user
            )
    elapsed = time.perf_counter() - start
    per = elapsed / args.petitions * 1000
    print(f"{'intake (+ forwarding half), per petition':42} mean   {per:8.1f} ms")
    client = Client()
    client.force_login(user)
    measure(
        "register page (25 rows)", args.runs, lambda: ok(client.get("/petitions/", secure=True))
    )
    measure(
        "register page, search + overdue filter",
        args.runs,
        lambda: ok(client.get("/petitions/?q=dat+dai&overdue=true", secure=True)),
    )
    measure(
        "statistics (whole year)",
        args.runs,
        lambda: ok(client.get("/petitions/statistics/?from=2023-01-01&to=2023-12-31", secure=True)),
    )
    run_reminders(dt.date(2023, 12, 31))  # every source once: the notifications exist
    measure(
        "petitions reminder source (second run)",
        args.runs,
        lambda: remind_petitions(dt.date(2023, 12, 31)),
    )


if __name__ == "__main__":
    main()
