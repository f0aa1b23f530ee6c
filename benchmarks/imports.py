"""Benchmark of the territory imports at national scale (issue 15 §3), run with `make benchmark-imports`.

    python benchmarks/imports.py [--databases sqlite,postgres] [--code-root PATH] [--keep]

Never part of the test suite. For each database (a temporary SQLite file, and the PostgreSQL database
``cv_bench_imports`` created then dropped on ``postgres://postgres@127.0.0.1:5432/``, or on the server of
``$BENCH_IMPORTS_POSTGRES_URL``), in a subprocess of its own:

1. migrates an empty database (not measured against a target);
2. times ``manage.py load_reference_territories`` for the whole of France (régions, départements, 34,969 communes,
   45 arrondissements, 1,255 EPCI and their links, from ``@etalab/decoupage-administratif``, COG 2026);
3. times ``manage.py import_epci`` on the national INSEE « Intercommunalité - Métropole » workbook (sheets ``EPCI``
   and ``Composition_communale``, title block, French labels on row 5, variable codes on row 6, data from row 7;
   data-formats.md §4.2, §11), built by this script from the same npm package in INSEE's exact layout and never
   committed; then times the same import again (every row already there: the re-import path).

Target: each import ≤ 15 s on the 2-core machine (issue 15). ``--code-root`` measures another checkout of the project
(for instance the code before the import kernel, extracted with ``git archive``): the commands are the same, so the
before and after figures come from one script. Internally the script re-runs itself with ``--child`` per database
and reads the JSON line the child prints.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

# escape() writes the XML of a generated workbook; nothing is parsed (bandit B406).
from xml.sax.saxutils import escape  # nosec B406

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "cv_bench_imports"
RESULT_PREFIX = "BENCH-RESULT "
TARGET_SECONDS = 15.0
VINTAGE = "2026"
NO_EPCI = "ZZZZZZZZZ"
# decoupage-administratif's EPCI types → INSEE's NATURE_EPCI codes (data-formats.md §11).
NATURE = {"METRO": "ME", "MET69": "METLYON", "CU": "CU", "CA": "CA", "CC": "CC"}


def data_dir() -> Path:
    return ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data"


# --- the national workbook, in INSEE's layout ----------------------------------------------------------------


def write_epci_workbook(path: Path) -> dict[str, int]:
    """Write the INSEE « Intercommunalité - Métropole » workbook of COG 2026 from decoupage-administratif.

    Rows 1-4: title block (row 3 « Géographie au 01/01/2026 »), row 5: French labels, row 6: variable codes, data
    from row 7; codes are text cells; communes outside any EPCI have EPCI ``ZZZZZZZZZ`` and nature ``ZZ``. Every
    current commune is listed (the package's 34,969), so that the benchmark is at least as large as INSEE's file.
    The parts are written as Excel writes them (a shared string table, a ``dimension`` element): openpyxl would
    write inline strings, which read several times slower than the published files do.
    """
    communes = json.loads((data_dir() / "communes.json").read_text(encoding="utf-8"))
    epcis = json.loads((data_dir() / "epci.json").read_text(encoding="utf-8"))
    epci_of: dict[str, dict[str, Any]] = {}
    for epci in epcis:
        for member in epci["membres"]:
            epci_of[str(member["code"])] = epci
    current = [item for item in communes if item.get("type") == "commune-actuelle"]
    outside = [item for item in current if str(item["code"]) not in epci_of]

    def title_block(title: str, labels: list[str], codes: list[str]) -> list[list[Any]]:
        return [
            [title],
            ["Intercommunalités à fiscalité propre"],
            [f"Mise en ligne le 15/02/{VINTAGE} - Géographie au 01/01/{VINTAGE}"],
            ["© Insee  Source(s) : Insee, Code officiel géographique ; DGCL, BANATIC"],
            labels,
            codes,
        ]

    epci_sheet = title_block(
        f"Liste des EPCI à fiscalité propre au 1er janvier {VINTAGE}",
        ["Code de l'EPCI", "Libellé de l'EPCI", "Nature d'EPCI", "Nombre de communes"],
        ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"],
    )
    epci_sheet += [[str(epci["code"]), epci["nom"], NATURE[epci["type"]], len(epci["membres"])] for epci in epcis]
    epci_sheet.append([NO_EPCI, "Sans objet", "ZZ", len(outside)])
    composition = title_block(
        f"Composition communale des EPCI à fiscalité propre au 1er janvier {VINTAGE}",
        ["Code géographique", "Libellé géographique", "Code de l'EPCI", "Libellé de l'EPCI", "Département", "Région"],
        ["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"],
    )
    for item in current:
        epci = epci_of.get(str(item["code"]))
        composition.append(
            [
                str(item["code"]),
                item["nom"],
                str(epci["code"]) if epci else NO_EPCI,
                epci["nom"] if epci else "Sans objet",
                str(item["departement"]),
                str(item["region"]),
            ]
        )
    variables = [["Variable", "Libellé"], ["CODGEO", "Code géographique"], ["EPCI", "Code de l'EPCI"]]
    documentation = [["Composition communale des EPCI au 1er janvier : voir insee.fr/fr/information/2510634"]]
    write_xlsx(
        path,
        [
            ("EPCI", epci_sheet),
            ("Composition_communale", composition),
            ("Variables", variables),
            ("Documentation", documentation),
        ],
    )
    return {"epci": len(epcis), "communes": len(current), "communes_hors_epci": len(outside)}


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    """A minimal SpreadsheetML package as Excel saves it: shared strings, numbers as numeric cells."""
    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}

    def cell(reference: str, value: Any) -> str:
        if isinstance(value, int | float):
            return f'<c r="{reference}"><v>{value}</v></c>'
        index = strings.setdefault(str(value), len(strings))
        return f'<c r="{reference}" t="s"><v>{index}</v></c>'

    parts: dict[str, str] = {}
    for number, (_, rows) in enumerate(sheets, start=1):
        width = max(len(row) for row in rows)
        body = "".join(
            f'<row r="{line}">'
            + "".join(
                cell(f"{get_column_letter(column)}{line}", value)
                for column, value in enumerate(row, start=1)
                if value is not None
            )
            + "</row>"
            for line, row in enumerate(rows, start=1)
        )
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}">'
            f'<dimension ref="A1:{get_column_letter(width)}{len(rows)}"/><sheetData>{body}</sheetData></worksheet>'
        )
    shared = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{shared}</sst>'
    )
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{MAIN_NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
    listed = "".join(
        f'<sheet name="{escape(name)}" sheetId="{number}" r:id="rId{number}"/>'
        for number, (name, _) in enumerate(sheets, start=1)
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f"<sheets>{listed}</sheets></workbook>"
    )
    relations = "".join(
        f'<Relationship Id="rId{number}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{number}.xml"/>'
        for number in range(1, len(sheets) + 1)
    )
    relations += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    relations += f'<Relationship Id="rIdT" Type="{REL_NS}/styles" Target="styles.xml"/>'
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PACKAGE_REL_NS}">'
        f"{relations}</Relationships>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PACKAGE_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{CONTENT_TYPE}.worksheet+xml"/>'
        for number in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT_TYPE}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT_TYPE}.styles+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]:
            archive.writestr(name, parts.pop(name))
        for name, content in parts.items():
            archive.writestr(name, content)


# --- the child process: one database ---------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    code_root = Path(args.code_root).resolve()
    sys.path.insert(0, str(code_root))
    os.chdir(code_root)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"  # no query log: it would grow with every statement
    import django

    django.setup()
    from django.core.management import call_command

    from contrat_ville.territories.models import Territory, TerritoryLink

    result: dict[str, Any] = {}

    def timed(key: str, *command: Any, **options: Any) -> None:
        start = time.perf_counter()
        call_command(*command, stdout=open(os.devnull, "w"), **options)  # noqa: SIM115 — closed with the process
        result[key] = time.perf_counter() - start

    timed("migrate_s", "migrate", verbosity=0)
    timed("reference_s", "load_reference_territories", data_dir=data_dir())
    result["territories"] = Territory.objects.count()
    timed("epci_s", "import_epci", args.workbook)
    result["links"] = TerritoryLink.objects.count()
    timed("epci_again_s", "import_epci", args.workbook)
    timed("reference_again_s", "load_reference_territories", data_dir=data_dir())
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# --- the parent: one subprocess per database, then the table ---------------------------------------------------


def _postgres_admin_url(server_url: str) -> str:
    base = server_url.split("?", 1)[0].rstrip("/")
    scheme, rest = base.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/postgres"


def postgres_recreate(server_url: str, *, drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(_postgres_admin_url(server_url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    return _postgres_admin_url(server_url).rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE


def run_child(database_url: str, args: argparse.Namespace, workbook: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--database-url",
        database_url,
        "--code-root",
        args.code_root,
        "--workbook",
        str(workbook),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    raise SystemExit(f"échec du sous-processus ({completed.returncode}) :\n{completed.stdout}\n{completed.stderr}")


def verdict(seconds: float) -> str:
    return f"{'PASS' if seconds <= TARGET_SECONDS else 'MISS'} (x{seconds / TARGET_SECONDS:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres, ou les deux")
    parser.add_argument("--code-root", default=str(ROOT), help="racine du code mesuré (par défaut ce dépôt)")
    parser.add_argument("--keep", action="store_true", help="garder le dossier temporaire et la base PostgreSQL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--workbook", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    sys.path.insert(0, str(ROOT))
    from benchmarks.observation import machine_description, postgres_version

    server = os.environ.get("BENCH_IMPORTS_POSTGRES_URL", DEFAULT_POSTGRES_SERVER)
    workdir = Path(tempfile.mkdtemp(prefix="cv-bench-imports-"))
    workbook = workdir / f"Intercommunalite_Metropole_au_01-01-{VINTAGE}.xlsx"
    start = time.perf_counter()
    sizes = write_epci_workbook(workbook)
    print(f"classeur écrit en {time.perf_counter() - start:.1f} s : {workbook} ({sizes})", file=sys.stderr)
    results: dict[str, dict[str, Any]] = {}
    try:
        for database in [name.strip() for name in args.databases.split(",") if name.strip()]:
            if database == "sqlite":
                url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            elif database == "postgres":
                url = postgres_recreate(server)
            else:
                raise SystemExit(f"base inconnue : {database}")
            print(f"[{database}] mesure…", file=sys.stderr)
            results[database] = run_child(url, args, workbook)
            if database == "postgres" and not args.keep:
                postgres_recreate(server, drop_only=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    header = machine_description()
    if "postgres" in results:
        header["postgresql"] = postgres_version(server)
    print(f"Code mesuré : {Path(args.code_root).resolve()}")
    print("Machine : " + ", ".join(f"{key} {value}" for key, value in header.items()))
    print(
        f"Classeur : {sizes['epci']} EPCI, {sizes['communes']} communes "
        f"(dont {sizes['communes_hors_epci']} hors EPCI), COG {VINTAGE}"
    )
    rows = [
        ("migrate (base vide)", "migrate_s", False),
        ("load_reference_territories (France entière)", "reference_s", True),
        ("import_epci (classeur national)", "epci_s", True),
        ("import_epci, second passage (tout existe)", "epci_again_s", True),
        ("load_reference_territories, second passage", "reference_again_s", True),
    ]
    names = list(results)
    print("| mesure | " + " | ".join(names) + f" | cible (≤ {TARGET_SECONDS:.0f} s) |")
    print("|---|" + "---|" * len(names) + "---|")
    for label, key, targeted in rows:
        cells = []
        for name in names:
            seconds = results[name].get(key)
            cells.append("—" if seconds is None else f"{seconds:.1f} s" + (f" {verdict(seconds)}" if targeted else ""))
        print(f"| {label} | " + " | ".join(cells) + f" | {'oui' if targeted else ''} |")
    for name in names:
        with contextlib.suppress(KeyError):
            print(f"[{name}] territoires : {results[name]['territories']}, liens : {results[name]['links']}")
    if args.keep:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
