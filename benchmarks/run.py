"""Benchmarks of the platform, run with `make benchmark` (never from the test suite).

Measures on a fresh SQLite database (or $BENCH_DATABASE_URL, e.g. PostgreSQL):
1. loading the national reference (régions, départements, ~35,000 communes, ~1,250 EPCI) from
   @etalab/decoupage-administratif;
2. loading the demo;
3. server-side latency and SQL query count of key pages and API endpoints (Django test client,
   no network), median and 95th percentile over repeated requests.
Prints a table; figures depend on the machine: rerun the command to reproduce them.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="cv-bench-")
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contrat_ville.accounts.models import User
    from contrat_ville.contracts.models import Contract
    from contrat_ville.territories.models import Territory

    results: list[tuple[str, str]] = []

    def timed(label: str, func: Callable[[], object]) -> None:
        start = time.perf_counter()
        func()
        results.append((label, f"{time.perf_counter() - start:.1f} s"))

    timed("migrate (base vide)", lambda: call_command("migrate", verbosity=0))
    timed("load_reference_territories (France entière)", lambda: call_command("load_reference_territories"))
    results.append(("territoires en base après le référentiel", f"{Territory.objects.count():,}".replace(",", " ")))
    timed("load_demo", lambda: call_command("load_demo"))
    timed("load_demo (2e passage, idempotent)", lambda: call_command("load_demo"))

    client = Client()
    pilot = User.objects.get(email="pilote@exemple.fr")
    contract = Contract.objects.get(slug="val-de-sorne-2024")
    pages = [
        ("GET /api/v1/territories?kind=commune (anonyme)", None, "/api/v1/territories?kind=commune"),
        ("GET /api/v1/territories?kind=commune&page=100", None, "/api/v1/territories?kind=commune&page=100"),
        ("GET /api/v1/contracts (anonyme)", None, "/api/v1/contracts"),
        ("GET /contrats/ (pilote)", pilot, "/contrats/"),
        (f"GET /contrats/{contract.slug}/ (pilote)", pilot, f"/contrats/{contract.slug}/"),
    ]
    for label, user, url in pages:
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        client.get(url)  # warm-up
        durations = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        durations.sort()
        p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
        results.append(
            (label, f"médiane {statistics.median(durations):.1f} ms · p95 {p95:.1f} ms · {len(queries)} requêtes SQL")
        )

    width = max(len(label) for label, _ in results)
    print(f"\nBase : {connection.vendor} · {REPEAT} requêtes par page · Python {sys.version.split()[0]}")
    for label, value in results:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
