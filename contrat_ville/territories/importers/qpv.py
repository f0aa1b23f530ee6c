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
from contrat_ville.core.imports.errors import Issues
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import LinkKind, TerritoryKind
from contrat_ville.territories.importers.base import (
    COMMUNE_CODE_RE,
    CommuneResolver,
    LinkSpec,
    new_batch,
    pad_commune_code,
    progress_bar,
    save_territories,
    sync_links,
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


def _fields(issues: Issues, properties: dict[str, Any], generation: str) -> dict[str, str]:
    """The actual property names: 2024 shapefiles and GeoJSON may differ in case, so match case-insensitively."""
    by_lower = {name.lower(): name for name in properties}
    names: dict[str, str] = {}
    for key, expected in FIELDS[generation].items():
        actual = by_lower.get(expected.lower())
        if actual is None:
            issues.add(f"champ « {expected} » absent (QPV {generation})", line=1, column=expected)
            continue
        names[key] = actual
    issues.refuse_if_any()
    for extra in EXTRA_ATTRIBUTES:
        if extra in by_lower:
            names[extra] = by_lower[extra]
    return names


def import_qpv(path: Path, *, generation: str, progress: bool = False) -> ImportBatch:
    """QPV contours and their links to communes (and IRIS when their contours are known).

    A commune code merged since the file was made is linked to the absorbing commune, with a warning;
    only a code unknown in every vintage is a fault of the file.
    """
    if generation not in FIELDS:
        raise BusinessRuleError(f"Génération de QPV « {generation} » inconnue (2015 ou 2024).")
    issues = Issues(path.name)
    features = read_features(path, issues)
    if not features:
        issues.refuse_if_any()
        issues.fatal("aucun quartier dans le fichier : rien n'a été importé", column="features")
    names = _fields(issues, features[0].properties, generation)
    batch = new_batch(importer="import_qpv", source=path.name, producer=PRODUCER, vintage=generation)
    batch.leave_columns(sorted(name for name in features[0].properties if name not in names.values()))
    resolver = CommuneResolver()
    rows: list[dict[str, Any]] = []
    communes_of: dict[str, set[int]] = {}
    seen: dict[str, int] = {}
    for feature in progress_bar(features, enabled=progress, desc=f"QPV {generation}"):
        properties = feature.properties
        code = str(properties.get(names["code"]) or "").strip()

        def fault(detail: str, column: str, line: int = feature.line) -> None:
            issues.add(detail, line=line, column=column)

        if not qpv_code_is_valid(code, generation=generation):
            fault(f"code de quartier « {code} » invalide (génération {generation})", names["code"])
            continue
        if code in seen:
            fault(f"quartier « {code} » en double (déjà ligne {seen[code]})", names["code"])
            continue
        seen[code] = feature.line
        raw_communes = str(properties.get(names["communes"]) or "").strip()
        if not raw_communes:
            fault(f"{code} : aucune commune indiquée", names["communes"])
            continue
        communes: set[int] = set()
        for item in (part.strip() for part in raw_communes.split(",") if part.strip()):
            if generation == "2024":
                commune_code = pad_commune_code(item)
                if not COMMUNE_CODE_RE.match(commune_code):
                    fault(f"{code} : code de commune « {item} » invalide", names["communes"])
                    continue
                match = resolver.resolve(commune_code, context=code)
                if match is None:
                    fault(
                        f"{code} : commune « {commune_code} » inconnue dans tous les millésimes importés",
                        names["communes"],
                    )
                    continue
                if match.warning:
                    batch.warn(match.warning)
                communes.add(match.commune.pk)
            else:
                departement = departement_of_qpv(code)
                commune = resolver.resolve_name(departement, item)
                if commune is None:
                    fault(
                        f"{code} : commune « {item} » introuvable dans le département {departement} "
                        f"(COG {resolver.vintage or 'non importé'})",
                        names["communes"],
                    )
                    continue
                communes.add(commune.pk)
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
                batch.warn(f"{code} : contour invalide réparé (make_valid)")
            geometry = make_valid(feature.geometry)
            row["geometry"] = to_geojson(geometry)
            row["area_ha"] = Decimal(f"{area_hectares(geometry):.2f}")
        rows.append(row)
    issues.refuse_if_any()
    return _write(batch, rows, communes_of, generation)


@transaction.atomic
def _write(
    batch: ImportBatch, rows: list[dict[str, Any]], communes_of: dict[str, set[int]], generation: str
) -> ImportBatch:
    qpvs = save_territories(batch, kind=TerritoryKind.QPV, vintage=generation, rows=rows)
    sync_links(
        links=_commune_links(qpvs, communes_of),
        batch=batch,
        child_ids=qpvs.values(),
        parent_kind=TerritoryKind.COMMUNE,
        child_kind=TerritoryKind.QPV,
        child_vintage=generation,
    )
    link_qpvs_to_iris(list(qpvs.values()), batch=batch)
    batch.save()
    return batch


def _commune_links(qpvs: dict[str, int], communes_of: dict[str, set[int]]) -> list[LinkSpec]:
    """Inclusion in a single commune; across several, the part of the QPV's area in each commune
    (equal parts when a commune has no contour yet)."""
    several = {code: communes for code, communes in communes_of.items() if len(communes) > 1}
    geometries = dict(
        Territory.objects.filter(pk__in={pk for communes in several.values() for pk in communes}).values_list(
            "pk", "geometry"
        )
    )
    contours = dict(Territory.objects.filter(pk__in=[qpvs[code] for code in several]).values_list("pk", "geometry"))
    links: list[LinkSpec] = []
    for code, communes in communes_of.items():
        qpv = qpvs[code]
        if len(communes) == 1:
            links.append(LinkSpec(parent_id=next(iter(communes)), child_id=qpv))
            continue
        target = from_geojson(contours.get(qpv))
        pieces = {pk: from_geojson(geometries.get(pk)) for pk in communes}
        raw: dict[int, float] = dict.fromkeys(communes, 1.0)
        if target is not None and all(piece is not None for piece in pieces.values()):
            measured = area_shares(target, {pk: piece for pk, piece in pieces.items() if piece is not None})
            if measured:
                raw = {pk: float(measured.get(pk, 0)) for pk in communes}
        links.extend(
            LinkSpec(parent_id=pk, child_id=qpv, kind=LinkKind.OVERLAP, share=share)
            for pk, share in split_shares(raw).items()
        )
    return links
