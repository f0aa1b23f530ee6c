"""INSEE « Code officiel géographique » CSV files: v_region_AAAA, v_departement_AAAA, v_commune_AAAA.

Comma-separated UTF-8 (data-formats §4.1). The COG year is the vintage of every row, because codes
are reused: a commune code of 2024 may name a merged commune in 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.imports.cells import not_a_number, parse_whole_number
from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.imports.readers import DelimitedTable, read_delimited, require_columns
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    DEPARTEMENT_CODE_RE,
    REGION_CODE_RE,
    link_to_parents,
    new_batch,
    pad_commune_code,
    progress_bar,
    save_territories,
    territory_ids,
)

PRODUCER = "Insee — Code officiel géographique"
REGION_COLUMNS = ["REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"]
DEPARTEMENT_COLUMNS = ["DEP", "REG", "CHEFLIEU", "TNCC", "NCC", "NCCENR", "LIBELLE"]
COMMUNE_COLUMNS = [
    "TYPECOM",
    "COM",
    "REG",
    "DEP",
    "CTCD",
    "ARR",
    "TNCC",
    "NCC",
    "NCCENR",
    "LIBELLE",
    "CAN",
    "COMPARENT",
]
# Columns read by each importer; the others are listed in the report as not used.
READ = {
    "import_regions": ("REG", "CHEFLIEU", "TNCC", "LIBELLE"),
    "import_departements": ("DEP", "REG", "CHEFLIEU", "TNCC", "LIBELLE"),
    "import_communes": ("TYPECOM", "COM", "DEP", "ARR", "TNCC", "LIBELLE", "COMPARENT"),
}


@dataclass(frozen=True)
class _CogFile:
    lines: Iterator[tuple[int, dict[str, str]]]  # (line number, column → stripped value)
    table: DelimitedTable
    issues: Issues
    batch: ImportBatch


@contextmanager
def _cog_file(path: Path, *, importer: str, vintage: str, required: list[str]) -> Iterator[_CogFile]:
    """A COG file opened strictly (UTF-8, comma), its rows as dicts of stripped values, its issues and batch."""
    source = source_of(path)
    issues = Issues(source.name)
    batch = new_batch(importer=importer, source=source.name, producer=PRODUCER, vintage=vintage)
    with read_delimited(source, issues, separators=(",",), encodings=("utf-8",)) as table:
        require_columns(issues, table.header, required)
        batch.leave_columns(name for name in table.header if name not in READ[importer])
        lines = (
            (line, {name: cells[index].strip() for index, name in enumerate(table.header)})
            for line, cells in table.rows
        )
        yield _CogFile(lines, table, issues, batch)


def _tncc(values: dict[str, str], issues: Issues, line: int) -> int | None:
    """The article type of the name (« TNCC », a whole number 0 to 8): text there is a fault of the file."""
    try:
        tncc = parse_whole_number(values["TNCC"])
    except ValueError:
        issues.add(not_a_number(values["TNCC"], whole=True), line=line, column="TNCC")
        return None
    if not 0 <= tncc <= 8:
        issues.add(f"TNCC « {values['TNCC']} » hors des valeurs 0 à 8", line=line, column="TNCC")
        return None
    return tncc


def _chef_lieu_row(code: str, values: dict[str, str], issues: Issues, line: int) -> dict[str, Any] | None:
    """A région's or département's row: code, name, chef-lieu and article type (None if the TNCC is faulty)."""
    tncc = _tncc(values, issues, line)
    if tncc is None:
        return None
    return {"code": code, "name": values["LIBELLE"], "attributes": {"cheflieu": values["CHEFLIEU"], "tncc": tncc}}


@transaction.atomic
def import_regions(path: Path, *, vintage: str, progress: bool = False) -> ImportBatch:
    rows: list[dict[str, Any]] = []
    with _cog_file(path, importer="import_regions", vintage=vintage, required=REGION_COLUMNS) as cog:
        issues, batch = cog.issues, cog.batch
        for line, values in progress_bar(cog.lines, enabled=progress, desc="Régions"):
            code = values["REG"]
            if not REGION_CODE_RE.match(code):
                issues.add(f"code de région « {code} » invalide (2 chiffres)", line=line, column="REG")
                continue
            row = _chef_lieu_row(code, values, issues, line)
            if row is None:
                continue
            rows.append(row)
        cog.table.refuse_if_empty(issues)
    save_territories(batch, kind=TerritoryKind.REGION, vintage=vintage, rows=rows)
    batch.save()
    return batch


@transaction.atomic
def import_departements(path: Path, *, vintage: str, progress: bool = False) -> ImportBatch:
    rows: list[dict[str, Any]] = []
    region_of: dict[str, str] = {}
    with _cog_file(path, importer="import_departements", vintage=vintage, required=DEPARTEMENT_COLUMNS) as cog:
        issues, batch = cog.issues, cog.batch
        regions = territory_ids(TerritoryKind.REGION, vintage)
        for line, values in progress_bar(cog.lines, enabled=progress, desc="Départements"):
            code, region = values["DEP"], values["REG"]
            if not DEPARTEMENT_CODE_RE.match(code):
                issues.add(f"code de département « {code} » invalide", line=line, column="DEP")
                continue
            if region not in regions:
                issues.add(f"région « {region} » inconnue (millésime {vintage})", line=line, column="REG")
                continue
            row = _chef_lieu_row(code, values, issues, line)
            if row is None:
                continue
            rows.append(row)
            region_of[code] = region
        cog.table.refuse_if_empty(issues)
    departements = save_territories(batch, kind=TerritoryKind.DEPARTEMENT, vintage=vintage, rows=rows)
    link_to_parents(
        batch, region_of, parents=(TerritoryKind.REGION, regions), children=(TerritoryKind.DEPARTEMENT, departements)
    )
    batch.save()
    return batch


@transaction.atomic
def import_communes(path: Path, *, vintage: str, progress: bool = False) -> ImportBatch:
    """Communes (``TYPECOM=COM``) and municipal arrondissements (``ARM``, linked to their ``COMPARENT``).

    Associated and delegated communes (``COMA``/``COMD``) are not territories of their own any more:
    their codes go into the parent's ``former_codes``, so that files still using them (QPV 2024 lists
    93059 after its merger into 93066) can be linked to the commune that absorbed them.
    """
    rows: list[dict[str, Any]] = []
    departement_of: dict[str, str] = {}
    arrondissement_parent: dict[str, tuple[str, int]] = {}
    former_codes: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    with _cog_file(path, importer="import_communes", vintage=vintage, required=COMMUNE_COLUMNS) as cog:
        issues, batch = cog.issues, cog.batch
        departements = territory_ids(TerritoryKind.DEPARTEMENT, vintage)
        for line, values in progress_bar(cog.lines, enabled=progress, desc="Communes"):
            typecom = values["TYPECOM"]
            code = pad_commune_code(values["COM"])
            if not COMMUNE_CODE_RE.match(code):
                issues.add(
                    f"code de commune « {values['COM']} » invalide (5 caractères attendus)", line=line, column="COM"
                )
                continue
            if typecom in {"COMA", "COMD"}:
                parent = pad_commune_code(values["COMPARENT"])
                if parent and parent != code:
                    former_codes.setdefault(parent, []).append(code)
                continue
            if typecom not in {"COM", "ARM"}:
                issues.add(f"type « {typecom} » inconnu (COM, ARM, COMA ou COMD attendu)", line=line, column="TYPECOM")
                continue
            if code in seen:
                issues.add(f"commune « {code} » en double (déjà ligne {seen[code]})", line=line, column="COM")
                continue
            seen[code] = line
            tncc = _tncc(values, issues, line)
            if tncc is None:
                continue
            attributes = {"typecom": typecom, "tncc": tncc, "arrondissement": values["ARR"]}
            if typecom == "ARM":
                parent = pad_commune_code(values["COMPARENT"])
                if not COMMUNE_CODE_RE.match(parent):
                    issues.add(
                        f"commune parente « {parent} » invalide pour l'arrondissement", line=line, column="COMPARENT"
                    )
                    continue
                arrondissement_parent[code] = (parent, line)
                attributes["comparent"] = parent
            else:
                departement = values["DEP"]
                if not DEPARTEMENT_CODE_RE.match(departement):
                    issues.add(f"code de département « {departement} » invalide", line=line, column="DEP")
                    continue
                if departement not in departements:
                    issues.add(f"département « {departement} » inconnu (millésime {vintage})", line=line, column="DEP")
                    continue
                departement_of[code] = departement
            rows.append({"code": code, "name": values["LIBELLE"], "attributes": attributes})
        for parent, line in arrondissement_parent.values():
            if parent not in departement_of:
                issues.add(f"commune parente « {parent} » absente du fichier", line=line, column="COMPARENT")
        cog.table.refuse_if_empty(issues)
    for row_values in rows:
        row_values["former_codes"] = sorted(set(former_codes.get(row_values["code"], [])))

    communes = save_territories(batch, kind=TerritoryKind.COMMUNE, vintage=vintage, rows=rows)
    commune_level = (TerritoryKind.COMMUNE, communes)
    link_to_parents(batch, departement_of, parents=(TerritoryKind.DEPARTEMENT, departements), children=commune_level)
    commune_of = {code: parent for code, (parent, _) in arrondissement_parent.items()}
    link_to_parents(batch, commune_of, parents=commune_level, children=commune_level)
    batch.save()
    return batch
