"""The npm package ``@etalab/decoupage-administratif`` (COG 2026 for version 6.0.0, data-formats §7).

It ships régions, départements, communes (with SIREN, population and ``anciensCodes``) and EPCI with
their members, without geometry, so that a real intercommunality can be set up offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from contrat_ville.core.imports.cells import not_a_number
from contrat_ville.core.imports.errors import ImportFileError, Issues
from contrat_ville.core.imports.readers import load_json
from contrat_ville.core.imports.sources import source_of
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.enums import TerritoryKind
from contrat_ville.territories.importers.base import (
    LinkSpec,
    link_to_parents,
    new_batch,
    progress_bar,
    sync_links,
    upsert_territories,
)

PRODUCER = "Etalab — @etalab/decoupage-administratif (Insee COG, DGCL)"
FILES = ("regions.json", "departements.json", "communes.json", "epci.json")


# Whole numbers of each file: text there (« neuf ») is a fault of the file, never a value stored.
NUMBERS = {
    "communes.json": ("population",),
    "epci.json": ("populationMunicipale", "populationTotale"),
}


def _load(data_dir: Path, name: str) -> list[dict[str, Any]]:
    """The items of one file of the package, each checked: an object with a code, whole numbers where expected.

    Faults are collected (with the line where the item starts), then the file is refused with all of them.
    """
    path = data_dir / name
    if not path.is_file():
        raise ImportFileError.at(name, f"fichier absent de {data_dir}")
    document = load_json(source_of(path))
    if not isinstance(document.data, list):
        raise ImportFileError.at(name, "une liste JSON est attendue", line=1, column="1")
    issues = Issues(name)
    items: list[dict[str, Any]] = []
    for line, item in zip(document.item_lines(), document.data, strict=True):
        if not isinstance(item, dict) or not str(item.get("code") or "").strip():
            issues.add("objet sans code", line=line, column="code")
            continue
        for key in NUMBERS.get(name, ()):
            number = item.get(key)
            if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
                issues.add(f"{item['code']} : {not_a_number(number, whole=True)} positif", line=line, column=key)
        items.append(item)
    issues.refuse_if_any()
    return items


@transaction.atomic
def import_decoupage_administratif(
    data_dir: Path, *, vintage: str = "2026", departements: list[str] | None = None, progress: bool = False
) -> ImportBatch:
    """Régions, départements, communes and EPCI (code = SIREN) with EPCI→commune links.

    With ``departements``, only those départements, their région, their communes and the EPCI having
    at least one member among them are loaded (EPCI links then cover the loaded members only). Each kind is
    read and written set-based: the whole of France (37,000 territories, 70,000 links) in a few seconds.
    """
    wanted = {code.strip().upper() for code in departements} if departements else None
    regions_data, departements_data, communes_data, epci_data = (_load(data_dir, name) for name in FILES)

    departement_rows = [
        item for item in departements_data if wanted is None or str(item.get("code", "")).upper() in wanted
    ]
    if wanted is not None:
        unknown = wanted - {str(item["code"]).upper() for item in departement_rows}
        if unknown:
            raise ImportFileError.at(
                "departements.json", f"département(s) {', '.join(sorted(unknown))} inconnu(s)", column="code"
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
    if not region_rows or not departement_rows or not commune_items:
        raise ImportFileError.at(
            f"@etalab/decoupage-administratif ({data_dir})",
            "aucune région, aucun département ou aucune commune à charger",
        )
    commune_codes = {str(item["code"]) for item in commune_items if item["type"] == "commune-actuelle"}
    epci_items = [
        item for item in epci_data if any(str(member["code"]) in commune_codes for member in item.get("membres", []))
    ]

    batch = new_batch(
        importer="import_decoupage_administratif",
        source=f"@etalab/decoupage-administratif ({data_dir})",
        producer=PRODUCER,
        vintage=vintage,
    )
    batch.save()
    created = updated = 0

    def upsert(kind: str, rows: list[dict[str, Any]]) -> dict[str, int]:
        nonlocal created, updated
        ids, (new, old) = upsert_territories(kind=kind, vintage=vintage, rows=rows, batch=batch)
        created, updated = created + new, updated + old
        return ids

    regions = upsert(
        TerritoryKind.REGION,
        [
            {"code": str(item["code"]), "name": item["nom"], "attributes": {"cheflieu": item.get("chefLieu", "")}}
            for item in region_rows
        ],
    )
    departements_by_code = upsert(
        TerritoryKind.DEPARTEMENT,
        [
            {"code": str(item["code"]), "name": item["nom"], "attributes": {"cheflieu": item.get("chefLieu", "")}}
            for item in departement_rows
        ],
    )
    link_to_parents(
        batch,
        {str(item["code"]): str(item["region"]) for item in departement_rows if str(item["region"]) in regions},
        parents=(TerritoryKind.REGION, regions),
        children=(TerritoryKind.DEPARTEMENT, departements_by_code),
        among=departements_by_code,
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
    communes = upsert(TerritoryKind.COMMUNE, commune_rows)
    actual = [item for item in commune_items if item["type"] == "commune-actuelle"]
    arrondissements = [item for item in commune_items if item["type"] == "arrondissement-municipal"]
    commune_level = (TerritoryKind.COMMUNE, communes)
    link_to_parents(
        batch,
        {str(item["code"]): str(item["departement"]) for item in actual},
        parents=(TerritoryKind.DEPARTEMENT, departements_by_code),
        children=commune_level,
    )
    link_to_parents(
        batch,
        {str(item["code"]): str(item["commune"]) for item in arrondissements if str(item.get("commune")) in communes},
        parents=commune_level,
        children=commune_level,
        among=[str(item["code"]) for item in arrondissements],
    )

    epcis = upsert(
        TerritoryKind.EPCI,
        [
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
    )
    sync_links(
        links=[
            LinkSpec(parent_id=epcis[str(item["code"])], child_id=communes[str(member["code"])])
            for item in epci_items
            for member in item.get("membres", [])
            if str(member["code"]) in communes
        ],
        batch=batch,
        child_ids=[communes[code] for code in commune_codes],
        parent_kind=TerritoryKind.EPCI,
        child_kind=TerritoryKind.COMMUNE,
        child_vintage=vintage,
    )
    batch.created_count, batch.updated_count = created, updated
    batch.save()
    return batch
