"""INSEE « Code officiel géographique » CSV files: v_region_AAAA, v_departement_AAAA, v_commune_AAAA.

Comma-separated UTF-8 (data-formats §4.1). The COG year is the vintage of every row, because codes
are reused: a commune code of 2024 may name a merged commune in 2026.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    DEPARTEMENT_CODE_RE,
    REGION_CODE_RE,
    ImportFileError,
    ImportReport,
    LinkSpec,
    pad_commune_code,
    progress_bar,
    start_batch,
    sync_links,
    territories_by_code,
    upsert_territories,
)
from contrat_ville.territories.importers.tabular import read_csv

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


def import_regions(path: Path, *, vintage: str, progress: bool = False) -> ImportReport:
    rows: list[dict[str, Any]] = []
    for row in progress_bar(read_csv(path, required=REGION_COLUMNS), enabled=progress, desc="Régions"):
        code = row.values["REG"]
        if not REGION_CODE_RE.match(code):
            raise ImportFileError(path.name, row.line, "REG", f"code de région « {code} » invalide (2 chiffres)")
        rows.append({"code": code, "name": row.values["LIBELLE"], "attributes": {"cheflieu": row.values["CHEFLIEU"]}})
    with transaction.atomic():
        report = start_batch(importer="import_regions", source=path.name, producer=PRODUCER, vintage=vintage)
        _, counts = upsert_territories(kind=TerritoryKind.REGION, vintage=vintage, rows=rows, batch=report.batch)
        report.add(counts)
        return report.finish()


def import_departements(path: Path, *, vintage: str, progress: bool = False) -> ImportReport:
    rows: list[dict[str, Any]] = []
    parents: dict[str, str] = {}
    region_lines: dict[str, int] = {}
    for row in progress_bar(read_csv(path, required=DEPARTEMENT_COLUMNS), enabled=progress, desc="Départements"):
        code, region = row.values["DEP"], row.values["REG"]
        if not DEPARTEMENT_CODE_RE.match(code):
            raise ImportFileError(path.name, row.line, "DEP", f"code de département « {code} » invalide")
        rows.append({"code": code, "name": row.values["LIBELLE"], "attributes": {"cheflieu": row.values["CHEFLIEU"]}})
        parents[code] = region
        region_lines.setdefault(region, row.line)
    with transaction.atomic():
        regions = territories_by_code(TerritoryKind.REGION, vintage, parents.values())
        for region, line in region_lines.items():
            if region not in regions:
                raise ImportFileError(path.name, line, "REG", f"région « {region} » inconnue (millésime {vintage})")
        report = start_batch(importer="import_departements", source=path.name, producer=PRODUCER, vintage=vintage)
        departements, counts = upsert_territories(
            kind=TerritoryKind.DEPARTEMENT, vintage=vintage, rows=rows, batch=report.batch
        )
        report.add(counts)
        links = [LinkSpec(parent_id=regions[parents[code]].pk, child_id=departements[code].pk) for code in parents]
        sync_links(
            links=links,
            batch=report.batch,
            child_ids=[departements[code].pk for code in parents],
            parent_kind=TerritoryKind.REGION,
        )
        return report.finish()


def import_communes(path: Path, *, vintage: str, progress: bool = False) -> ImportReport:
    """Communes (``TYPECOM=COM``) and municipal arrondissements (``ARM``, linked to their ``COMPARENT``).

    Associated and delegated communes (``COMA``/``COMD``) are not territories of their own any more:
    their codes go into the parent's ``former_codes``, so that files still using them (QPV 2024 lists
    93059 after its merger into 93066) can be linked to the commune that absorbed them.
    """
    rows: list[dict[str, Any]] = []
    departement_of: dict[str, tuple[str, int]] = {}
    arrondissement_parent: dict[str, tuple[str, int]] = {}
    former_codes: dict[str, list[str]] = {}
    seen: set[str] = set()
    for row in progress_bar(read_csv(path, required=COMMUNE_COLUMNS), enabled=progress, desc="Communes"):
        typecom = row.values["TYPECOM"]
        code = pad_commune_code(row.values["COM"])
        if not COMMUNE_CODE_RE.match(code):
            raise ImportFileError(
                path.name, row.line, "COM", f"code de commune « {row.values['COM']} » invalide (5 caractères attendus)"
            )
        if typecom in {"COMA", "COMD"}:
            parent = pad_commune_code(row.values["COMPARENT"])
            if parent and parent != code:
                former_codes.setdefault(parent, []).append(code)
            continue
        if typecom not in {"COM", "ARM"}:
            raise ImportFileError(
                path.name, row.line, "TYPECOM", f"type « {typecom} » inconnu (COM, ARM, COMA ou COMD attendu)"
            )
        if code in seen:
            raise ImportFileError(path.name, row.line, "COM", f"commune « {code} » en double")
        seen.add(code)
        attributes = {"typecom": typecom, "tncc": row.values["TNCC"], "arrondissement": row.values["ARR"]}
        if typecom == "ARM":
            parent = pad_commune_code(row.values["COMPARENT"])
            if not COMMUNE_CODE_RE.match(parent):
                raise ImportFileError(
                    path.name, row.line, "COMPARENT", f"commune parente « {parent} » invalide pour l'arrondissement"
                )
            arrondissement_parent[code] = (parent, row.line)
            attributes["comparent"] = parent
        else:
            departement = row.values["DEP"]
            if not DEPARTEMENT_CODE_RE.match(departement):
                raise ImportFileError(path.name, row.line, "DEP", f"code de département « {departement} » invalide")
            departement_of[code] = (departement, row.line)
        rows.append({"code": code, "name": row.values["LIBELLE"], "attributes": attributes})
    for row_values in rows:
        row_values["former_codes"] = sorted(set(former_codes.get(row_values["code"], [])))
    for parent, line in arrondissement_parent.values():
        if parent not in departement_of:
            raise ImportFileError(path.name, line, "COMPARENT", f"commune parente « {parent} » absente du fichier")

    with transaction.atomic():
        departements = territories_by_code(
            TerritoryKind.DEPARTEMENT, vintage, {dep for dep, _ in departement_of.values()}
        )
        for departement, line in departement_of.values():
            if departement not in departements:
                raise ImportFileError(
                    path.name, line, "DEP", f"département « {departement} » inconnu (millésime {vintage})"
                )
        report = start_batch(importer="import_communes", source=path.name, producer=PRODUCER, vintage=vintage)
        communes, counts = upsert_territories(
            kind=TerritoryKind.COMMUNE, vintage=vintage, rows=rows, batch=report.batch
        )
        report.add(counts)
        sync_links(
            links=[
                LinkSpec(parent_id=departements[dep].pk, child_id=communes[code].pk)
                for code, (dep, _) in departement_of.items()
            ],
            batch=report.batch,
            child_ids=[communes[code].pk for code in departement_of],
            parent_kind=TerritoryKind.DEPARTEMENT,
        )
        sync_links(
            links=[
                LinkSpec(parent_id=communes[parent].pk, child_id=communes[code].pk)
                for code, (parent, _) in arrondissement_parent.items()
            ],
            batch=report.batch,
            child_ids=[communes[code].pk for code in arrondissement_parent],
            parent_kind=TerritoryKind.COMMUNE,
        )
        return report.finish()
