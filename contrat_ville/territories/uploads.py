"""The official territory files an administrator imports from the web (issue 10 §3): the same importers as the
management commands (``import_regions`` … ``import_qpv``), run on the uploaded file, with the same report.

The upload is written under its own name in a temporary directory, so that the readers see what the command
would (the kind of file from its bytes, a shapefile's zip, a GeoPackage's layer) and the report names the file
the administrator chose.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import get_valid_filename

from contrat_ville.core.exceptions import BusinessRuleError
from contrat_ville.core.models import ImportBatch
from contrat_ville.territories.importers.cog import import_communes, import_departements, import_regions
from contrat_ville.territories.importers.epci import import_epci
from contrat_ville.territories.importers.iris import import_iris
from contrat_ville.territories.importers.qpv import import_qpv


@dataclass(frozen=True)
class TerritoryFile:
    """A kind of official file: what it is, who publishes it, and how its importer is called."""

    key: str
    label: str
    formats: str
    importer: Callable[..., ImportBatch]
    needs: str = ""  # « vintage » (required), « vintage? » (optional: read from the file) or « generation »


TERRITORY_FILES: dict[str, TerritoryFile] = {
    file.key: file
    for file in (
        TerritoryFile("regions", "Régions (COG de l'Insee)", "v_region_AAAA.csv", import_regions, "vintage"),
        TerritoryFile(
            "departements",
            "Départements (COG de l'Insee)",
            "v_departement_AAAA.csv",
            import_departements,
            "vintage",
        ),
        TerritoryFile("communes", "Communes (COG de l'Insee)", "v_commune_AAAA.csv", import_communes, "vintage"),
        TerritoryFile(
            "epci",
            "Intercommunalités et leur composition (Insee)",
            "classeur « Intercommunalité - Métropole » .xlsx",
            import_epci,
            "vintage?",
        ),
        TerritoryFile(
            "qpv",
            "Quartiers prioritaires (ANCT)",
            ".geojson ou .zip d'un shapefile",
            import_qpv,
            "generation",
        ),
        TerritoryFile("iris", "Contours IRIS (IGN)", ".gpkg, .geojson ou .zip", import_iris, "vintage"),
    )
}
TERRITORY_IMPORTERS = frozenset(file.importer.__name__ for file in TERRITORY_FILES.values())


def _importer_options(file: TerritoryFile, *, vintage: str, generation: str) -> dict[str, Any]:
    if file.needs == "generation":
        if not generation:
            raise BusinessRuleError("Indiquez la génération des quartiers (2015 ou 2024).", field="generation")
        return {"generation": generation}
    if file.needs == "vintage" and not vintage:
        raise BusinessRuleError("Indiquez le millésime du fichier (année, par exemple 2026).", field="vintage")
    return {"vintage": vintage or None}


@transaction.atomic
def territory_file_import(
    *, kind: str, upload: Any, vintage: str = "", generation: str = "", by: Any = None
) -> ImportBatch:
    """Run the importer of ``kind`` on an uploaded file; its batch names ``by``. A refused file raises the
    importer's ``ImportFileError`` (every fault with its line and column) and writes nothing."""
    file = TERRITORY_FILES.get(kind)
    if file is None:
        raise BusinessRuleError(f"Type de fichier inconnu : « {kind} ».", field="kind")
    options = _importer_options(file, vintage=vintage.strip(), generation=generation)
    name = get_valid_filename(Path(str(getattr(upload, "name", "") or "fichier")).name) or "fichier"
    with tempfile.TemporaryDirectory(prefix="import-territoires-") as directory:
        path = Path(directory) / name
        with path.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        batch = file.importer(path, progress=False, **options)
    if getattr(by, "is_authenticated", False) and batch.pk is not None:
        batch.imported_by = by
        batch.save(update_fields=["imported_by"])
    return batch
