"""The public portal under load (issue 20): 200 concurrent anonymous clients against gunicorn +
PostgreSQL + Redis (Django's cache), on the national dataset (bench/national.py).

Each client reads, 1–3 s apart, a council's session calendar, a page of its resolution
register (first page, second page, one year) and a resolution. The councils are every
province and 60 communes of the national data; the resolutions 3,000 of those councils'
(a reader's spread: the cache serves a page once any client has read it in the last
PUBLIC_CACHE_SECONDS, so the first reads of each page are measured too). Prints the median and
p95 of each page and exits non-zero on any error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_public REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/public.py [--users 200] [--duration 1m]

The database must hold the national data (`bench/national.py`). The cache is emptied first:
Django's RedisCache.clear() flushes the whole Redis database of REDIS_URL, so give this run a
database number of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import BIN, database_url, manage, print_table, stop, wait_for  # noqa: E402

RUN = ROOT / "var" / "public-bench"


def start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(RUN / f"{name}.log", "wb")  # noqa: SIM115 (kept open for the process's life)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


PICK = """
import json, random
from django.core.cache import cache
from councilportal.models import Council
from resolutions.models import Resolution
rng = random.Random(20)
national = Council.objects.public().filter(code__startswith="N")
provinces = list(national.filter(depth=0).values_list("pk", flat=True))
communes = list(national.filter(depth=1).values_list("pk", flat=True))
councils = provinces + rng.sample(communes, min(60, len(communes)))
ids = list(Resolution.objects.public().filter(council__in=councils).values_list("pk", flat=True))
resolutions = rng.sample(ids, min(3000, len(ids)))
cache.clear()
print(json.dumps({"councils": councils, "resolutions": resolutions}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", default="1m")
    parser.add_argument("--database")
    parser.add_argument("--port", type=int, default=8775)
    cores = os.cpu_count() or 2
    parser.add_argument("--web-workers", type=int, default=2 * cores + 1)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()

    RUN.mkdir(parents=True, exist_ok=True)
    url = database_url(args.database)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEBUG": "0",
        "DEMO": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "public-bench-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(RUN / "static"),
        "LOG_LEVEL": "WARNING",
    }
    picked = manage(env, "shell", "-v", "0", "-c", PICK, capture=True).strip().splitlines()[-1]
    ids = json.loads(picked)
    if not ids["councils"] or not ids["resolutions"]:
        raise SystemExit("No national data: run bench/national.py on this database first.")
    ids_file = RUN / "ids.json"
    ids_file.write_text(json.dumps(ids))
    env["PUBLIC_BENCH_IDS"] = str(ids_file)
    print(
        f"Database {url.rsplit('/', 1)[1]}, Redis {env['REDIS_URL']}, {cores} cores; "
        f"{len(ids['councils'])} councils, {len(ids['resolutions']):,} resolutions read"
    )
    manage(env, "collectstatic", "--noinput", "-v", "0")
    web = start(
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
            "--keep-alive",
            "10",
        ],
        env,
    )
    try:
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/cong-khai/")
        print(
            f"gunicorn: {args.web_workers} workers × {args.web_threads} threads. Load average "
            f"before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        prefix = RUN / "locust"
        for old in RUN.glob("locust_*.csv"):
            old.unlink()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "public_locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.duration,
                "--stop-timeout",
                "30",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(RUN / "locust.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        print(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        failures = print_table(prefix)
    finally:
        stop(web)
    print(f"\nErrors: {failures} (Locust exit status {locust.returncode}; log {RUN}/locust.log)")
    return 1 if failures or locust.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
