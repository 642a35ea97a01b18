"""The supervision area at scale: the council's overdue list and the recommendations follow-up
table (PDF) with 100 and 1,000 recommendations. Median time and database queries.
Run: .venv/bin/python bench/supervision.py [--runs 5]
Targets (2-core machine): the list page in under 0.3 s with the same number of queries at both
sizes; the follow-up table context in a fixed number of queries."""

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
TMP = Path(tempfile.mkdtemp(prefix="bench-supervision-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}"
)
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")
os.environ.setdefault("DEBUG", "1")  # plain HTTP and unhashed static files, as in development

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councilportal.documents.services import document_render, document_request  # noqa: E402
from councilportal.models import Agency, Council, RoleAssignment, Term  # noqa: E402
from sessions.models import Session  # noqa: E402
from supervision import services  # noqa: E402
from supervision.models import Activity  # noqa: E402

D = dt.date


def build(size: int) -> tuple[Council, Session, object]:
    code = f"S{size}"
    council = Council.objects.create(
        code=code,
        name=f"HĐND tỉnh Thử {size}",
        level="province",
        place_name="Hưng Yên",
        administrative_name="TỈNH THỬ",
    )
    term = Term.objects.create(
        council=council,
        ordinal=17,
        name="Khóa XVII",
        start_date=D(2021, 6, 25),
        end_date=D(2026, 6, 30),
    )
    session = Session.objects.create(
        council=council,
        term=term,
        ordinal=13,
        kind="regular_end",
        planned_start=D(2024, 12, 6),
        planned_end=D(2024, 12, 8),
    )
    agencies = [
        Agency.objects.create(council=council, name=f"Sở {i}", kind="department") for i in range(10)
    ]
    with transaction.atomic():
        for a in range(size // 10):
            activity = Activity.objects.create(
                council=council, title=f"Giám sát {a}", form="thematic"
            )
            services.recommendations_add(
                source=activity,
                agencies=agencies,
                content=f"Kiến nghị của cuộc giám sát {a}",
                issued_on=D(2023, 6, 1),
                due=D(2024, 1, 1) + dt.timedelta(days=a),
            )
    user = get_user_model().objects.create_user(f"bench{size}", password="x")
    RoleAssignment.objects.create(user=user, council=council, role="clerk")
    return council, session, user


def timed(fn, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    fn()
    times, counts = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        counts.append(len(queries.captured_queries))
    return statistics.median(times), max(counts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor}; runs per figure: {args.runs} (after one warm-up)")
    print(f"{'recommendations':>16} {'figure':>26} {'median s':>9} {'queries':>8}")
    list_queries = []
    for size in (100, 1000):
        council, session, user = build(size)
        client = Client()
        client.force_login(user)

        def overdue(client: Client = client) -> None:
            response = client.get("/supervision/recommendations/overdue/", secure=True)
            assert response.status_code == 200, response.status_code

        median, queries = timed(overdue, args.runs)
        list_queries.append(queries)
        print(f"{size:>16} {'overdue list page':>26} {median:9.3f} {queries:>8}")

        def table(session: Session = session) -> None:
            doc = document_request(
                kind="supervision.follow-up-table", source=session, by=None, force_new=True
            )
            document_render(document_id=doc.pk)

        median, queries = timed(table, max(1, args.runs // 2))
        print(f"{size:>16} {'follow-up table PDF':>26} {median:9.3f} {queries:>8}")
    print("list queries constant:", "yes" if len(set(list_queries)) == 1 else "NO")


if __name__ == "__main__":
    main()
