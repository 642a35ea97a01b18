"""OParl API under load: concurrent anonymous clients read the list endpoints through gunicorn.

Starts gunicorn on loopback (production settings over plain HTTP, as bench/load.py), finds the
demo province's Body from the System object, then lets --clients threads, each with its own
keep-alive connection, fetch the API's list pages (the body list and each list of the province,
first page, and one page further where there is one) round-robin for --duration seconds. Prints
per endpoint the requests, errors, median and p95 in ms, and exits non-zero on any error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_demo \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/oparl.py [--clients 50] \\
        [--duration 30] [--workers 5]

The database must be migrated and hold the demo (`seed_demo`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import BIN, RUN, database_url, start, stop, wait_for  # noqa: E402


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    return response.status, response.read()


def endpoints(port: int) -> list[str]:
    """The list pages to read: from the System object to the demo province's lists."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, body = get(conn, "/api/oparl/v1/")
    assert status == 200, status
    bodies_url = urlsplit(json.loads(body)["body"]).path
    status, body = get(conn, bodies_url)
    page = json.loads(body)
    province = next(b for b in page["data"] if b.get("shortName") == "HY")
    paths = [bodies_url]
    for key in ("organization", "person", "membership", "meeting", "agendaItem", "paper"):
        first = urlsplit(province[key]).path
        paths.append(first)
        status, body = get(conn, first)
        links = json.loads(body)["links"]
        if "next" in links:
            nxt = urlsplit(links["next"])
            paths.append(f"{nxt.path}?{nxt.query}")
    conn.close()
    return paths


def client_loop(
    port: int,
    paths: list[str],
    offset: int,
    until: float,
    timings: dict[str, list[float]],
    errors: dict[str, int],
    lock: threading.Lock,
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    i = offset
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        began = time.perf_counter()
        try:
            status, _body = get(conn, path)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        elapsed = (time.perf_counter() - began) * 1000
        if status == 200:
            mine[path].append(elapsed)
        else:
            failed[path] += 1
    conn.close()
    with lock:
        for path, values in mine.items():
            timings[path] += values
        for path, count in failed.items():
            errors[path] += count


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--database", help="database name on DATABASE_URL's server, or a URL")
    parser.add_argument("--port", type=int, default=8766)
    cores = os.cpu_count() or 2
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    args = parser.parse_args()

    RUN.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(args.database),
        "DEBUG": "0",
        "DEMO": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(RUN / "static"),
        "LOG_LEVEL": "WARNING",
    }
    web = start(
        "oparl-web",
        [
            str(BIN / "gunicorn"),
            "councilportal.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--keep-alive",
            "10",
        ],
        env,
    )
    try:
        wait_for(f"http://127.0.0.1:{args.port}/api/oparl/v1/")
        paths = endpoints(args.port)
        timings: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        until = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=client_loop, args=(args.port, paths, n, until, timings, errors, lock)
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(web)

    print(
        f"{args.clients} anonymous clients, {args.duration:.0f} s, {args.workers} gunicorn workers"
    )
    width = max(len(p) for p in paths)
    header = (
        f"{'endpoint':<{width}}  {'requests':>8}  {'errors':>6}  {'median ms':>9}  {'p95 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    every: list[float] = []
    for path in paths:
        values = timings[path]
        every += values
        median = f"{statistics.median(values):.0f}" if values else "-"
        high = f"{p95(values):.0f}" if values else "-"
        print(f"{path:<{width}}  {len(values):>8}  {errors[path]:>6}  {median:>9}  {high:>7}")
    total_errors = sum(errors.values())
    print(
        f"{'all':<{width}}  {len(every):>8}  {total_errors:>6}  "
        f"{statistics.median(every):>9.0f}  {p95(every):>7.0f}"
    )
    print(f"throughput: {len(every) / args.duration:.0f} requests/s")
    return 1 if total_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
