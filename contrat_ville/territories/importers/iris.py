"""IGN « CONTOURS-IRIS » files: GeoPackage (layer ``contours_iris``, lower-case fields, since 2024), a
GeoJSON export of it, or the older shapefile with upper-case fields (data-formats §2.3).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    CommuneResolver,
    LinkSpec,
    new_batch,
    progress_bar,
    save_territories,
    sync_links,
)
from contrat_ville.territories.importers.derived import (
    epcis_of_communes,
    fill_commune_geometries,
    fill_epci_geometries,
    link_qpvs_to_iris,
    qpvs_of_communes,
)
from contrat_ville.territories.importers.geo import area_hectares, make_valid, read_features, to_geojson

PRODUCER = "IGN — CONTOURS-IRIS"
IRIS_CODE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})\d{4}$")
IRIS_TYPES = {"H", "A", "D", "Z"}
# Field names by file generation: GeoPackage 3.0 (lower case) and shapefile 2.1 (upper case).
FIELDS = {
    "code_iris": ("code_iris", "CODE_IRIS"),
    "nom_iris": ("nom_iris", "NOM_IRIS"),
    "type_iris": ("type_iris", "TYP_IRIS"),
    "code_insee": ("code_insee", "INSEE_COM"),
    "nom_commune": ("nom_commune", "NOM_COM"),
}


def _field_names(issues: Issues, properties: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for key, candidates in FIELDS.items():
        found = next((candidate for candidate in candidates if candidate in properties), None)
        if found is None:
            issues.add(f"champ « {candidates[0]} » (ou « {candidates[1]} ») absent", line=1, column=candidates[0])
            continue
        names[key] = found
    issues.refuse_if_any()
    return names


def import_iris(path: Path, *, vintage: str, progress: bool = False) -> ImportBatch:
    issues = Issues(path.name)
    features = read_features(path, issues, layer="contours_iris")
    if not features:
        issues.refuse_if_any()
        issues.fatal("aucun IRIS dans le fichier : rien n'a été importé", column="features")
    names = _field_names(issues, features[0].properties)
    batch = new_batch(importer="import_iris", source=path.name, producer=PRODUCER, vintage=vintage)
    batch.leave_columns(sorted(name for name in features[0].properties if name not in names.values()))
    resolver = CommuneResolver()
    rows: list[dict[str, Any]] = []
    commune_of: dict[str, int] = {}
    for feature in progress_bar(features, enabled=progress, desc="IRIS"):
        values = {key: feature.properties.get(name) for key, name in names.items()}
        code = str(values["code_iris"] or "").strip()
        if len(code) == 8 and code.isdigit():
            code = "0" + code
        if not IRIS_CODE_RE.match(code):
            issues.add(
                f"code IRIS « {code} » invalide (9 caractères attendus)", line=feature.line, column=names["code_iris"]
            )
            continue
        iris_type = str(values["type_iris"] or "").strip()
        if iris_type not in IRIS_TYPES:
            issues.add(
                f"type d'IRIS « {iris_type} » invalide (H, A, D ou Z)", line=feature.line, column=names["type_iris"]
            )
            continue
        match = resolver.resolve(code[:5], context=code)
        if match is None:
            issues.add(
                f"commune « {code[:5]} » de l'IRIS {code} inconnue (aucun millésime importé)",
                line=feature.line,
                column=names["code_iris"],
            )
            continue
        if match.warning:
            batch.warn(match.warning.replace("le quartier est rattaché", "l'IRIS est rattaché"))
        commune_of[code] = match.commune.pk
        row: dict[str, Any] = {
            "code": code,
            "name": str(values["nom_iris"] or code).strip(),
            "attributes": {"type_iris": iris_type, "nom_commune": str(values["nom_commune"] or "").strip()},
        }
        if feature.geometry is not None:
            geometry = make_valid(feature.geometry)
            row["geometry"] = to_geojson(geometry, simplify=True)
            row["area_ha"] = Decimal(f"{area_hectares(geometry):.2f}")
        rows.append(row)
    issues.refuse_if_any()
    return _write(batch, rows, commune_of, vintage)


@transaction.atomic
def _write(batch: ImportBatch, rows: list[dict[str, Any]], commune_of: dict[str, int], vintage: str) -> ImportBatch:
    iris = save_territories(batch, kind=TerritoryKind.IRIS, vintage=vintage, rows=rows)
    sync_links(
        links=[LinkSpec(parent_id=commune_of[code], child_id=iris[code]) for code in commune_of],
        batch=batch,
        child_ids=iris.values(),
        parent_kind=TerritoryKind.COMMUNE,
        child_kind=TerritoryKind.IRIS,
        child_vintage=vintage,
    )
    commune_ids = sorted(set(commune_of.values()))
    fill_commune_geometries(commune_ids)
    fill_epci_geometries(epcis_of_communes(commune_ids))
    link_qpvs_to_iris(qpvs_of_communes(commune_ids), batch=batch)
    batch.save()
    return batch
