"""The platform under load with its production settings on PostgreSQL (issue 13 §6), run with ``make benchmark-load``
(never from the tests).

1. recreates the PostgreSQL database ``cv_bench_load`` (``--postgres-url``, postgres://postgres@127.0.0.1:5432 by
   default; dropped at the end unless ``--keep``), migrates it and loads the demo, with ``config.settings.prod``;
2. collects the static files into a temporary ``STATIC_ROOT`` (WhiteNoise's compressed manifest storage needs them);
3. serves the platform with gunicorn and the production configuration ``deploy/gunicorn.conf.py``, **two worker
   processes** (``GUNICORN_WORKERS=2``; ``--threads`` threads each, ``GUNICORN_THREADS``), on loopback;
4. signs the demo's pilot in (a session as the login view creates one, and the CSRF cookie the first page sets);
5. loads each page and API endpoint of ``targets()`` for ``--duration`` seconds under ``--connections`` connections
   with autocannon (npm, ``benchmarks/autocannon_client.js``: p50, p95, p99 from the run's latency histogram), every
   request with the ``X-Forwarded-Proto: https`` header the reverse proxy sends (the production settings redirect
   plain HTTP to HTTPS and trust that header) and the ``Accept-Encoding`` of a browser;
6. prints a table (requests/s, p50/p95/p99, errors = non-2xx answers + socket errors, load average before and after
   each measure) and writes the figures as JSON into ``benchmarks/results/`` (not committed).

Target: the contract's home page (its dashboard) ≥ 300 requests/s with p99 ≤ 250 ms and no error on a 2-core
machine. autocannon runs on the same cores as the server: the figures are a floor, lower still on a loaded machine.

What differs from production, and nothing else: ``SECRET_KEY`` (the production settings require it from the
environment), ``DATABASE_URL``, ``STATIC_ROOT`` (a temporary folder), ``GUNICORN_WORKERS``/``GUNICORN_THREADS``, the
API's rate limits (``API_THROTTLE_USER``/``API_THROTTLE_ANON``, lifted: one client plays every connection) and the
bind address; ``ALLOWED_HOSTS`` keeps its default ``127.0.0.1,localhost``; logs (JSON request lines and gunicorn's
access log, as in production) go to a file of the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    load_average,
    manage,
    postgres_recreate,
    session_of,
)

SETTINGS_MODULE = "config.settings.prod"
DATABASE = "cv_bench_load"
PILOT = "pilote@exemple.fr"
CONTRACT_SLUG = "val-de-sorne-2024"
HOME_LABEL = "accueil du contrat (tableau de bord)"
TARGET_RPS, TARGET_P99_MS = 300, 250
# What the reverse proxy (deploy/nginx.conf) adds to every request — the production settings trust it
# (SECURE_PROXY_SSL_HEADER), gunicorn too for 127.0.0.1 (forwarded_allow_ips) — and what a browser sends: WhiteNoise
# then serves the static files' Brotli copies.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}
RESULTS_DIR = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Target:
    label: str
    path: str


def targets(contract_id: int, static_path: str) -> list[Target]:
    """The pages and API endpoints measured, for the demo's Val de Sorne contract."""
    contract = f"/contrats/{CONTRACT_SLUG}"
    api = f"/api/v1/contracts/{contract_id}"
    return [
        Target(HOME_LABEL, f"{contract}/"),
        Target("accueil de la plateforme", "/"),
        Target("liste des contrats", "/contrats/"),
        Target("arbre stratégique", f"{contract}/strategie/"),
        Target("observation du contrat", f"{contract}/observation/"),
        Target("enjeux du diagnostic", f"{contract}/diagnostic/enjeux/"),
        Target("API liste des contrats", "/api/v1/contracts"),
        Target("API détail du contrat", api),
        Target("API enjeux du contrat", f"{api}/stakes"),
        Target("API actions du contrat", f"{api}/actions"),
        Target("fichier statique (WhiteNoise)", static_path),
    ]


def production_environment(workdir: Path, *, workers: int, threads: int) -> dict[str, str]:
    """The environment the production settings and ``deploy/gunicorn.conf.py`` read, for this run."""
    return {
        "SECRET_KEY": "benchmark-load-" + "x" * 50,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        # One client drives every connection as one user: the API's rate limits (1,200 calls a minute per account)
        # would answer 429 within seconds. The benchmark measures what the server can serve, so it lifts them.
        "API_THROTTLE_USER": "10000000/min",
        "API_THROTTLE_ANON": "10000000/min",
    }


@contextmanager
def postgres_database(server_url: str, *, keep: bool, reuse: bool) -> Iterator[str]:
    """The benchmark's database, recreated empty (or as a previous ``--keep`` left it), dropped at the end."""
    if reuse:
        yield server_url.split("?", 1)[0].rstrip("/") + f"/{DATABASE}"
        return
    database_url = postgres_recreate(server_url, DATABASE)
    try:
        yield database_url
    finally:
        if not keep:
            postgres_recreate(server_url, DATABASE, drop_only=True)


def contract_id_of(port: int, cookie: str) -> int:
    status, _headers, body = get(port, "/api/v1/contracts?page_size=100", cookie, PROXY_HEADERS)
    if status != 200:
        raise RuntimeError(f"/api/v1/contracts : {status}")
    items = json.loads(body)["items"]
    return int(next(item["id"] for item in items if item["slug"] == CONTRACT_SLUG))


def stylesheet_of(port: int, path: str, cookie: str) -> str:
    """The first hashed stylesheet a page links to (served by WhiteNoise)."""
    _status, _headers, body = get(port, path, cookie, PROXY_HEADERS)
    match = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body.decode())
    if match is None:
        raise RuntimeError(f"{path} ne lie aucune feuille de style hachée : collectstatic n'a pas été appliqué ?")
    return match.group(1)


def check_answers(port: int, target: Target, cookie: str) -> dict[str, str]:
    """One request before the load: a 200 (a redirection to the login page would count as a success otherwise)."""
    status, received, _body = get(port, target.path, cookie, PROXY_HEADERS)
    if status != 200:
        raise RuntimeError(f"{target.label} ({target.path}) : {status} au lieu de 200")
    return {name: received[name] for name in ("x-page-cache", "content-encoding", "cache-control") if name in received}


def worker_restarts(log_path: Path) -> int:
    """How many times gunicorn has recycled a worker so far (``max_requests`` of deploy/gunicorn.conf.py)."""
    return log_path.read_text(errors="replace").count("Autorestarting worker")


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="cv-bench-load-"))
    environment = production_environment(workdir, workers=args.workers, threads=args.threads)
    started = time.perf_counter()
    header = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} cœurs, {platform.platform()}, Python {platform.python_version()}",
        "settings": SETTINGS_MODULE,
        "gunicorn": f"deploy/gunicorn.conf.py, {args.workers} processus de {args.threads} fils",
        "autocannon": f"{args.connections} connexions pendant {args.duration} s (+ 2 s de mise en route) par mesure",
        "load_average_start": load_average(),
    }
    results: dict[str, dict[str, Any]] = {}
    with postgres_database(args.postgres_url, keep=args.keep or args.reuse, reuse=args.reuse) as database_url:
        if not args.reuse:
            build_demo(database_url, settings_module=SETTINGS_MODULE, environment=environment)
        collect = ["collectstatic", "--noinput", "-v0"]
        manage(database_url, *collect, settings_module=SETTINGS_MODULE, environment=environment)
        session_key = session_of(database_url, PILOT, settings_module=SETTINGS_MODULE, environment=environment)
        header["built_in_s"] = f"{time.perf_counter() - started:.0f}"
        options = ["--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
        log_path = workdir / "gunicorn.log"
        with gunicorn_served(
            database_url,
            log_path,
            options=options,
            environment=environment,
            settings_module=SETTINGS_MODULE,
            ready_path="/healthz",
            log_level="info",
        ) as port:
            home = f"/contrats/{CONTRACT_SLUG}/"
            cookie = browser_cookie(port, home, session_key, PROXY_HEADERS)
            chosen = [
                target
                for target in targets(contract_id_of(port, cookie), stylesheet_of(port, home, cookie))
                if not args.only or any(word in target.label for word in args.only)
            ]
            for target in chosen:
                answered = check_answers(port, target, cookie)
                before, restarts = load_average(), worker_restarts(log_path)
                figures = autocannon(
                    port,
                    target.path,
                    cookie,
                    connections=args.connections,
                    duration=args.duration,
                    headers=PROXY_HEADERS,
                )
                results[target.label] = {
                    "path": target.path,
                    **figures,
                    "load_before": before,
                    "load_after": load_average(),
                    "worker_restarts": worker_restarts(log_path) - restarts,
                    "headers": answered,
                }
                print(row(target.label, results[target.label]), flush=True)
    header["load_average_end"] = load_average()
    header["total_s"] = f"{time.perf_counter() - started:.0f}"
    if not args.keep:
        shutil.rmtree(workdir)  # the collected static files and gunicorn's log
    return {"header": header, "results": results}


COLUMNS = (
    f"{'mesure':38} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'erreurs':>8} {'requêtes':>9} {'recyclés':>8}  "
    "charge avant → après"
)


def row(label: str, figures: dict[str, Any]) -> str:
    errors = figures["non_2xx"] + figures["errors"]
    return (
        f"{label:38} {figures['requests_per_second']:7.0f} {figures['p50_ms']:6.0f} {figures['p95_ms']:6.0f} "
        f"{figures['p99_ms']:6.0f} {errors:8d} {figures['requests']:9d} {figures['worker_restarts']:8d}  "
        f"{figures['load_before']} → "
        f"{figures['load_after']}"
    )


def verdict(results: dict[str, dict[str, Any]]) -> str:
    home = results.get(HOME_LABEL)
    if home is None:
        return "objectif non mesuré (accueil du contrat exclu par --only)"
    met = (
        home["requests_per_second"] >= TARGET_RPS
        and home["p99_ms"] <= TARGET_P99_MS
        and not home["non_2xx"] + home["errors"]
    )
    return (
        f"objectif (accueil du contrat ≥ {TARGET_RPS} req/s, p99 ≤ {TARGET_P99_MS} ms, aucune erreur) : "
        f"{'ATTEINT' if met else 'NON ATTEINT'}"
    )


def report(outcome: dict[str, Any]) -> str:
    header, results = outcome["header"], outcome["results"]
    lines = [
        f"\nLa plateforme sous charge, réglages de production, PostgreSQL — {header['date']}",
        f"machine : {header['machine']} ; {header['gunicorn']} ; autocannon {header['autocannon']} sur la même "
        f"machine ; charge moyenne (1, 5, 15 min) au départ {header['load_average_start']}, à la fin "
        f"{header['load_average_end']} ; {header['total_s']} s en tout",
        "latences en ms, sur toutes les réponses ; erreurs = réponses hors 2xx + erreurs de connexion ; recyclés = "
        "workers remplacés par gunicorn pendant la mesure, mise en route comprise (max_requests)",
        COLUMNS,
        *(row(label, figures) for label, figures in results.items()),
        verdict(results),
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432", help="serveur PostgreSQL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=30, help="secondes de charge par mesure")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn (GUNICORN_WORKERS)")
    parser.add_argument("--threads", type=int, default=4, help="fils par processus (GUNICORN_THREADS ; 1 = sync)")
    parser.add_argument("--only", nargs="*", default=[], help="ne mesurer que les cibles dont le nom contient un mot")
    parser.add_argument("--keep", action="store_true", help="garder la base cv_bench_load et le dossier temporaire")
    parser.add_argument("--reuse", action="store_true", help="mesurer la base gardée par --keep sans la reconstruire")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    outcome = run(args)
    print(report(outcome))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"arguments": vars(args), **outcome}, ensure_ascii=False, indent=2))
    print(f"résultats : {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
