"""Build the binary fixture files (INSEE workbook, IGN GeoPackage) at test time, in their real layouts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from openpyxl import Workbook
from shapely.geometry import shape

FIXTURES = Path(__file__).parent / "fixtures"

EPCI_ROWS = [("200099001", "CA du Val de Sorne", "CA", 3)]
COMPOSITION_ROWS = [
    ("96001", "Sornac-Ville", "200099001", "CA du Val de Sorne", "96", "84"),
    ("96002", "Bel-Air", "200099001", "CA du Val de Sorne", "96", "84"),
    ("96003", "Les Vignes", "200099001", "CA du Val de Sorne", "96", "84"),
    ("96004", "Île-Verte", "ZZZZZZZZZ", "Sans objet", "96", "84"),
]


def write_epci_xlsx(
    path: Path,
    *,
    vintage: str | None = "2026",
    epci_rows: list[tuple] | None = None,
    composition_rows: list[tuple] | None = None,
    composition_header: tuple[str, ...] = ("CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"),
) -> Path:
    """An INSEE « Intercommunalité - Métropole » workbook: title block on rows 1-4, labels row 5, codes row 6."""
    workbook = Workbook()
    sheets = [
        (
            "EPCI",
            ("Code EPCI", "Libellé EPCI", "Nature d'EPCI", "Nombre de communes"),
            ("EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"),
            EPCI_ROWS if epci_rows is None else epci_rows,
        ),
        (
            "Composition_communale",
            ("Code géographique", "Libellé géographique", "Code EPCI", "Libellé EPCI", "Département", "Région"),
            composition_header,
            COMPOSITION_ROWS if composition_rows is None else composition_rows,
        ),
    ]
    workbook.remove(workbook.active)
    for title, labels, codes, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(["Intercommunalités au 1er janvier"])
        sheet.append(["Composition communale des EPCI à fiscalité propre"])
        sheet.append([f"Mise en ligne le 15/02/2026 Géographie au 01/01/{vintage}" if vintage else "Mise en ligne"])
        sheet.append(["© Insee Source(s) : Insee, Code officiel géographique"])
        sheet.append(list(labels))
        sheet.append(list(codes))
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_iris_vector(path: Path, *, driver: str, upper_case: bool = False) -> Path:
    """The Lambert-93 IRIS fixture rewritten as a GeoPackage (layer ``contours_iris``) or a shapefile."""
    import pyogrio.raw

    document = json.loads((FIXTURES / "iris_2024_lambert93.geojson").read_text(encoding="utf-8"))
    features = document["features"]
    names = ["code_insee", "nom_commune", "iris", "code_iris", "nom_iris", "type_iris"]
    upper = ["INSEE_COM", "NOM_COM", "IRIS", "CODE_IRIS", "NOM_IRIS", "TYP_IRIS"]
    field_data = [np.array([feature["properties"][name] for feature in features], dtype=object) for name in names]
    geometries = np.array([shapely.to_wkb(shape(feature["geometry"])) for feature in features], dtype=object)
    pyogrio.raw.write(
        str(path),
        geometries,
        field_data,
        upper if upper_case else names,
        driver=driver,
        layer="contours_iris" if driver == "GPKG" else None,
        crs="EPSG:2154",
        geometry_type="Polygon",
        encoding="UTF-8",
    )
    return path
