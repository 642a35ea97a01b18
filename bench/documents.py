"""Time and peak memory of a ~100-page roster PDF (2,000-row table), our whole pipeline (request -> stored file) vs bare WeasyPrint. Run: cd /work/main && .venv/bin/python bench/documents.py [--runs 3] [--rows 2000]"""  # noqa: E501

# How it measures
# - The parent process builds a throwaway SQLite database and media directory in a temp dir
#   (nothing under /work/main is written), one council + term with N delegates and a second one
#   with N/10, and the roster HTML once (councilportal.documents.render.render_html, same
#   context as the job).
# - Every run is a FRESH child process (subprocess), so ru_maxrss is that run's peak memory;
#   runs of the two variants are interleaved (pipeline, bare, pipeline, bare...).
# - pipeline: document_request(kind="core.term-roster", source=term, by=None) in
#   transaction.atomic; CELERY_TASK_ALWAYS_EAGER=1, so the on_commit enqueue runs the real
#   render_document task in-process. Timed from the request to the row being `done` with its file
#   stored. Queries: django.test.utils.CaptureQueriesContext, counted from the commit of the
#   request on (= the rendering job).
# - bare: weasyprint.HTML(string=html, base_url=static/).write_pdf(stylesheets=[CSS(print.css)]),
#   with CSS(base_url=static/, font_config=FontConfiguration()) and the same font_config given to
#   the rendering, as documents/render.py does: without them WeasyPrint cannot load print.css's
#   @font-face fonts ("fonts/..." resolves against static/pdf/, and @font-face needs a
#   font_config) and lays the document out in DejaVu Sans, ~45 % more pages: not the same document.
# - In both children the Python modules (Django, WeasyPrint) are imported before the clock starts;
#   parsing print.css and loading the fonts are inside the timed part in both.
# - "cpu s" is user + system CPU of the timed part (less sensitive than wall time to other
#   processes on the machine); "sys s" is the system part. A high "sys s" with Python 3.11 is
#   the interpreter's frame-stack chunks being mmap'd/munmap'd on every call that crosses a
#   16 KiB chunk boundary (CPython gh-142183): it depends on the call depth WeasyPrint runs at.

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.dont_write_bytecode = True  # leave no __pycache__ in the project
ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)  # import the project, not bench/
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STATIC_DIR = ROOT / "static"
PRINT_CSS = STATIC_DIR / "pdf" / "print.css"
KIND = "core.term-roster"

TARGET_RATIO = 1.10  # pipeline within 10 % of bare WeasyPrint
TARGET_SECONDS = 8.0  # the ~100-page document
TARGET_MB = 300.0  # peak memory

# Two-line "position, workplace" texts: with them 2,000 roster rows make ~100 A4 pages.
POSITIONS = [
    "Phó Chủ tịch Ủy ban nhân dân huyện Kim Động",
    "Trưởng phòng Tài nguyên và Môi trường thị xã",
    "Bí thư Đảng ủy xã Đông Kết, huyện Khoái Châu",
    "Giám đốc Sở Nông nghiệp và Phát triển nông thôn",
    "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh Hưng Yên",
    "Hiệu trưởng Trường THPT chuyên Hưng Yên",
    "Phó Trưởng Ban Kinh tế - Ngân sách HĐND tỉnh",
    "Phó Giám đốc Bệnh viện Đa khoa tỉnh Hưng Yên",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân"]
GIVEN = ["Hùng", "Lan", "Dũng", "Hương", "Tuấn", "Thảo", "Cường", "Yến", "Phương", "Thắng", "Hạnh"]


# --------------------------------------------------------------------------- children


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far: user + system, and system alone."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child_bare(html_path: str) -> dict[str, object]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = Path(html_path).read_text(encoding="utf-8")
    base_url = str(STATIC_DIR) + "/"
    started, cpu_started = time.perf_counter(), cpu_seconds()
    fonts = FontConfiguration()
    css = CSS(filename=str(PRINT_CSS), base_url=base_url, font_config=fonts)
    document = HTML(string=html, base_url=base_url).render(stylesheets=[css], font_config=fonts)
    pdf = document.write_pdf()
    seconds, cpu = time.perf_counter() - started, cpu_seconds()
    return {
        "seconds": seconds,
        "cpu": cpu[0] - cpu_started[0],
        "sys": cpu[1] - cpu_started[1],
        "mb": peak_mb(),
        "pages": len(document.pages),
        "size": len(pdf),
    }


def is_transaction_control(query: dict[str, str]) -> bool:
    return query["sql"].split(None, 1)[0].upper() in {
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
    }


def child_pipeline(term_id: int) -> dict[str, object]:
    import django

    django.setup()
    import weasyprint  # noqa: F401 - imported before the clock, as in a warm worker
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from councilportal.documents.services import document_request
    from councilportal.models import DocumentStatus, GeneratedDocument, Term

    term = Term.objects.select_related("council").get(pk=term_id)
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        with transaction.atomic():
            document = document_request(kind=KIND, source=term, by=None)
            in_request = len(queries.captured_queries)  # the request's COMMIT is logged next
        # The atomic block has committed: the eager task has run in this process.
        document = GeneratedDocument.objects.get(pk=document.pk)
        seconds, cpu = time.perf_counter() - started, cpu_seconds()
    # The job: everything after the request's COMMIT, minus the re-read above, not counting
    # transaction control (BEGIN, COMMIT, SAVEPOINT...).
    captured = queries.captured_queries
    request_queries = sum(1 for q in captured[:in_request] if not is_transaction_control(q))
    job_queries = sum(1 for q in captured[in_request:-1] if not is_transaction_control(q))
    if document.status != DocumentStatus.DONE or not document.file:
        raise SystemExit(f"document not done: {document.status} {document.error}")
    stored = Path(document.file.path)
    if not stored.is_file() or stored.stat().st_size != document.size:
        raise SystemExit(f"stored file missing or wrong size: {stored}")
    return {
        "seconds": seconds,
        "cpu": cpu[0] - cpu_started[0],
        "sys": cpu[1] - cpu_started[1],
        "mb": peak_mb(),
        "pages": document.page_count,
        "size": document.size,
        "queries": job_queries,
        "request_queries": request_queries,
        "render_seconds": document.render_seconds,
    }


# --------------------------------------------------------------------------- parent


def setup_environment(tmp: Path) -> None:
    (tmp / "media").mkdir()
    (tmp / "var").mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "councilportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "VAR_DIR": str(tmp / "var"),
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "REDIS_URL": "",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )


def build_data(rows: int) -> tuple[int, int]:
    """A council and term with `rows` delegates, and another with rows // 10; their term ids."""
    import datetime as dt

    from django.core.management import call_command

    from councilportal.models import Council, Delegate, Membership, Organ, OrganKind, Position, Term
    from councilportal.web.text import search_normalise

    call_command("migrate", verbosity=0, interactive=False)
    start, end = dt.date(2021, 6, 20), dt.date(2026, 12, 31)
    term_ids = []
    for index, count in enumerate([rows, max(1, rows // 10)]):
        code = f"BENCH{index}"
        council = Council.objects.create(
            name=f"HĐND tỉnh Hưng Yên {code}",
            code=code,
            level="province",
            place_name="Hưng Yên",
            administrative_name="TỈNH HƯNG YÊN",
        )
        term = Term.objects.create(
            council=council, ordinal=17, name="Khóa XVII", start_date=start, end_date=end
        )
        units = max(1, count // 50)
        delegates = []
        for i in range(count):
            name = f"{SURNAMES[i % 11]} {MIDDLE[(i // 11) % 10]} {GIVEN[(i // 7) % 11]}"
            position = POSITIONS[(i // 3) % len(POSITIONS)]
            unit = f"Đơn vị bầu cử số {i % units + 1:02d}"
            left = i % 40 == 39
            delegates.append(
                Delegate(
                    term=term,
                    full_name=name,
                    gender="female" if MIDDLE[(i // 11) % 10] == "Thị" else "male",
                    birth_date=dt.date(1965 + i % 30, 1 + i % 12, 1 + i % 28),
                    position=position,
                    electoral_unit=unit,
                    is_full_time=i % 9 == 0,
                    start_date=start,
                    end_date=dt.date(2024, 3, 15) if left else None,
                    end_reason="Chuyển công tác" if left else "",
                    search_text=search_normalise(f"{name} {unit} {position}"),
                )
            )
        Delegate.objects.bulk_create(delegates, batch_size=500)
        standing = Organ.objects.create(
            council=council, term=term, kind=OrganKind.STANDING_COMMITTEE, name="Thường trực HĐND"
        )
        Membership.objects.create(
            organ=standing,
            delegate=Delegate.objects.filter(term=term).order_by("pk").first(),
            position=Position.CHAIR,
            start_date=start,
        )
        term_ids.append(term.pk)
    return term_ids[0], term_ids[1]


def render_bare_html(term_id: int, path: Path) -> None:
    """The roster's HTML, made exactly as the job makes it (same template and context)."""
    from councilportal.documents.registry import get_kind
    from councilportal.documents.render import render_html
    from councilportal.documents.services import build_context
    from councilportal.models import GeneratedDocument, Term

    spec = get_kind(KIND)
    assert spec is not None
    term = Term.objects.select_related("council").get(pk=term_id)
    document = GeneratedDocument(kind=KIND, title=spec.title(term)[:300], council=term.council)
    html = render_html(spec.template, build_context(spec, term, document))
    path.write_text(html, encoding="utf-8")


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=300,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"child {args} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (default 3)")
    parser.add_argument("--rows", type=int, default=2000, help="roster rows (default 2000)")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        variant, arg = args.child
        result = child_bare(arg) if variant == "bare" else child_pipeline(int(arg))
        print(json.dumps(result))
        return

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as tmpdir:
        tmp = Path(tmpdir)
        setup_environment(tmp)
        import django

        django.setup()
        began = time.perf_counter()
        term_id, small_term_id = build_data(args.rows)
        html_path = tmp / "roster.html"
        render_bare_html(term_id, html_path)
        setup_seconds = time.perf_counter() - began

        results: dict[str, list[dict[str, Any]]] = {"pipeline": [], "bare": []}
        for _ in range(args.runs):
            results["pipeline"].append(run_child("pipeline", str(term_id)))
            results["bare"].append(run_child("bare", str(html_path)))
        small = run_child("pipeline", str(small_term_id))
        total_seconds = time.perf_counter() - began

    def values(variant: str, key: str) -> list[float]:
        return [float(r[key]) for r in results[variant]]

    def med(variant: str, key: str) -> float:
        return statistics.median(values(variant, key))

    small_rows = max(1, args.rows // 10)
    pipe_s, bare_s = med("pipeline", "seconds"), med("bare", "seconds")
    pipe_mb, bare_mb = med("pipeline", "mb"), med("bare", "mb")
    ratio = pipe_s / bare_s
    pages = int(med("pipeline", "pages"))
    q_big = sorted({int(q) for q in values("pipeline", "queries")})
    q_small = int(small["queries"])

    print(
        f"{KIND}: {args.rows} rows, {args.runs} runs per variant, a fresh process per run, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'variant':<9} {'median s':>8} {'min s':>6} {'max s':>6} {'cpu s':>6} {'sys s':>5} "
        f"{'peak MB':>7} {'pages':>5}"
    )
    for variant in ("pipeline", "bare"):
        secs = values(variant, "seconds")
        run_pages = "/".join(str(int(p)) for p in sorted(set(values(variant, "pages"))))
        print(
            f"{variant:<9} {statistics.median(secs):>8.2f} {min(secs):>6.2f} {max(secs):>6.2f} "
            f"{med(variant, 'cpu'):>6.2f} {med(variant, 'sys'):>5.2f} {med(variant, 'mb'):>7.0f} "
            f"{run_pages:>5}"
        )
    print(
        f"pipeline: render_seconds stored by the job (context + template + PDF) "
        f"{med('pipeline', 'render_seconds'):.2f} s; the request itself "
        f"{int(small['request_queries'])} queries"
    )
    print(
        f"job queries: {'/'.join(map(str, q_big))} at {args.rows} rows, {q_small} at "
        f"{small_rows} rows ({int(small['pages'])} pages, {float(small['seconds']):.2f} s)"
    )
    print(
        f"ratio pipeline/bare: {ratio:.3f} wall time, "
        f"{med('pipeline', 'cpu') / med('bare', 'cpu'):.3f} CPU time"
    )
    print(f"{verdict(ratio <= TARGET_RATIO)}  pipeline within 10% of bare WeasyPrint: {ratio:.3f}")
    print(
        f"{verdict(pipe_s < TARGET_SECONDS)}  {pages}-page document under "
        f"{TARGET_SECONDS:.0f} s: {pipe_s:.2f} s (bare {bare_s:.2f} s)"
    )
    print(
        f"{verdict(pipe_mb < TARGET_MB)}  peak memory under {TARGET_MB:.0f} MB: "
        f"{pipe_mb:.0f} MB (bare {bare_mb:.0f} MB)"
    )
    print(
        f"{verdict(max(q_big) <= q_small)}  job queries do not grow with rows: "
        f"{max(q_big)} at {args.rows} rows vs {q_small} at {small_rows}"
    )
    busy = "; other processes were using the CPUs, times are inflated" if load_before > 0.5 else ""
    print(
        f"(setup {setup_seconds:.1f} s, whole benchmark {total_seconds:.0f} s; 1-min load average "
        f"before {load_before:.1f}{busy})"
    )


if __name__ == "__main__":
    main()
