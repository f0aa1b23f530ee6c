"""ANCT « quartiers prioritaires de la politique de la ville » contours, generations 2015 and 2024.

2024: lower-case properties ``code_qp, lib_qp, insee_com`` (comma-separated commune codes),
``lib_com, insee_dep, insee_reg, siren_epci``; codes ``QNdddNNx``. 2015: upper-case ``CODE_QP,
NOM_QP, COMMUNE_QP`` where ``COMMUNE_QP`` holds commune *names*; codes ``QPdddNNN`` (data-formats §1).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    CommuneResolver,
    ImportFileError,
    ImportReport,
    LinkSpec,
    pad_commune_code,
    progress_bar,
    start_batch,
    sync_links,
    upsert_territories,
)
from contrat_ville.territories.importers.derived import area_shares, link_qpvs_to_iris
from contrat_ville.territories.importers.geo import area_hectares, from_geojson, make_valid, read_features, to_geojson
from contrat_ville.territories.models import Territory

PRODUCER = "ANCT — quartiers prioritaires de la politique de la ville"
QPV_CODE_RES = {
    # décret n° 2023-1314: QN + département on 3 characters + order + M/I/N/C (verified on the 1 584 codes).
    "2024": re.compile(r"^QN(0\d[\dAB]|97\d|98\d)\d\d[MINC]$"),
    # décret n° 2014-1750: QP + département on 3 characters + order on 3 digits.
    "2015": re.compile(r"^QP(0\d[\dAB]|97\d)\d{3}$"),
}
FIELDS = {
    "2024": {"code": "code_qp", "name": "lib_qp", "communes": "insee_com"},
    "2015": {"code": "CODE_QP", "name": "NOM_QP", "communes": "COMMUNE_QP"},
}
EXTRA_ATTRIBUTES = ("lib_com", "insee_dep", "insee_reg", "siren_epci")


def qpv_code_is_valid(code: str, *, generation: str) -> bool:
    if generation not in QPV_CODE_RES:
        raise BusinessRuleError(f"Génération de QPV « {generation} » inconnue (2015 ou 2024).")
    return bool(QPV_CODE_RES[generation].match(code))


def departement_of_qpv(code: str) -> str:
    """« QN09359M » → « 93 », « QP02A001 » → « 2A », « QN97661C » → « 976 »."""
    digits = code[2:5]
    return digits[1:] if digits.startswith("0") else digits


def split_shares(raw: dict[int, float]) -> dict[int, Decimal]:
    """Shares > 0 that sum to exactly 1 with 6 decimals (the precision of ``TerritoryLink.share``)."""
    floor = 0.000001
    floored = {key: max(value, floor) for key, value in raw.items()}
    total = sum(floored.values())
    shares = {key: Decimal(f"{value / total:.6f}") for key, value in floored.items()}
    largest = max(shares, key=lambda key: shares[key])
    shares[largest] += Decimal(1) - sum(shares.values())
    return shares


def _fields(path: Path, properties: dict[str, Any], generation: str) -> dict[str, str]:
    """The actual property names: 2024 shapefiles and GeoJSON may differ in case, so match case-insensitively."""
    by_lower = {name.lower(): name for name in properties}
    names: dict[str, str] = {}
    for key, expected in FIELDS[generation].items():
        actual = by_lower.get(expected.lower())
        if actual is None:
            raise ImportFileError(path.name, 1, expected, f"champ « {expected} » absent (QPV {generation})")
        names[key] = actual
    for extra in EXTRA_ATTRIBUTES:
        if extra in by_lower:
            names[extra] = by_lower[extra]
    return names


def import_qpv(path: Path, *, generation: str, progress: bool = False) -> ImportReport:
    """QPV contours and their links to communes (and IRIS when their contours are known).

    A commune code merged since the file was made is linked to the absorbing commune, with a warning;
    only a code unknown in every vintage stops the import.
    """
    if generation not in FIELDS:
        raise BusinessRuleError(f"Génération de QPV « {generation} » inconnue (2015 ou 2024).")
    features = list(read_features(path))
    if not features:
        raise ImportFileError(path.name, 1, "features", "aucun quartier dans le fichier")
    names = _fields(path, features[0].properties, generation)
    resolver = CommuneResolver()
    rows: list[dict[str, Any]] = []
    communes_of: dict[str, dict[int, Territory]] = {}
    warnings: list[str] = []
    seen: set[str] = set()
    for feature in progress_bar(features, enabled=progress, desc=f"QPV {generation}"):
        properties = feature.properties
        code = str(properties.get(names["code"]) or "").strip()
        if not qpv_code_is_valid(code, generation=generation):
            raise ImportFileError(
                path.name,
                feature.line,
                names["code"],
                f"code de quartier « {code} » invalide (génération {generation})",
            )
        if code in seen:
            raise ImportFileError(path.name, feature.line, names["code"], f"quartier « {code} » en double")
        seen.add(code)
        raw_communes = str(properties.get(names["communes"]) or "").strip()
        if not raw_communes:
            raise ImportFileError(path.name, feature.line, names["communes"], f"{code} : aucune commune indiquée")
        communes: dict[int, Territory] = {}
        for item in (part.strip() for part in raw_communes.split(",") if part.strip()):
            if generation == "2024":
                commune_code = pad_commune_code(item)
                if not COMMUNE_CODE_RE.match(commune_code):
                    raise ImportFileError(
                        path.name, feature.line, names["communes"], f"{code} : code de commune « {item} » invalide"
                    )
                match = resolver.resolve(commune_code, context=code)
                if match is None:
                    raise ImportFileError(
                        path.name,
                        feature.line,
                        names["communes"],
                        f"{code} : commune « {commune_code} » inconnue dans tous les millésimes importés",
                    )
                if match.warning:
                    warnings.append(match.warning)
                communes[match.commune.pk] = match.commune
            else:
                departement = departement_of_qpv(code)
                commune = resolver.resolve_name(departement, item)
                if commune is None:
                    raise ImportFileError(
                        path.name,
                        feature.line,
                        names["communes"],
                        f"{code} : commune « {item} » introuvable dans le département {departement} "
                        f"(COG {resolver.vintage or 'non importé'})",
                    )
                communes[commune.pk] = commune
        communes_of[code] = communes
        attributes: dict[str, Any] = {
            key: str(properties[name]).strip()
            for key, name in names.items()
            if key in EXTRA_ATTRIBUTES and properties.get(name) is not None
        }
        attributes["communes"] = raw_communes
        if generation == "2024":
            attributes["suffix"] = code[-1]
        row: dict[str, Any] = {
            "code": code,
            "name": str(properties.get(names["name"]) or code).strip(),
            "attributes": attributes,
        }
        if feature.geometry is not None:
            if not feature.geometry.is_valid:
                warnings.append(f"{code} : contour invalide réparé (make_valid)")
            geometry = make_valid(feature.geometry)
            row["geometry"] = to_geojson(geometry)
            row["area_ha"] = Decimal(f"{area_hectares(geometry):.2f}")
        rows.append(row)

    with transaction.atomic():
        report = start_batch(importer="import_qpv", source=path.name, producer=PRODUCER, vintage=generation)
        report.warnings.extend(dict.fromkeys(warnings))
        qpvs, counts = upsert_territories(kind=TerritoryKind.QPV, vintage=generation, rows=rows, batch=report.batch)
        report.add(counts)
        sync_links(
            links=_commune_links(qpvs, communes_of),
            batch=report.batch,
            child_ids=[qpv.pk for qpv in qpvs.values()],
            parent_kind=TerritoryKind.COMMUNE,
        )
        link_qpvs_to_iris([qpv.pk for qpv in qpvs.values()], batch=report.batch)
        return report.finish()


def _commune_links(qpvs: dict[str, Territory], communes_of: dict[str, dict[int, Territory]]) -> list[LinkSpec]:
    """Inclusion in a single commune; across several, the part of the QPV's area in each commune
    (equal parts when a commune has no contour yet)."""
    geometries = {
        commune.pk: commune.geometry
        for commune in Territory.objects.filter(
            pk__in={pk for communes in communes_of.values() for pk in communes}
        ).only("pk", "geometry")
    }
    links: list[LinkSpec] = []
    for code, communes in communes_of.items():
        qpv = qpvs[code]
        if len(communes) == 1:
            links.append(LinkSpec(parent_id=next(iter(communes)), child_id=qpv.pk))
            continue
        target = from_geojson(qpv.geometry)
        pieces = {pk: from_geojson(geometries.get(pk)) for pk in communes}
        raw: dict[int, float] = dict.fromkeys(communes, 1.0)
        if target is not None and all(piece is not None for piece in pieces.values()):
            measured = area_shares(target, {pk: piece for pk, piece in pieces.items() if piece is not None})
            if measured:
                raw = {pk: float(measured.get(pk, 0)) for pk in communes}
        links.extend(
            LinkSpec(parent_id=pk, child_id=qpv.pk, kind=LinkKind.OVERLAP, share=share)
            for pk, share in split_shares(raw).items()
        )
    return links
