"""IGN « CONTOURS-IRIS » files: GeoPackage (layer ``contours_iris``, lower-case fields, since 2024), a
GeoJSON export of it, or the older shapefile with upper-case fields (data-formats §2.3).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    CommuneResolver,
    ImportFileError,
    ImportReport,
    LinkSpec,
    progress_bar,
    start_batch,
    sync_links,
    upsert_territories,
)
from contrat_ville.territories.importers.derived import (
    epcis_of_communes,
    fill_commune_geometries,
    fill_epci_geometries,
    link_qpvs_to_iris,
)
from contrat_ville.territories.importers.geo import area_hectares, make_valid, read_features, to_geojson
from contrat_ville.territories.models import TerritoryLink

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


def _field_names(path: Path, properties: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for key, candidates in FIELDS.items():
        found = next((candidate for candidate in candidates if candidate in properties), None)
        if found is None:
            raise ImportFileError(
                path.name, 1, candidates[0], f"champ « {candidates[0]} » (ou « {candidates[1]} ») absent"
            )
        names[key] = found
    return names


def import_iris(path: Path, *, vintage: str, progress: bool = False) -> ImportReport:
    features = list(read_features(path, layer="contours_iris"))
    if not features:
        raise ImportFileError(path.name, 1, "features", "aucun IRIS dans le fichier")
    names = _field_names(path, features[0].properties)
    resolver = CommuneResolver()
    rows: list[dict[str, Any]] = []
    commune_of: dict[str, int] = {}
    warnings: list[str] = []
    for feature in progress_bar(features, enabled=progress, desc="IRIS"):
        values = {key: feature.properties.get(name) for key, name in names.items()}
        code = str(values["code_iris"] or "").strip()
        if len(code) == 8 and code.isdigit():
            code = "0" + code
        if not IRIS_CODE_RE.match(code):
            raise ImportFileError(
                path.name, feature.line, names["code_iris"], f"code IRIS « {code} » invalide (9 caractères attendus)"
            )
        iris_type = str(values["type_iris"] or "").strip()
        if iris_type not in IRIS_TYPES:
            raise ImportFileError(
                path.name, feature.line, names["type_iris"], f"type d'IRIS « {iris_type} » invalide (H, A, D ou Z)"
            )
        match = resolver.resolve(code[:5], context=code)
        if match is None:
            raise ImportFileError(
                path.name,
                feature.line,
                names["code_iris"],
                f"commune « {code[:5]} » de l'IRIS {code} inconnue (aucun millésime importé)",
            )
        if match.warning:
            warnings.append(match.warning.replace("le quartier est rattaché", "l'IRIS est rattaché"))
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

    with transaction.atomic():
        report = start_batch(importer="import_iris", source=path.name, producer=PRODUCER, vintage=vintage)
        report.warnings.extend(dict.fromkeys(warnings))
        iris, counts = upsert_territories(kind=TerritoryKind.IRIS, vintage=vintage, rows=rows, batch=report.batch)
        report.add(counts)
        sync_links(
            links=[LinkSpec(parent_id=commune_of[code], child_id=iris[code].pk) for code in commune_of],
            batch=report.batch,
            child_ids=[territory.pk for territory in iris.values()],
            parent_kind=TerritoryKind.COMMUNE,
        )
        commune_ids = sorted(set(commune_of.values()))
        fill_commune_geometries(commune_ids)
        fill_epci_geometries(epcis_of_communes(commune_ids))
        qpv_ids = list(
            TerritoryLink.objects.filter(parent_id__in=commune_ids, child__kind=TerritoryKind.QPV)
            .values_list("child_id", flat=True)
            .distinct()
        )
        link_qpvs_to_iris(qpv_ids, batch=report.batch)
        return report.finish()
