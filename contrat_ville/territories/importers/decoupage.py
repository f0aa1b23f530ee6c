"""The npm package ``@etalab/decoupage-administratif`` (COG 2026 for version 6.0.0, data-formats §7).

It ships régions, départements, communes (with SIREN, population and ``anciensCodes``) and EPCI with
their members, without geometry, so that a real intercommunality can be set up offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    ImportFileError,
    ImportReport,
    LinkSpec,
    progress_bar,
    start_batch,
    sync_links,
    upsert_territories,
)

PRODUCER = "Etalab — @etalab/decoupage-administratif (Insee COG, DGCL)"
FILES = ("regions.json", "departements.json", "communes.json", "epci.json")


def _load(data_dir: Path, name: str) -> list[dict[str, Any]]:
    path = data_dir / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ImportFileError(name, 1, "-", f"fichier absent de {data_dir}") from error
    except UnicodeDecodeError as error:
        raise ImportFileError(name, 1, "-", "encodage invalide : UTF-8 attendu") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            name, error.lineno, str(error.colno), f"JSON invalide ou tronqué ({error.msg})"
        ) from error
    if not isinstance(data, list):
        raise ImportFileError(name, 1, "1", "une liste JSON est attendue")
    return data


def import_decoupage_administratif(
    data_dir: Path, *, vintage: str = "2026", departements: list[str] | None = None, progress: bool = False
) -> ImportReport:
    """Régions, départements, communes and EPCI (code = SIREN) with EPCI→commune links.

    With ``departements``, only those départements, their région, their communes and the EPCI having
    at least one member among them are loaded (EPCI links then cover the loaded members only).
    """
    wanted = {code.strip().upper() for code in departements} if departements else None
    regions_data, departements_data, communes_data, epci_data = (_load(data_dir, name) for name in FILES)

    departement_rows = [
        item for item in departements_data if wanted is None or str(item.get("code", "")).upper() in wanted
    ]
    if wanted is not None:
        unknown = wanted - {str(item["code"]).upper() for item in departement_rows}
        if unknown:
            raise ImportFileError(
                "departements.json", 1, "code", f"département(s) {', '.join(sorted(unknown))} inconnu(s)"
            )
    kept_departements = {str(item["code"]) for item in departement_rows}
    kept_regions = {str(item["region"]) for item in departement_rows}
    region_rows = [item for item in regions_data if wanted is None or str(item["code"]) in kept_regions]
    commune_items = [
        item
        for item in communes_data
        if item.get("type") in {"commune-actuelle", "arrondissement-municipal"}
        and str(item.get("departement")) in kept_departements
    ]
    commune_codes = {str(item["code"]) for item in commune_items if item["type"] == "commune-actuelle"}
    epci_items = [
        item for item in epci_data if any(str(member["code"]) in commune_codes for member in item.get("membres", []))
    ]

    with transaction.atomic():
        report = start_batch(
            importer="import_decoupage_administratif",
            source=f"@etalab/decoupage-administratif ({data_dir})",
            producer=PRODUCER,
            vintage=vintage,
        )
        batch = report.batch
        regions, counts = upsert_territories(
            kind=TerritoryKind.REGION,
            vintage=vintage,
            rows=[
                {"code": str(item["code"]), "name": item["nom"], "attributes": {"cheflieu": item.get("chefLieu", "")}}
                for item in region_rows
            ],
            batch=batch,
        )
        report.add(counts)
        departements_by_code, counts = upsert_territories(
            kind=TerritoryKind.DEPARTEMENT,
            vintage=vintage,
            rows=[
                {"code": str(item["code"]), "name": item["nom"], "attributes": {"cheflieu": item.get("chefLieu", "")}}
                for item in departement_rows
            ],
            batch=batch,
        )
        report.add(counts)
        sync_links(
            links=[
                LinkSpec(
                    parent_id=regions[str(item["region"])].pk, child_id=departements_by_code[str(item["code"])].pk
                )
                for item in departement_rows
                if str(item["region"]) in regions
            ],
            batch=batch,
            child_ids=[territory.pk for territory in departements_by_code.values()],
            parent_kind=TerritoryKind.REGION,
        )

        commune_rows: list[dict[str, Any]] = []
        for item in progress_bar(commune_items, enabled=progress, desc="Communes"):
            is_arrondissement = item["type"] == "arrondissement-municipal"
            attributes: dict[str, Any] = {"typecom": "ARM" if is_arrondissement else "COM"}
            if is_arrondissement:
                attributes["comparent"] = str(item.get("commune", ""))
            if item.get("codesPostaux"):
                attributes["codes_postaux"] = item["codesPostaux"]
            commune_rows.append(
                {
                    "code": str(item["code"]),
                    "name": item["nom"],
                    "siren": str(item.get("siren") or ""),
                    "population": item.get("population"),
                    "former_codes": sorted(
                        {str(code) for code in item.get("anciensCodes") or [] if str(code) != str(item["code"])}
                    ),
                    "attributes": attributes,
                }
            )
        communes, counts = upsert_territories(
            kind=TerritoryKind.COMMUNE, vintage=vintage, rows=commune_rows, batch=batch
        )
        report.add(counts)
        actual = [item for item in commune_items if item["type"] == "commune-actuelle"]
        arrondissements = [item for item in commune_items if item["type"] == "arrondissement-municipal"]
        sync_links(
            links=[
                LinkSpec(
                    parent_id=departements_by_code[str(item["departement"])].pk,
                    child_id=communes[str(item["code"])].pk,
                )
                for item in actual
            ],
            batch=batch,
            child_ids=[communes[str(item["code"])].pk for item in actual],
            parent_kind=TerritoryKind.DEPARTEMENT,
        )
        sync_links(
            links=[
                LinkSpec(parent_id=communes[str(item["commune"])].pk, child_id=communes[str(item["code"])].pk)
                for item in arrondissements
                if str(item.get("commune")) in communes
            ],
            batch=batch,
            child_ids=[communes[str(item["code"])].pk for item in arrondissements],
            parent_kind=TerritoryKind.COMMUNE,
        )

        epcis, counts = upsert_territories(
            kind=TerritoryKind.EPCI,
            vintage=vintage,
            rows=[
                {
                    "code": str(item["code"]),
                    "siren": str(item["code"]),
                    "name": item["nom"],
                    "population": item.get("populationMunicipale"),
                    "attributes": {
                        "nature": item.get("type", ""),
                        "mode_financement": item.get("modeFinancement", ""),
                        "population_totale": item.get("populationTotale"),
                        "nb_com": len(item.get("membres", [])),
                    },
                }
                for item in epci_items
            ],
            batch=batch,
        )
        report.add(counts)
        members = [
            LinkSpec(parent_id=epcis[str(item["code"])].pk, child_id=communes[str(member["code"])].pk)
            for item in epci_items
            for member in item.get("membres", [])
            if str(member["code"]) in communes
        ]
        sync_links(
            links=members,
            batch=batch,
            child_ids=[communes[code].pk for code in commune_codes],
            parent_kind=TerritoryKind.EPCI,
        )
        return report.finish()
