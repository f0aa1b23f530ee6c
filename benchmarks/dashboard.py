"""The contract's dashboard under load (issue 12 §8), run with ``make benchmark-dashboard`` (never from the tests).

1. builds the demo in a fresh SQLite database (or ``--database-url``), with the benchmark settings (DEBUG off);
2. serves it with gunicorn, **two workers** (gthread, 4 threads each: connections kept alive), on loopback
   (``benchmarks/bench_settings.py``);
3. signs the demo's pilot in (a session and a CSRF cookie, as a browser holds them) and loads, with autocannon
   (npm, ``node_modules/.bin/autocannon``), for ``--duration`` seconds under ``--connections`` connections:
   the dashboard of the pilot's contract, the same dashboard with the page cache off (a second server started with
   ``BENCH_PAGE_CACHE=off``: what each request costs without ``core.page_cache``), and the bare view
   ``/bench/bare/`` of the same server (the floor of the stack);
4. prints requests/s and latency percentiles (p50, p97.5, p99) of each, and the target: ≥ 300 requests/s with
   p99 ≤ 250 ms for the cached dashboard.

autocannon runs on the same machine as the server: on 2 cores it takes CPU from gunicorn, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.serving import (  # noqa: E402 - once the project's root is importable
    autocannon,
    browser_cookie,
    build_demo,
    get,
    gunicorn_served,
    session_of,
)

PILOT = "pilote@exemple.fr"
CONTRACT_SLUG = "val-de-sorne-2024"
TARGET_RPS, TARGET_P99_MS = 300, 250


@contextlib.contextmanager
def served(database_url: str, log_path: Path, *, workers: int, threads: int, page_cache: bool) -> Iterator[int]:
    # Threaded workers keep connections alive, as a browser and a reverse proxy expect; sync workers close each one,
    # and autocannon then times the reconnections, not the pages.
    options = ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    environment = {"BENCH_PAGE_CACHE": "on" if page_cache else "off"}
    with gunicorn_served(database_url, log_path, options=options, environment=environment) as port:
        yield port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="", help="une base où construire la démonstration (SQLite temporaire sinon)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20, help="secondes de charge par mesure")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="fils par worker (gthread)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cv-bench-dashboard-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'demo.sqlite3'}"
    started = time.perf_counter()
    build_demo(database_url)
    session_key = session_of(database_url, PILOT)
    dashboard = f"/contrats/{CONTRACT_SLUG}/"
    results: dict[str, dict[str, Any]] = {}
    for page_cache in (True, False):
        with served(
            database_url,
            workdir / f"gunicorn-{page_cache}.log",
            workers=args.workers,
            threads=args.threads,
            page_cache=page_cache,
        ) as port:
            cookie = browser_cookie(port, dashboard, session_key)
            label = "tableau de bord (cache des pages)" if page_cache else "tableau de bord sans cache des pages"
            results[label] = autocannon(port, dashboard, cookie, connections=args.connections, duration=args.duration)
            if page_cache:
                _status, headers, _body = get(port, dashboard, cookie)
                if headers.get("x-page-cache") != "hit":
                    raise RuntimeError("le tableau de bord n'est pas servi depuis le cache : la mesure serait fausse")
                results["vue témoin /bench/bare/"] = autocannon(
                    port, "/bench/bare/", cookie, connections=args.connections, duration=args.duration
                )

    print(f"\nTableau de bord du contrat sous charge — {time.strftime('%Y-%m-%d %H:%M')}")
    print(
        f"machine : {os.cpu_count()} cœurs, {platform.platform()}, Python {platform.python_version()} ; gunicorn "
        f"{args.workers} workers gthread à {args.threads} fils, autocannon {args.connections} connexions pendant "
        f"{args.duration} s sur la même machine ; base {database_url.split(':')[0]} ; charge moyenne au départ "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"{'page':45} {'req/s':>8} {'p50 ms':>8} {'p97,5 ms':>9} {'p99 ms':>8} {'échecs':>8} {'requêtes':>9}")
    for label, figures in results.items():
        print(
            f"{label:45} {figures['requests_per_second']:8.0f} {figures['p50_ms']:8.0f} {figures['p97_5_ms']:9.0f} "
            f"{figures['p99_ms']:8.0f} {figures['non_2xx'] + figures['errors']:8d} {figures['requests']:9d}"
        )
    cached = results["tableau de bord (cache des pages)"]
    verdict = (
        cached["requests_per_second"] >= TARGET_RPS
        and cached["p99_ms"] <= TARGET_P99_MS
        and not cached["non_2xx"] + cached["errors"]
    )
    print(
        f"objectif ≥ {TARGET_RPS} req/s et p99 ≤ {TARGET_P99_MS} ms : {'ATTEINT' if verdict else 'NON ATTEINT'} "
        f"({time.perf_counter() - started:.0f} s en tout)"
    )


if __name__ == "__main__":
    main()
