"""National-scale benchmark of the observation app (issue 6 §8), run with `make benchmark-observation`.

    python benchmarks/observation.py [--scale 1.0] [--databases sqlite,postgres] [--requests 200]

Never part of the test suite. In one run, for each database (a temporary SQLite file, and the PostgreSQL database
``cv_bench_obs`` created then dropped on ``postgres://postgres@127.0.0.1:5432/``, or ``$BENCH_OBS_POSTGRES_URL``):

1. builds a synthetic France (about 50,000 IRIS, 35,000 communes, 1,250 EPCI, 1,600 QPV, 2,400 unités urbaines,
   the départements, régions and France, with their ``TerritoryLink`` rows) and seeds the indicator catalogue;
2. imports about 28 million values (every catalogue indicator for every territory of its levels, 10 years)
   from a long CSV written once, in a streaming way, through the real import path
   (``values_import(fmt="long_csv")``), in a subprocess of its own so that its peak memory (RSS high-water mark)
   is its own;
3. times the national computation of every QPV's gaps to its references and trends
   (``national_gaps_and_trends``) against its yardstick, the ORM loop ``national_gaps_naive``, run on a sample of
   QPVs and extrapolated linearly to all of them; then what the national table's page reads (one page of QPVs,
   in-process) and its export of every QPV (XLSX);
4. serves the project with gunicorn (DEBUG off, ``benchmarks/bench_settings.py``) and requests, from one
   sequential client, 200 portraits of random QPVs and 200 times the bare view ``/bench/bare/`` of the same server
   (median, p95, ratio), and counts the SQL queries of a portrait in-process.

``--scale 0.05`` shrinks every count proportionally for a quick run. Internally the script re-runs itself with
``--phase`` for each step (setup, generate, import, compute) and reads the JSON line each phase prints.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import math
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.serving import gunicorn_served  # noqa: E402 - once the project's root is importable

SETTINGS_MODULE = "benchmarks.bench_settings"
DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "cv_bench_obs"
RESULT_PREFIX = "BENCH-RESULT "
SEED = 2024_06
VINTAGE = "2024"
FIRST_YEAR = 2014
YEARS = 10
BENCH_EMAIL = "banc-essai@exemple.fr"

# Targets of issue 6 §8 on a 2-core machine.
TARGET_NATIONAL_S = 2.0
TARGET_PORTRAIT_P95_MS = 100.0
TARGET_IMPORT_PG = 200_000.0
TARGET_PEAK_BYTES = 1.5 * 1024**3

# Full-scale counts (scale 1.0).
FULL_SIZES = {
    "regions": 18,
    "departements": 96,
    "epcis": 1_250,
    "communes": 35_000,
    "iris": 50_000,
    "qpvs": 1_600,
    "unites_urbaines": 2_400,
}
REGION_CODES = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93"]
REGION_CODES.append("94")
DEPARTEMENT_CODES = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"] + [f"{n:02d}" for n in range(21, 96)]


# --- sizes and the machine -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    regions: int
    departements: int
    epcis: int
    communes: int
    iris: int
    qpvs: int
    unites_urbaines: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def scaled(key: str, minimum: int) -> int:
            return max(minimum, round(FULL_SIZES[key] * scale))

        epcis = scaled("epcis", 2)
        communes = max(scaled("communes", 10), epcis * 3)
        return cls(
            regions=min(len(REGION_CODES), scaled("regions", 1)),
            departements=min(len(DEPARTEMENT_CODES), scaled("departements", 1)),
            epcis=epcis,
            communes=communes,
            iris=max(scaled("iris", 12), communes + 2 * epcis),
            qpvs=scaled("qpvs", 2),
            unites_urbaines=max(epcis, scaled("unites_urbaines", 2)),
        )


def machine_description() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} Gio"
                break
    import django

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def postgres_version(server_url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(_postgres_admin_url(server_url), autocommit=True) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "?"
    except Exception as error:  # report, do not fail the header
        return f"indisponible ({type(error).__name__})"


def _postgres_admin_url(server_url: str) -> str:
    """The URL of the maintenance database ``postgres`` on the server of ``server_url``."""
    base = server_url.split("?", 1)[0].rstrip("/")
    scheme, rest = base.split("://", 1)
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/postgres"


def postgres_database_url(server_url: str) -> str:
    return _postgres_admin_url(server_url).rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE


def postgres_recreate(server_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_postgres_admin_url(server_url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def rss_bytes() -> int:
    """The high-water mark of this process's resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- phases run in subprocesses ------------------------------------------------------------------------------


def django_setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()


def emit(result: dict[str, Any]) -> None:
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def phase_setup(args: argparse.Namespace) -> None:
    """Migrate an empty database, build the synthetic France and seed the catalogue."""
    django_setup()
    from django.core.management import call_command

    from contrat_ville.observation.services import catalogue_load

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - start
    start = time.perf_counter()
    counts = build_national_territories(Sizes.for_scale(args.scale), seed=args.seed)
    territories_s = time.perf_counter() - start
    catalogue_load()
    emit({"migrate_s": migrate_s, "territories_s": territories_s, "counts": counts})


def phase_generate(args: argparse.Namespace) -> None:
    """Write the long CSV of every value (streamed: rows are never all in memory)."""
    django_setup()
    start = time.perf_counter()
    rows = write_values_csv(Path(args.csv), seed=args.seed)
    emit({"rows": rows, "seconds": time.perf_counter() - start, "bytes": Path(args.csv).stat().st_size})


def phase_import(args: argparse.Namespace) -> None:
    """Import the long CSV through the real import path; this process's peak RSS is the import's."""
    django_setup()
    from django.db import connection

    from contrat_ville.observation.services import values_import

    connection.ensure_connection()
    baseline = rss_bytes()
    start = time.perf_counter()
    batch = values_import(
        path_or_file=Path(args.csv),
        fmt="long_csv",
        producer="banc d'essai (données synthétiques)",
        licence="données synthétiques",
        vintage=VINTAGE,
    )
    seconds = time.perf_counter() - start
    emit(
        {
            "seconds": seconds,
            "added": batch.created_count,
            "replaced": batch.replaced_count,
            "rejected": batch.rejected_count,
            "peak_rss": rss_bytes(),
            "baseline_rss": baseline,
        }
    )


def phase_compute(args: argparse.Namespace) -> None:
    """National computation vs its naive yardstick, portrait query count, and what the HTTP client needs."""
    django_setup()
    from django.db import connection

    from contrat_ville.observation.models import IndicatorValue
    from contrat_ville.observation.selectors import national
    from contrat_ville.territories.enums import TerritoryKind
    from contrat_ville.territories.models import Territory

    result: dict[str, Any] = {"values_in_db": IndicatorValue.objects.count()}
    if connection.vendor == "postgresql":
        # A bulk load is followed by autovacuum (VACUUM sets the visibility map that index-only scans need, ANALYZE
        # the statistics) in real life; do it now rather than wait for it.
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute("VACUUM ANALYZE")
            result["analyze_s"] = time.perf_counter() - start

    runs = []
    national_result: Any = None
    for _ in range(args.national_runs):
        start = time.perf_counter()
        national_result = national.national_gaps_and_trends()
        runs.append(time.perf_counter() - start)
    result["national_runs_s"] = runs
    result["national_summary"] = describe_national_result(national_result)

    qpv_ids = list(Territory.objects.filter(kind=TerritoryKind.QPV).order_by("code").values_list("pk", flat=True))
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(qpv_ids, min(args.naive_sample, len(qpv_ids))))
    start = time.perf_counter()
    naive_result = run_naive(sample)
    naive_s = time.perf_counter() - start
    result["naive"] = {
        "sample": len(sample),
        "total_qpvs": len(qpv_ids),
        "seconds": naive_s,
        "extrapolated_s": naive_s * len(qpv_ids) / max(1, len(sample)),
        "summary": describe_national_result(naive_result),
    }
    result.update(national_table_probe(args))
    result.update(portrait_probe(args))
    emit(result)


def run_naive(qpv_ids: list[int]) -> Any:
    """The real ORM-loop yardstick ``national_gaps_naive`` (the tests' oracle), on a sample of QPVs (its
    ``qpv_ids``)."""
    from contrat_ville.observation.tests.naive import national_gaps_naive

    return national_gaps_naive(qpv_ids=qpv_ids)


def national_table_probe(args: argparse.Namespace) -> dict[str, Any]:
    """What the national table's page and export cost in-process (no HTTP): a page of QPVs for the ONPV's default
    indicator (median of ``--national-runs``), the same page narrowed to the département with the most QPVs, and
    the XLSX export of every QPV."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from contrat_ville.observation import exports
    from contrat_ville.observation.selectors import indicators, national
    from contrat_ville.territories.enums import TerritoryKind
    from contrat_ville.territories.models import Territory

    indicator = national.default_national_indicator(indicators.indicator_list())
    if indicator is None:
        return {}
    filters = national.NationalFilters(indicator=indicator)
    runs = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(args.national_runs):
            start = time.perf_counter()
            table = national.national_table(filters=filters, page_number=1)
            runs.append(time.perf_counter() - start)
    area = (
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .annotate(link_count=Count("child_links"))
        .order_by("-link_count")
        .first()
    )
    area_runs = []
    for _ in range(args.national_runs):
        start = time.perf_counter()
        national.national_table(filters=national.NationalFilters(indicator=indicator, area=area), page_number=1)
        area_runs.append(time.perf_counter() - start)
    start = time.perf_counter()
    everything = national.national_table(filters=filters, paginate=False)
    workbook = exports.to_xlsx(exports.national_export(everything))
    export_s = time.perf_counter() - start
    return {
        "national_page": {
            "indicator": indicator.code,
            "qpvs": table.qpv_count,
            "rows": len(table.rows),
            "median_s": statistics.median(runs),
            "area_median_s": statistics.median(area_runs),
            "queries": len(queries) // max(1, args.national_runs),
            "export_s": export_s,
            "export_rows": sum(len(row.references) for row in everything.rows),
            "export_bytes": len(workbook),
        }
    }


def describe_national_result(result: Any) -> str:
    """A short description of what the national computation returned (to show it did the work)."""
    if result is None:
        return "—"
    with contextlib.suppress(TypeError):
        return f"{len(result):,} lignes".replace(",", " ")
    return type(result).__name__


def portrait_urls(qpvs: list[tuple[str, str]]) -> list[str]:
    from django.urls import reverse

    return [
        reverse("observation:territory_portrait", kwargs={"kind": "qpv", "vintage": vintage, "code": code})
        for code, vintage in qpvs
    ]


def portrait_probe(args: argparse.Namespace) -> dict[str, Any]:
    """URLs of 200 random QPV portraits, the session cookie if the page needs one, and the query count of a
    portrait for the QPV with the fewest and the most links (a count that does not grow with the data)."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contrat_ville.accounts.models import User
    from contrat_ville.territories.enums import TerritoryKind
    from contrat_ville.territories.models import Territory

    qpvs = list(
        Territory.objects.filter(kind=TerritoryKind.QPV)
        .annotate(links=Count("parent_links"))
        .order_by("links", "code")
        .values_list("code", "vintage", "links")
    )
    rng = random.Random(args.seed + 1)
    chosen = [rng.choice(qpvs) for _ in range(args.requests)]
    urls = portrait_urls([(code, vintage) for code, vintage, _ in chosen])
    client = Client()
    cookie = ""
    first = client.get(urls[0])
    if first.status_code != 200:
        user = User.objects.filter(email=BENCH_EMAIL).first()
        if user is None:
            user = User.objects.create_superuser(email=BENCH_EMAIL, password=None)
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        first = client.get(urls[0])
    probes = []
    for code, vintage, links in (qpvs[0], qpvs[-1]):
        url = portrait_urls([(code, vintage)])[0]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        probes.append({"code": code, "links": links, "queries": len(queries), "status": response.status_code})
    return {"urls": urls, "cookie": cookie, "portrait_status": first.status_code, "portrait_queries": probes}


# --- the synthetic France ------------------------------------------------------------------------------------


def _lognormal(rng: random.Random, median: float, sigma: float, low: float, high: float) -> float:
    return min(high, max(low, median * math.exp(rng.gauss(0, sigma))))


def _square(x: float, y: float, size: float, vertices: int, rng: random.Random) -> dict[str, Any]:
    """A small irregular polygon (WGS84) for a QPV contour, so that portraits draw a real map."""
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        reach = size * rng.uniform(0.8, 1.2)
        ring.append([round(x + reach * math.cos(angle), 6), round(y + reach * math.sin(angle) * 0.7, 6)])
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each at least ``minimum`` (largest remainder)."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError("trop peu d'éléments à répartir")
    weight_sum = sum(weights) or 1.0
    raw = [spare * weight / weight_sum for weight in weights]
    counts = [math.floor(value) for value in raw]
    order = sorted(range(len(weights)), key=lambda index: raw[index] - counts[index], reverse=True)
    for index in order[: spare - sum(counts)]:
        counts[index] += 1
    return [count + minimum for count in counts]


def build_national_territories(sizes: Sizes, *, seed: int) -> dict[str, int]:
    """Create the synthetic France with its links (bulk inserts: the territories are not what is measured)."""
    from django.db import transaction

    from contrat_ville.territories.enums import LinkKind, TerritoryKind
    from contrat_ville.territories.models import Territory, TerritoryLink

    rng = random.Random(seed)
    kinds = TerritoryKind
    territories: list[Territory] = []

    def add(kind: str, code: str, name: str, population: int | None, **extra: Any) -> Territory:
        item = Territory(kind=kind, code=code, vintage=VINTAGE, name=name, population=population, **extra)
        territories.append(item)
        return item

    france = add(kinds.FRANCE, "FR", "France", None)
    regions = [add(kinds.REGION, code, f"Région {code}", None) for code in REGION_CODES[: sizes.regions]]
    departements = [
        add(kinds.DEPARTEMENT, code, f"Département {code}", None) for code in DEPARTEMENT_CODES[: sizes.departements]
    ]
    # Communes: consecutive blocks per département, then per EPCI; the first commune of an EPCI is its
    # ville-centre, the second a secondary town; both are split into IRIS, the others are one « Z » IRIS.
    communes: list[Territory] = []
    commune_epci: list[int] = []
    rank_in_epci: list[int] = []
    per_departement: dict[str, int] = {}
    for index in range(sizes.communes):
        departement = departements[index * sizes.departements // sizes.communes]
        number = per_departement.get(departement.code, 0) + 1
        per_departement[departement.code] = number
        epci_index = index * sizes.epcis // sizes.communes
        rank = 0 if not commune_epci or commune_epci[-1] != epci_index else rank_in_epci[-1] + 1
        commune_epci.append(epci_index)
        rank_in_epci.append(rank)
        if rank == 0:
            population = round(_lognormal(rng, 22_000, 0.7, 6_000, 400_000))
        elif rank == 1:
            population = round(_lognormal(rng, 6_000, 0.5, 2_000, 40_000))
        else:
            population = round(_lognormal(rng, 650, 0.9, 50, 15_000))
        communes.append(
            add(kinds.COMMUNE, f"{departement.code}{number:03d}", f"Commune {departement.code}-{number}", population)
        )
    epcis = [
        add(kinds.EPCI, f"2{index:08d}", f"Intercommunalité {index + 1}", 0, siren=f"2{index:08d}")
        for index in range(sizes.epcis)
    ]
    for commune, epci_index in zip(communes, commune_epci, strict=True):
        population = epcis[epci_index].population or 0
        epcis[epci_index].population = population + (commune.population or 0)
    # IRIS: the towns (rank 0 and 1) share what is left once every other commune has its « Z » IRIS.
    towns = [index for index, rank in enumerate(rank_in_epci) if rank <= 1]
    split_total = sizes.iris - (sizes.communes - len(towns))
    splits = _allocate(split_total, [float(communes[index].population or 1) for index in towns], 2)
    iris_count = dict(zip(towns, splits, strict=True))
    iris_by_commune: dict[int, list[Territory]] = {}
    for index, commune in enumerate(communes):
        count = iris_count.get(index, 1)
        population = commune.population or 0
        if count == 1:
            iris_by_commune[index] = [add(kinds.IRIS, f"{commune.code}0000", commune.name, population)]
            continue
        items = []
        activity = 150 + rng.randrange(300)
        habitat = max(count - 1, 1)
        for k in range(count):
            is_activity = k == count - 1
            items.append(
                add(
                    kinds.IRIS,
                    f"{commune.code}{k // 5 + 1:02d}{k % 5 + 1:02d}",
                    f"{commune.name} IRIS {k + 1}",
                    activity if is_activity else max(0, (population - activity) // habitat),
                    attributes={"type_iris": "A" if is_activity else "H"},
                )
            )
        iris_by_commune[index] = items
    # Unités urbaines: one around each ville-centre (with up to two neighbours), then the secondary towns.
    uu_members: list[list[int]] = []
    starts = [index for index, rank in enumerate(rank_in_epci) if rank == 0]
    for start in starts:
        neighbours = [
            start + offset
            for offset in (2, 3)
            if start + offset < sizes.communes and commune_epci[start + offset] == commune_epci[start]
        ]
        uu_members.append([start, *neighbours[: rng.randrange(3)]])
    secondary = [index for index, rank in enumerate(rank_in_epci) if rank == 1]
    uu_members.extend([index] for index in secondary[: max(0, sizes.unites_urbaines - len(uu_members))])
    unites = [
        add(
            kinds.UNITE_URBAINE,
            f"{communes[members[0]].code[:2]}{index % 1000:03d}{index // 1000}",
            f"Unité urbaine de {communes[members[0]].name}",
            sum(communes[member].population or 0 for member in members),
        )
        for index, members in enumerate(uu_members)
    ]
    # QPV: in ville-centres, weighted by population; 7 % straddle the ville-centre and the secondary town.
    weights = [float(communes[start].population or 1) for start in starts]
    per_dep_qpv: dict[str, int] = {}
    qpv_places: list[tuple[Territory, list[tuple[int, float]], list[tuple[Territory, float]]]] = []
    while len(qpv_places) < sizes.qpvs:
        start = rng.choices(starts, weights=weights)[0]
        commune = communes[start]
        dep = commune.code[:2]
        number = per_dep_qpv.get(dep, 0) + 1
        if number > 99:
            continue
        per_dep_qpv[dep] = number
        population = round(_lognormal(rng, 3_000, 0.6, 1_000, 30_000))
        lon, lat = 2.0 + (start % 97) * 0.07, 43.0 + (start % 89) * 0.06
        qpv = add(
            kinds.QPV,
            f"QN0{dep}{number:02d}M",
            f"Quartier {len(qpv_places) + 1}",
            population,
            attributes={"suffix": "M"},
            geometry=_square(lon + rng.uniform(0, 0.05), lat + rng.uniform(0, 0.05), 0.004, 11, rng),
        )
        host = [(start, 1.0)]
        if rng.random() < 0.07 and start + 1 < sizes.communes and rank_in_epci[start + 1] == 1:
            host = [(start, 0.8), (start + 1, 0.2)]
        iris_items = iris_by_commune[start]
        overlapped = rng.sample(iris_items, min(len(iris_items), rng.choice((1, 2, 2, 3))))
        shares = _allocate(1000, [rng.uniform(0.3, 1.0) for _ in overlapped], 1)
        qpv_places.append((qpv, host, [(item, share / 1000) for item, share in zip(overlapped, shares, strict=True)]))

    with transaction.atomic():
        Territory.objects.bulk_create(territories, batch_size=2000)
        links: list[TerritoryLink] = []

        def link(parent: Territory, child: Territory, share: float = 1.0, kind: str = LinkKind.INCLUSION) -> None:
            links.append(TerritoryLink(parent=parent, child=child, share=f"{share:.6f}", kind=kind))

        for region in regions:
            link(france, region)
        for index, departement in enumerate(departements):
            link(regions[index * len(regions) // len(departements)], departement)
        for index, commune in enumerate(communes):
            link(departements[index * sizes.departements // sizes.communes], commune)
            link(epcis[commune_epci[index]], commune)
            for item in iris_by_commune[index]:
                link(commune, item)
        for unite, members in zip(unites, uu_members, strict=True):
            for member in members:
                link(unite, communes[member])
        for qpv, host, pieces in qpv_places:
            for index, share in host:
                link(communes[index], qpv, share, LinkKind.INCLUSION if share == 1.0 else LinkKind.OVERLAP)
            for piece, share in pieces:
                link(piece, qpv, share, LinkKind.OVERLAP)
        TerritoryLink.objects.bulk_create(links, batch_size=5000)
    counts: dict[str, int] = {}
    for item in territories:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    counts["links"] = len(links)
    return counts


# --- the values -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorShape:
    code: str
    unit: str
    aggregation: str
    direction: str
    levels: tuple[str, ...]


def _stable_unit_interval(text: str) -> float:
    """A number in [0, 1) that depends only on ``text`` (reproducible across processes, unlike ``hash``)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 16**8


def write_values_csv(path: Path, *, seed: int) -> int:
    """Every catalogue indicator for every territory of its levels, for 10 years, as a long CSV.

    Values follow a deprivation score (1 in a QPV, about 0.5 in the IRIS a QPV overlaps, less in towns hosting
    one, about 0.1 elsewhere) so that QPVs differ from their references as they do in real data; small IRIS carry
    statistical secrecy. Rows are written as they are generated.
    """
    from contrat_ville.observation.enums import Aggregation, Direction
    from contrat_ville.observation.models import Indicator
    from contrat_ville.territories.enums import TerritoryKind
    from contrat_ville.territories.models import Territory, TerritoryLink

    rng = random.Random(seed)
    indicators = [
        IndicatorShape(item.code, item.unit, item.aggregation, item.direction, tuple(item.levels or ()))
        for item in Indicator.objects.order_by("code")
    ]
    territories = list(Territory.objects.order_by("kind", "code").values_list("pk", "kind", "code", "population"))
    qpv_kind = TerritoryKind.QPV
    qpv_ids = {pk for pk, kind, _, _ in territories if kind == qpv_kind}
    touched_iris = set(
        TerritoryLink.objects.filter(child_id__in=qpv_ids, parent__kind=TerritoryKind.IRIS).values_list(
            "parent_id", flat=True
        )
    )
    hosting_communes = set(
        TerritoryLink.objects.filter(child_id__in=qpv_ids, parent__kind=TerritoryKind.COMMUNE).values_list(
            "parent_id", flat=True
        )
    )
    deprivation: dict[int, float] = {}
    for pk, kind, _, _ in territories:
        if kind == qpv_kind:
            deprivation[pk] = rng.uniform(0.8, 1.2)
        elif pk in touched_iris:
            deprivation[pk] = rng.uniform(0.35, 0.65)
        elif pk in hosting_communes:
            deprivation[pk] = rng.uniform(0.15, 0.3)
        elif kind in (TerritoryKind.IRIS, TerritoryKind.COMMUNE):
            deprivation[pk] = rng.uniform(0.0, 0.15)
        else:
            deprivation[pk] = rng.uniform(0.08, 0.16)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(LONG_CSV_HEADER)
        for indicator in indicators:
            levels = set(indicator.levels)
            base = _stable_unit_interval(indicator.code)
            drift = (_stable_unit_interval(indicator.code + "drift") - 0.5) * 0.03
            unit = indicator.unit.strip()
            is_ratio = indicator.aggregation == Aggregation.RATIO
            signs: dict[str, float] = {Direction.LOWER_IS_BETTER: 1.4, Direction.HIGHER_IS_BETTER: -0.35}
            sign = signs.get(indicator.direction, 0.5)
            lines: list[str] = []
            for pk, kind, code, population in territories:
                if levels and kind not in levels:
                    continue
                d = deprivation[pk]
                people = float(population or 0) or 5_000.0
                secret = kind == TerritoryKind.IRIS and people < 200
                if unit == "%":
                    reference = 5 + base * 60
                    level = min(98.0, reference * (1 + sign * d))
                elif unit.startswith("€"):
                    level = 23_000 * (1 - 0.4 * d)
                elif unit in ("ratio", "indice"):
                    level = (1 + base) * (1 + sign * d * 0.5)
                elif unit in ("‰", "‱"):
                    level = (2 + base * 20) * (1 + sign * d)
                else:  # counts
                    level = people * (0.05 + base * 0.2) * (1 + sign * d)
                for step in range(YEARS):
                    year = FIRST_YEAR + step
                    if secret:
                        lines.append(long_csv_line(indicator.code, kind, code, year, None, None, None, secret=True))
                        continue
                    value = level * (1 + drift * step) * (1 + (rng.random() - 0.5) * 0.02)
                    numerator = denominator = None
                    if is_ratio:
                        denominator = round(people * (0.4 + base * 0.5), 1)
                        scale = {"%": 100.0, "‰": 1000.0, "‱": 10000.0}.get(unit, 1.0)
                        numerator = round(value / scale * denominator, 2)
                    lines.append(long_csv_line(indicator.code, kind, code, year, value, numerator, denominator))
                if len(lines) >= 50_000:
                    handle.writelines(lines)
                    rows += len(lines)
                    lines.clear()
            handle.writelines(lines)
            rows += len(lines)
    return rows


LONG_CSV_HEADER = "indicateur;type_territoire;territoire;periode;valeur;numerateur;denominateur\n"


def long_csv_line(
    indicator: str,
    kind: str,
    code: str,
    year: int,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    *,
    secret: bool = False,
) -> str:
    if secret:
        return f"{indicator};{kind};{code};{year};s;;\n"
    text = f"{indicator};{kind};{code};{year};{value:.2f}"
    if numerator is None or denominator is None:
        return text + ";;\n"
    return f"{text};{numerator};{denominator}\n"


# --- HTTP ----------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def served(database_url: str, log_path: Path) -> Iterator[int]:
    """gunicorn (one sync worker: the client is sequential) serving the project with the benchmark settings."""
    with gunicorn_served(database_url, log_path, options=["--workers", "1"]) as port:
        yield port


def http_get(port: int, url: str, cookie: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "127.0.0.1", "Accept": "text/html"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def timed_requests(port: int, urls: list[str], cookie: str) -> dict[str, Any]:
    for url in urls[:5]:  # warm-up: templates, connections, caches
        http_get(port, url, cookie)
    durations = []
    statuses: dict[int, int] = {}
    size = 0
    for url in urls:
        start = time.perf_counter()
        status, size = http_get(port, url, cookie)
        durations.append((time.perf_counter() - start) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "median_ms": statistics.median(durations),
        "p95_ms": percentile(durations, 95),
        "statuses": statuses,
        "bytes": size,
    }


def percentile(values: list[float], rank: float) -> float:
    ordered = sorted(values)
    index = max(0, math.ceil(len(ordered) * rank / 100) - 1)
    return ordered[index]


# --- the orchestrator --------------------------------------------------------------------------------------------


def run_phase(phase: str, args: argparse.Namespace, database_url: str, *, csv: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--scale", str(args.scale)]
    command += ["--seed", str(args.seed), "--csv", str(csv), "--requests", str(args.requests)]
    command += ["--naive-sample", str(args.naive_sample), "--national-runs", str(args.national_runs)]
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, DEBUG="false")
    env["CONN_MAX_AGE"] = "0"
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-10000:])
    raise RuntimeError(f"la phase « {phase} » a échoué (code {completed.returncode})")


def benchmark_database(
    label: str, database_url: str, args: argparse.Namespace, workdir: Path, csv: Path
) -> dict[str, Any]:
    log(f"[{label}] base de données et France synthétique…")
    setup = run_phase("setup", args, database_url, csv=csv)
    log(f"[{label}]   {setup['counts']} en {setup['territories_s']:.1f} s")
    if not csv.exists():
        log(f"[{label}] écriture du CSV long des valeurs…")
        generated = run_phase("generate", args, database_url, csv=csv)
        size = generated["bytes"] / 1e6
        log(f"[{label}]   {generated['rows']:,} lignes, {size:.0f} Mo en {generated['seconds']:.0f} s")
    log(f"[{label}] import par values_import (sous-processus)…")
    imported = run_phase("import", args, database_url, csv=csv)
    log(f"[{label}]   {imported['added']:,} valeurs en {imported['seconds']:.1f} s")
    log(f"[{label}] calcul national, témoin naïf, requêtes d'un portrait…")
    computed = run_phase("compute", args, database_url, csv=csv)
    log(f"[{label}] HTTP : {args.requests} portraits et {args.requests} vues témoins…")
    with served(database_url, workdir / f"gunicorn-{label}.log") as port:
        bare_urls = ["/bench/bare/"] * args.requests
        portrait = timed_requests(port, computed["urls"], computed["cookie"])
        bare = timed_requests(port, bare_urls, computed["cookie"])
    computed.pop("urls")
    return {"setup": setup, "import": imported, "compute": computed, "portrait": portrait, "bare": bare}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fmt_int(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def against(value: float, target: float, *, higher_is_better: bool = False) -> str:
    """« PASS x0.62 »: the verdict and the ratio of the figure to its target."""
    ok = value >= target if higher_is_better else value <= target
    return f"{'PASS' if ok else 'MISS'} x{value / target:.2f}"


@dataclass(frozen=True)
class Figures:
    """The figures of one database, derived from the phases' results."""

    values: int
    import_s: float
    throughput: float
    peak_rss: float
    baseline_rss: float
    national_s: float
    national_runs: list[float]
    national_rows: str
    naive_sample: int
    naive_sample_s: float
    naive_s: float
    page: dict[str, Any]
    portrait_median: float
    portrait_p95: float
    bare_median: float
    bare_p95: float
    queries: str
    statuses: str

    @classmethod
    def of(cls, result: dict[str, Any]) -> Figures:
        imported, computed = result["import"], result["compute"]
        values = int(imported["added"] + imported["replaced"])
        runs = [float(value) for value in computed["national_runs_s"]]
        return cls(
            values=values,
            import_s=float(imported["seconds"]),
            throughput=values / float(imported["seconds"]),
            peak_rss=float(imported["peak_rss"]),
            baseline_rss=float(imported["baseline_rss"]),
            national_s=float(statistics.median(runs)),
            national_runs=runs,
            national_rows=str(computed["national_summary"]),
            naive_sample=int(computed["naive"]["sample"]),
            naive_sample_s=float(computed["naive"]["seconds"]),
            naive_s=float(computed["naive"]["extrapolated_s"]),
            page=dict(computed.get("national_page", {})),
            portrait_median=float(result["portrait"]["median_ms"]),
            portrait_p95=float(result["portrait"]["p95_ms"]),
            bare_median=float(result["bare"]["median_ms"]),
            bare_p95=float(result["bare"]["p95_ms"]),
            queries=" / ".join(
                f"{probe['queries']} ({probe['links']} liens, HTTP {probe['status']})"
                for probe in computed["portrait_queries"]
            ),
            statuses=", ".join(f"{code}: {count}" for code, count in sorted(result["portrait"]["statuses"].items())),
        )


def report(args: argparse.Namespace, header: dict[str, str], results: dict[str, dict[str, Any]]) -> str:
    sizes = Sizes.for_scale(args.scale)
    lines = [
        "",
        "Banc d'essai national de l'observation (issue 6 §8)",
        f"Commande : {header['command']}",
        f"Machine : {header['cores']} cœurs ({header['cpu']}), {header['ram']} de RAM, {header['os']}",
        f"Versions : Python {header['python']}, Django {header['django']}, SQLite {header['sqlite']}, "
        f"PostgreSQL {header['postgresql']}",
        f"Échelle {args.scale} : {fmt_int(sizes.iris)} IRIS, {fmt_int(sizes.communes)} communes, "
        f"{fmt_int(sizes.epcis)} EPCI, {fmt_int(sizes.qpvs)} QPV, {fmt_int(sizes.unites_urbaines)} unités urbaines, "
        f"{sizes.departements} départements, {sizes.regions} régions, France ; {YEARS} années "
        f"({FIRST_YEAR}-{FIRST_YEAR + YEARS - 1}).",
        "Import : CSV long chargé par le vrai chemin d'import, contrat_ville.observation.services.values_import"
        '(fmt="long_csv"), dans un sous-processus par base (mémoire crête = pic RSS de ce sous-processus, getrusage).',
        f"Témoin naïf : national_gaps_naive (boucle ORM) exécuté sur un ÉCHANTILLON de {args.naive_sample} QPV, "
        "durée EXTRAPOLÉE linéairement à tous les QPV.",
        f"HTTP : gunicorn 1 worker, DEBUG désactivé, un client séquentiel, {args.requests} requêtes par mesure "
        "(portraits de QPV tirés au hasard) ; témoin = vue Django nue /bench/bare/ servie par le même serveur.",
        "",
    ]
    figures = {name: Figures.of(result) for name, result in results.items()}
    table: list[tuple[str, ...]] = [("mesure", *figures, "cible")]

    def row(label: str, cell: Any, target: str = "") -> None:
        table.append((label, *(cell(name, item) for name, item in figures.items()), target))

    row("valeurs importées", lambda _n, f: fmt_int(f.values))
    row("durée de l'import", lambda _n, f: f"{f.import_s:.1f} s")
    row(
        "débit d'import (valeurs/s)",
        lambda n, f: (
            f"{fmt_int(f.throughput)} "
            + (against(f.throughput, TARGET_IMPORT_PG, higher_is_better=True) if n == "postgres" else "(au mieux)")
        ),
        f"≥ {fmt_int(TARGET_IMPORT_PG)} (PostgreSQL)",
    )
    row(
        "mémoire crête de l'import",
        lambda _n, f: f"{f.peak_rss / 1024**2:.0f} Mio {against(f.peak_rss, TARGET_PEAK_BYTES)}",
        "≤ 1 536 Mio",
    )
    row(
        "écarts et tendances de tous les QPV",
        lambda _n, f: f"{f.national_s:.2f} s {against(f.national_s, TARGET_NATIONAL_S)}",
        f"≤ {TARGET_NATIONAL_S:.0f} s",
    )
    row(
        "témoin naïf, extrapolé",
        lambda _n, f: f"{f.naive_s:.1f} s ({f.naive_sample} QPV mesurés en {f.naive_sample_s:.1f} s)",
    )
    row("rapport naïf / ensembliste", lambda _n, f: f"x{f.naive_s / max(f.national_s, 1e-9):.0f}")
    row(
        "tableau national : une page (tous / un département)",
        lambda _n, f: (
            f"{f.page['median_s'] * 1000:.0f} / {f.page['area_median_s'] * 1000:.0f} ms "
            f"({f.page['rows']} QPV sur {fmt_int(f.page['qpvs'])}, {f.page['indicator']}, "
            f"{f.page['queries']} requêtes)"
            if f.page
            else "—"
        ),
    )
    row(
        "export national XLSX (tous les QPV)",
        lambda _n, f: (
            f"{f.page['export_s']:.1f} s ({fmt_int(f.page['export_rows'])} lignes, "
            f"{f.page['export_bytes'] / 1024**2:.1f} Mio)"
            if f.page
            else "—"
        ),
    )
    row(
        "portrait de QPV : médiane / p95",
        lambda _n, f: (
            f"{f.portrait_median:.1f} / {f.portrait_p95:.1f} ms {against(f.portrait_p95, TARGET_PORTRAIT_P95_MS)}"
        ),
        f"p95 ≤ {TARGET_PORTRAIT_P95_MS:.0f} ms",
    )
    row("vue nue (témoin) : médiane / p95", lambda _n, f: f"{f.bare_median:.1f} / {f.bare_p95:.1f} ms")
    row(
        "rapport portrait / vue nue",
        lambda _n, f: f"x{f.portrait_median / f.bare_median:.1f} (médiane), x{f.portrait_p95 / f.bare_p95:.1f} (p95)",
    )
    row("requêtes SQL d'un portrait", lambda _n, f: f.queries, "constant")
    row("statuts HTTP des portraits", lambda _n, f: f.statuses, "200")
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    for index, line in enumerate(table):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    for name, result in results.items():
        item = figures[name]
        setup = result["setup"]
        analyze = result["compute"].get("analyze_s")
        lines.append(
            f"[{name}] migrate {setup['migrate_s']:.1f} s ; territoires et liens {setup['territories_s']:.1f} s ; "
            f"mémoire du sous-processus d'import avant l'import {item.baseline_rss / 1024**2:.0f} Mio ; "
            f"calcul national {', '.join(f'{value:.2f}' for value in item.national_runs)} s "
            f"(médiane retenue, {item.national_rows})"
            + (f" ; VACUUM ANALYZE après l'import {analyze:.1f} s" if analyze is not None else "")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = la France entière ; 0.05 pour un essai")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres, ou les deux")
    parser.add_argument("--requests", type=int, default=200, help="requêtes HTTP par mesure")
    parser.add_argument("--naive-sample", type=int, default=20, help="QPV du témoin naïf (extrapolé)")
    parser.add_argument("--national-runs", type=int, default=3, help="exécutions du calcul national (médiane)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true", help="garder le dossier temporaire et la base PostgreSQL")
    parser.add_argument("--phase", choices=["setup", "generate", "import", "compute"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        {"setup": phase_setup, "generate": phase_generate, "import": phase_import, "compute": phase_compute}[
            args.phase
        ](args)
        return

    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"bases inconnues : {', '.join(sorted(unknown))}")
    server = os.environ.get("BENCH_OBS_POSTGRES_URL", DEFAULT_POSTGRES_SERVER)
    header = machine_description()
    header["postgresql"] = postgres_version(server) if "postgres" in databases else "non mesuré"
    header["command"] = " ".join(["python benchmarks/observation.py", *sys.argv[1:]])
    workdir = Path(tempfile.mkdtemp(prefix="cv-bench-obs-"))
    csv = workdir / "valeurs.csv"
    results: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    try:
        for name in databases:
            try:
                if name == "sqlite":
                    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
                else:
                    postgres_recreate(server)
                    url = postgres_database_url(server)
                results[name] = benchmark_database(name, url, args, workdir, csv)
            except Exception as error:  # one database failing must not lose the other's figures
                failures[name] = f"{type(error).__name__}: {error}"
                log(f"[{name}] ÉCHEC : {failures[name]}")
            finally:
                if name == "postgres" and not args.keep:
                    with contextlib.suppress(Exception):
                        postgres_recreate(server, drop_only=True)
                if name == "sqlite" and not args.keep:
                    with contextlib.suppress(OSError):
                        (workdir / "bench.sqlite3").unlink()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"dossier conservé : {workdir}")
    if results:
        print(report(args, header, results))
    for name, failure in failures.items():
        print(f"\n[{name}] banc interrompu : {failure}")
    print(f"\nDurée totale du banc : {time.perf_counter() - started:.0f} s")
    if args.keep:
        print(json.dumps({"sizes": asdict(Sizes.for_scale(args.scale)), "results": results}, indent=1))
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
