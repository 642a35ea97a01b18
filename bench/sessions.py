"""Rendering a session's report and minutes through the document pipeline: median time and
database queries, for a session of 20 delegates / 30 items / 30 votes (10 roll-call) and for
one ten times that size. Run: .venv/bin/python bench/sessions.py [--runs 5]
Targets (issue 4, 2-core machine): under 0.4 s each for the small session; at most 20 queries
for either size."""

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
TMP = Path(tempfile.mkdtemp(prefix="bench-sessions-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}"
)
os.environ["MEDIA_ROOT"] = str(TMP / "media")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from councilportal.documents.services import document_request  # noqa: E402
from councilportal.models import Council, Delegate, GeneratedDocument, Term  # noqa: E402
from sessions import services  # noqa: E402
from sessions.models import AgendaItem, Presence, Session  # noqa: E402


def build(scale: int) -> Session:
    """A session with 20×scale delegates, 30×scale items, attendance on 3 days, 30×scale votes
    of which a third are roll-call."""
    code = f"B{scale}"
    council = Council.objects.create(
        code=code,
        name=f"HĐND tỉnh Thử {scale}",
        level="province",
        place_name="Hưng Yên",
        administrative_name="TỈNH THỬ",
    )
    term = Term.objects.create(
        council=council,
        ordinal=17,
        name="Khóa XVII",
        start_date=dt.date(2021, 6, 25),
        end_date=dt.date(2026, 6, 30),
    )
    Delegate.objects.bulk_create(
        Delegate(
            term=term,
            full_name=f"Nguyễn Văn Đại Biểu {i}",
            electoral_unit=f"Đơn vị số {i % 9}",
            start_date=term.start_date,
        )
        for i in range(20 * scale)
    )
    delegates = list(Delegate.objects.filter(term=term))
    session = Session.objects.create(
        council=council,
        term=term,
        ordinal=1,
        kind="regular_end",
        status="in_progress",
        planned_start=dt.date(2023, 12, 6),
        planned_end=dt.date(2023, 12, 8),
        chair_name="Trần Quốc Toản",
        secretary_name="Nguyễn Thị Lan",
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            session=session,
            position=n + 1,
            kind="submission",
            title=f"Tờ trình số {n + 1} về kế hoạch đầu tư công",
            summary="Các đại biểu thảo luận, thống nhất với nội dung tờ trình.",
            conclusion="HĐND thống nhất thông qua.",
        )
        for n in range(30 * scale)
    )
    for day in (6, 7, 8):
        sitting = services.sitting_add(session=session, date=dt.date(2023, 12, day))
        rows = {
            d.pk: ((Presence.EXCUSED, "Đi công tác") if i % 17 == 3 else (Presence.PRESENT, ""))
            for i, d in enumerate(delegates)
        }
        services.attendance_record(sitting=sitting, rows=rows)
    for n, item in enumerate(session.items.order_by("position")):
        ballots = (
            {d.pk: "for" if i % 10 else "against" for i, d in enumerate(delegates)}
            if n % 3 == 0
            else None
        )
        services.vote_record(
            item=item,
            subject=f"Thông qua nghị quyết {n + 1}",
            majority="vote.ordinary",
            held_on=dt.date(2023, 12, 8),
            votes_for=len(delegates) - 2,
            abstentions=1,
            ballots=ballots,
        )
    return session


def render(session: Session, kind: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            document = document_request(kind=kind, source=session, by=None, force_new=True)
        elapsed = time.perf_counter() - started
    document = GeneratedDocument.objects.get(pk=document.pk)
    assert document.status == "done", document.error
    # Count SQL queries, not transaction control (BEGIN/COMMIT/SAVEPOINT), which SQLite logs.
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    count = sum(
        1 for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith(control)
    )
    return elapsed, count, document.page_count or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; runs per figure: {args.runs} (after one warm-up)")
    header = ("session", "document", "median s", "min s", "max s", "queries", "pages")
    print("{:>10} {:>16} {:>9} {:>7} {:>7} {:>8} {:>6}  target".format(*header))
    ok = True
    for scale in (1, 10):
        session = build(scale)
        for kind in ("sessions.report", "sessions.minutes"):
            render(session, kind)  # warm-up: fonts, stylesheet, templates
            times, counts = [], set()
            for _ in range(args.runs):
                elapsed, count, pages = render(session, kind)
                times.append(elapsed)
                counts.add(count)
            median = statistics.median(times)
            limit_s = 0.4 if scale == 1 else None
            passed = max(counts) <= 20 and (limit_s is None or median < limit_s)
            ok &= passed
            target = ("< 0.4 s, " if limit_s else "") + "<= 20 queries"
            print(
                f"{'x' + str(scale):>10} {kind.split('.')[1]:>16} {median:9.3f} {min(times):7.3f} "
                f"{max(times):7.3f} {max(counts):8d} {pages:6d}  "
                f"{target}: {'PASS' if passed else 'FAIL'}"
            )
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
