"""Load test: many people at once against gunicorn + PostgreSQL + Redis + a Celery worker.

One command starts everything on loopback, runs Locust headless (bench/locustfile.py: the demo
personas log in, browse registers with filters and pagination, open detail pages, read the
dashboard over several periods and ask for PDFs, following each job until its file is ready),
prints per page the number of requests, failures, median and p95, and stops everything. It exits
non-zero on any failed request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_national \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/load.py [--users 50] \\
        [--duration 2m] [--database cp_national]

--database takes a database name on the server of DATABASE_URL, or a whole URL. The database
must exist and be migrated. The demo (its councils and persona logins) is added with
`seed_demo` when it is missing: seed_demo is additive (every record is found by its natural key
before it is created), so the national councils (coded N…) are left as they are. When the
national data is there, a leader of its first province (`load.lanhdao`, made here) is added to
the journeys, so that the dashboard and the registers are also read at national scale.

Settings are production ones (DEBUG=0) made to work over plain HTTP on loopback:
SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0, static files collected into var/load/static. Generated
PDFs go to var/load/media (MEDIA_ROOT). Logs of gunicorn and the workers are in var/load/.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUN = ROOT / "var" / "load"
NATIONAL_LEADER = ("load.lanhdao", "LoadTest@2026")

# Run by `manage.py shell` in the portal's environment; the national leader's login is passed
# in LOAD_NATIONAL_LEADER / LOAD_NATIONAL_PASSWORD.
ENSURE_DATA = """
import os
from django.contrib.auth import get_user_model
from councilportal.models import Council, Role, RoleAssignment
User = get_user_model()
demo = Council.objects.filter(code="HY").exists() and User.objects.filter(
    username__in=["chuyenvien.tinh", "chuyenvien.xa", "lanhdao.tinh", "xuly.donthu"]
).count() == 4
national = Council.objects.filter(code="N00").first()
if national is not None:
    user, _ = User.objects.get_or_create(username=os.environ["LOAD_NATIONAL_LEADER"])
    user.first_name = "Lãnh đạo (kiểm thử tải)"
    user.set_password(os.environ["LOAD_NATIONAL_PASSWORD"])
    user.save()
    RoleAssignment.objects.get_or_create(user=user, council=national, role=Role.LEADER)
print(f"demo={int(demo)} national={int(national is not None)} councils={Council.objects.count()}")
"""


def database_url(database: str | None) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/councilportal")
    if not database:
        return base
    if "://" in database:
        return database
    return base.rsplit("/", 1)[0] + "/" + database


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(RUN / f"{name}.log", "wb")  # noqa: SIM115 (kept open for the process's life)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers start
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {seconds:.0f} s (see {RUN}/web.log)")
        time.sleep(0.5)


def print_table(prefix: Path) -> int:
    """Print the per-page figures from Locust's CSV; return the number of failed requests."""
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    pages = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda r: r["Name"])
    width = max(len(f"{row['Type']} {row['Name']}") for row in pages)
    header = f"{'page':<{width}}  {'requests':>8}  {'failures':>8}  {'median ms':>9}  {'p95 ms':>7}"
    print(header)
    print("-" * len(header))
    for row in [*pages, total]:
        label = f"{row['Type']} {row['Name']}".strip() if row is not total else "all requests"
        print(
            f"{label:<{width}}  {row['Request Count']:>8}  {row['Failure Count']:>8}  "
            f"{row['50%']:>9}  {row['95%']:>7}"
        )
    failures = int(total["Failure Count"])
    if failures:
        print("\nFailures:")
        with open(f"{prefix}_failures.csv", newline="") as failures_file:
            for row in csv.DictReader(failures_file):
                print(f"  {row['Occurrences']:>5} × {row['Method']} {row['Name']}: {row['Error']}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="2m", help="Locust's --run-time: 120s, 2m…")
    parser.add_argument("--database", help="database name on DATABASE_URL's server, or a URL")
    parser.add_argument("--port", type=int, default=8765)
    cores = os.cpu_count() or 2
    parser.add_argument("--web-workers", type=int, default=2 * cores + 1)
    parser.add_argument("--web-threads", type=int, default=2)
    parser.add_argument("--pdf-concurrency", type=int, default=cores)
    args = parser.parse_args()

    RUN.mkdir(parents=True, exist_ok=True)
    url = database_url(args.database)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEBUG": "0",
        # The demo's data and secrets (field keys under VAR_DIR, as `make run` made them).
        "DEMO": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(RUN / "static"),
        "MEDIA_ROOT": str(RUN / "media"),
        "LOG_LEVEL": "WARNING",
        # The handler persona logs in with its password only (no phone under load).
        "TWO_FACTOR_REQUIRED_ROLES": "",
        "LOAD_NATIONAL_LEADER": NATIONAL_LEADER[0],
        "LOAD_NATIONAL_PASSWORD": NATIONAL_LEADER[1],
    }
    print(f"Database {url.rsplit('/', 1)[1]}, Redis {env['REDIS_URL']}, {cores} cores")

    state = manage(env, "shell", "-v", "0", "-c", ENSURE_DATA, capture=True).strip().splitlines()
    figures = dict(item.split("=") for item in state[-1].split())
    if figures["demo"] != "1":
        print("The demo is missing: seed_demo (additive; other councils are left as they are)…")
        manage(env, "seed_demo")
    if figures["national"] != "1":
        env["LOAD_NATIONAL_LEADER"] = ""
    print(f"{int(figures['councils']):,} councils; national data: {figures['national'] == '1'}")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            start(
                "web",
                [
                    str(BIN / "gunicorn"),
                    "councilportal.wsgi",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    str(args.web_workers),
                    "--threads",
                    str(args.web_threads),
                    "--timeout",
                    "120",
                    # Locust's clients keep connections open between steps (1–3 s apart); with
                    # gunicorn's default of 2 s the server may close one just as it is reused
                    # ("connection reset"). Behind nginx the proxy holds client connections.
                    "--keep-alive",
                    "10",
                ],
                env,
            )
        )
        # The two queues as in production (docs/operations.md): PDFs never delay short jobs.
        for queue, concurrency in (("documents", args.pdf_concurrency), ("default", 1)):
            processes.append(
                start(
                    f"worker-{queue}",
                    [
                        str(BIN / "celery"),
                        "-A",
                        "councilportal",
                        "worker",
                        "-Q",
                        queue,
                        "--concurrency",
                        str(concurrency),
                        "-n",
                        f"load-{queue}-{os.getpid()}@%h",
                        "--loglevel",
                        "WARNING",
                    ],
                    env,
                )
            )
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/login/")
        print(
            f"gunicorn: {args.web_workers} workers × {args.web_threads} threads; Celery: "
            f"documents × {args.pdf_concurrency}, default × 1. Load average before: "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        classes = ["ProvinceClerk", "CommuneClerk", "Leader", "Handler"]
        if env["LOAD_NATIONAL_LEADER"]:
            classes.append("NationalLeader")
        prefix = RUN / "locust"
        for old in RUN.glob("locust_*.csv"):
            old.unlink()
        print(f"Locust: {args.users} users, {args.spawn_rate}/s, {args.duration}: {classes}")
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.duration,
                "--stop-timeout",
                "120",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                *classes,
            ],
            cwd=ROOT,
            env=env,
            stdout=open(RUN / "locust.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        print(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        failures = print_table(prefix)
    finally:
        for process in reversed(processes):
            stop(process)
    print(f"\nErrors: {failures} (Locust exit status {locust.returncode}; log {RUN}/locust.log)")
    return 1 if failures or locust.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
