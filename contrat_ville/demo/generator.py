"""Generate the demo's reference files, deterministically, in the formats the real producers publish.

Nothing here touches the database nor reads ``/work/shared``: the fictional territory is described in
``data/territory.yaml`` (data-formats.md §8) and written as the files an operator would download (COG CSVs,
INSEE EPCI workbook, IGN IRIS contours, ANCT QPV 2024 GeoJSON), so that the demo goes through the real
import pipeline.

Geography. Each intercommunality is a lattice of jittered nodes in Lambert-93 (cells of ``CELL_SIZE``
metres). A commune is a block of cells, an IRIS a sub-block of its commune: every polygon is the walk
along the lattice nodes of its outline, so IRIS tile their commune exactly and neighbours share their
vertices bit for bit. QPV contours are drawn in lattice coordinates, mapped through the same lattice,
scaled to their target area, and written in WGS84 (CRS84), like the ANCT file.
"""

from __future__ import annotations

import csv
import json
import math
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from pyproj import Transformer
from shapely.geometry import Polygon
from shapely.ops import transform as shapely_transform

from contrat_ville.core.datafiles import load_record, load_records
from contrat_ville.territories.services import COMMUNE_COLUMNS, DEPARTEMENT_COLUMNS, REGION_COLUMNS

RANDOM_SEED = 96_2024
COG_VINTAGE = "2026"
IRIS_VINTAGE = "2024"
QPV_GENERATION = "2024"
CELL_SIZE = 600.0  # metres
JITTER = 0.22  # share of a cell by which lattice nodes move
ACTIVITY_IRIS_POPULATION = 240
ANCHOR_LONLAT = (4.9, 45.6)  # centre of the Val de Sorne lattice, somewhere in région 84

REGION_FILENAME = f"v_region_{COG_VINTAGE}.csv"
DEPARTEMENT_FILENAME = f"v_departement_{COG_VINTAGE}.csv"
COMMUNE_FILENAME = f"v_commune_{COG_VINTAGE}.csv"
EPCI_FILENAME = f"EPCI_au_01-01-{COG_VINTAGE}.xlsx"
IRIS_FILENAME = f"CONTOURS-IRIS_demo_{IRIS_VINTAGE}.geojson"
QPV_FILENAME = f"qpv-{QPV_GENERATION}-demo.geojson"

EPCI_COLUMNS = [
    ("EPCI", "EPCI - Métropole"),
    ("LIBEPCI", "Libellé de l'EPCI / Métropole"),
    ("NATURE_EPCI", "Nature d'EPCI"),
    ("NB_COM", "Nombre de communes"),
]
COMPOSITION_COLUMNS = [
    ("CODGEO", "Code géographique"),
    ("LIBGEO", "Libellé géographique"),
    ("EPCI", "EPCI - Métropole"),
    ("LIBEPCI", "Libellé de l'EPCI / Métropole"),
    ("DEP", "Département"),
    ("REG", "Région"),
]
IRIS_PROPERTIES = ["code_insee", "nom_commune", "iris", "code_iris", "nom_iris", "type_iris"]
QPV_PROPERTIES = ["code_qp", "lib_qp", "insee_com", "lib_com", "insee_dep", "insee_reg", "siren_epci"]
CRS_LAMBERT93 = "urn:ogc:def:crs:EPSG::2154"
CRS_CRS84 = "urn:ogc:def:crs:OGC:1.3:CRS84"

FICTION_NOTE = "données fictives de démonstration"


# --- the fictional territory --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSpec:
    code: str
    chief_town: str
    tncc: str
    name: str


@dataclass(frozen=True)
class DepartementSpec:
    code: str
    region: str
    chief_town: str
    tncc: str
    name: str


@dataclass(frozen=True)
class CommuneSpec:
    """A commune; ``column``/``row`` place it in its EPCI's grid of communes; ``split`` is its number of
    H-type IRIS (0: not split, one ``Z`` IRIS) and ``activity_iris`` adds one A-type IRIS."""

    code: str
    name: str
    population: int
    column: int
    row: int
    split: int = 0
    activity_iris: bool = False
    iris_names: tuple[str, ...] = ()

    @property
    def siren(self) -> str:
        return siren_for(f"2199{self.code[2:]}0")


@dataclass(frozen=True)
class EpciSpec:
    siren: str
    name: str
    nature: str
    column_widths: tuple[int, ...]  # in cells
    row_heights: tuple[int, ...]
    origin_offset: tuple[float, float]  # metres from the anchor to the lattice's south-west corner
    communes: tuple[CommuneSpec, ...]

    @property
    def population(self) -> int:
        return sum(commune.population for commune in self.communes)


@dataclass(frozen=True)
class QpvSpec:
    """A QPV drawn around ``centre`` (lattice coordinates) with ``area_ha`` hectares."""

    code: str
    name: str
    population: int
    area_ha: float
    communes: tuple[str, ...]
    epci: str
    centre: tuple[float, float]
    iris_name: str  # the IRIS of its host commune in which its centre lies
    vertices: int = 11


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check, as every SIREN does (data-formats.md §4.2)."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def siren_for(payload: str) -> str:
    """A fake SIREN: an 8-digit payload completed with its Luhn check digit."""
    if len(payload) != 8 or not payload.isdigit():
        raise ValueError(f"Préfixe de SIREN « {payload} » invalide (8 chiffres attendus).")
    return payload + luhn_check_digit(payload)


PACKAGE, DATA_FILE = "contrat_ville.demo", "data/territory.yaml"
REGION = load_record(RegionSpec, PACKAGE, DATA_FILE, section="region")
DEPARTEMENT = load_record(DepartementSpec, PACKAGE, DATA_FILE, section="departement")
EPCIS: tuple[EpciSpec, ...] = load_records(EpciSpec, PACKAGE, DATA_FILE, section="epcis", key="name")
EPCI_VAL_DE_SORNE, EPCI_COTEAUX_ORBE = EPCIS
QPVS: tuple[QpvSpec, ...] = load_records(QpvSpec, PACKAGE, DATA_FILE, section="qpvs", key="code")


# --- generated territory ---------------------------------------------------------------------------------

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class GeneratedIris:
    code: str  # 9 characters: commune + IRIS number
    commune: CommuneSpec
    number: str
    name: str
    kind: str  # H, A or Z
    population: int
    ring: Ring  # Lambert-93, counter-clockwise, closed


@dataclass(frozen=True)
class GeneratedCommune:
    spec: CommuneSpec
    epci: EpciSpec
    ring: Ring  # Lambert-93
    iris: tuple[GeneratedIris, ...]


@dataclass(frozen=True)
class GeneratedQpv:
    spec: QpvSpec
    ring_lambert93: Ring
    ring_wgs84: Ring

    @property
    def area_ha(self) -> float:
        return Polygon(self.ring_lambert93).area / 10_000


@dataclass
class DemoTerritory:
    region: RegionSpec
    departement: DepartementSpec
    epcis: tuple[EpciSpec, ...]
    communes: list[GeneratedCommune] = field(default_factory=list)
    qpvs: list[GeneratedQpv] = field(default_factory=list)

    @property
    def iris(self) -> Iterator[GeneratedIris]:
        for commune in self.communes:
            yield from commune.iris

    def commune(self, code: str) -> GeneratedCommune:
        return next(commune for commune in self.communes if commune.spec.code == code)


@dataclass(frozen=True)
class DemoFiles:
    regions: Path
    departements: Path
    communes: Path
    epci: Path
    iris: Path
    qpv: Path


class Lattice:
    """Jittered nodes of one intercommunality, in Lambert-93 metres, rounded to the centimetre."""

    def __init__(self, origin: tuple[float, float], columns: int, rows: int, rng: random.Random) -> None:
        self.columns = columns
        self.rows = rows
        self.nodes: list[list[tuple[float, float]]] = [
            [
                (
                    round(origin[0] + (i + rng.uniform(-JITTER, JITTER)) * CELL_SIZE, 2),
                    round(origin[1] + (j + rng.uniform(-JITTER, JITTER)) * CELL_SIZE, 2),
                )
                for j in range(rows + 1)
            ]
            for i in range(columns + 1)
        ]

    def block_ring(self, i0: int, j0: int, i1: int, j1: int) -> Ring:
        """The outline of cells [i0, i1) x [j0, j1) through every lattice node on it, counter-clockwise."""
        ring = [self.nodes[i][j0] for i in range(i0, i1)]
        ring += [self.nodes[i1][j] for j in range(j0, j1)]
        ring += [self.nodes[i][j1] for i in range(i1, i0, -1)]
        ring += [self.nodes[i0][j] for j in range(j1, j0, -1)]
        return [*ring, ring[0]]

    def point(self, u: float, v: float) -> tuple[float, float]:
        """Bilinear position of lattice coordinates (u, v) inside their cell."""
        i = min(max(math.floor(u), 0), self.columns - 1)
        j = min(max(math.floor(v), 0), self.rows - 1)
        fu, fv = u - i, v - j
        (x00, y00), (x10, y10) = self.nodes[i][j], self.nodes[i + 1][j]
        (x01, y01), (x11, y11) = self.nodes[i][j + 1], self.nodes[i + 1][j + 1]
        x = (1 - fu) * (1 - fv) * x00 + fu * (1 - fv) * x10 + (1 - fu) * fv * x01 + fu * fv * x11
        y = (1 - fu) * (1 - fv) * y00 + fu * (1 - fv) * y10 + (1 - fu) * fv * y01 + fu * fv * y11
        return x, y


Block = tuple[int, int, int, int]


def split_block(block: Block, pieces: int) -> list[Block]:
    """Cut a block of cells into ``pieces`` sub-blocks of similar size (guillotine cuts on lattice lines)."""
    if pieces <= 1:
        return [block]
    i0, j0, i1, j1 = block
    first = pieces // 2
    width, height = i1 - i0, j1 - j0
    if width * height < pieces:
        raise ValueError(f"Bloc {block} trop petit pour {pieces} IRIS.")
    if width >= height:
        cut = min(max(i0 + round(width * first / pieces), i0 + 1), i1 - 1)
        parts: tuple[Block, Block] = ((i0, j0, cut, j1), (cut, j0, i1, j1))
    else:
        cut = min(max(j0 + round(height * first / pieces), j0 + 1), j1 - 1)
        parts = ((i0, j0, i1, cut), (i0, cut, i1, j1))
    return split_block(parts[0], first) + split_block(parts[1], pieces - first)


def _lambert93_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:2154", "OGC:CRS84", always_xy=True)


def _wgs84_to_lambert93() -> Transformer:
    return Transformer.from_crs("OGC:CRS84", "EPSG:2154", always_xy=True)


def _anchor() -> tuple[float, float]:
    x, y = _wgs84_to_lambert93().transform(*ANCHOR_LONLAT)
    return float(x), float(y)


def _iris_number(index: int) -> str:
    """IRIS numbers group by « grand quartier » of five: 0101…0105, 0201…"""
    return f"{index // 5 + 1:02d}{index % 5 + 1:02d}"


def _commune_iris(spec: CommuneSpec, block: Block, lattice: Lattice, qpvs: list[QpvSpec]) -> list[GeneratedIris]:
    if spec.split == 0:
        return [
            GeneratedIris(
                code=f"{spec.code}0000",
                commune=spec,
                number="0000",
                name=spec.name,
                kind="Z",
                population=spec.population,
                ring=lattice.block_ring(*block),
            )
        ]
    pieces = split_block(block, spec.split + (1 if spec.activity_iris else 0))

    def contains(piece: Block, point: tuple[float, float]) -> bool:
        return piece[0] <= point[0] < piece[2] and piece[1] <= point[1] < piece[3]

    def distance_to_qpvs(piece: Block) -> float:
        cx, cy = (piece[0] + piece[2]) / 2, (piece[1] + piece[3]) / 2
        return min((math.hypot(cx - qpv.centre[0], cy - qpv.centre[1]) for qpv in qpvs), default=0.0)

    # The activity IRIS is the one farthest from the QPVs and takes the last name of the list; the IRIS
    # holding a QPV's centre takes the QPV's IRIS name; the others take the remaining names in order.
    names = list(spec.iris_names)
    activity_name = names.pop() if spec.activity_iris else ""
    activity_index = -1
    if spec.activity_iris:
        activity_index = max(range(len(pieces)), key=lambda index: distance_to_qpvs(pieces[index]))
    chosen: dict[int, str] = {}
    for qpv in qpvs:
        for index, piece in enumerate(pieces):
            if index != activity_index and contains(piece, qpv.centre) and qpv.iris_name in names:
                chosen[index] = qpv.iris_name
                names.remove(qpv.iris_name)
    habitat_population = spec.population - (ACTIVITY_IRIS_POPULATION if spec.activity_iris else 0)
    base, remainder = divmod(habitat_population, spec.split)
    result = []
    habitat_rank = 0
    for index, piece in enumerate(pieces):
        if index == activity_index:
            name, kind, population = activity_name, "A", ACTIVITY_IRIS_POPULATION
        else:
            name = chosen.get(index) or (names.pop(0) if names else f"{spec.name} {index + 1}")
            kind, population = "H", base + (1 if habitat_rank < remainder else 0)
            habitat_rank += 1
        number = _iris_number(index)
        result.append(
            GeneratedIris(
                code=f"{spec.code}{number}",
                commune=spec,
                number=number,
                name=name,
                kind=kind,
                population=population,
                ring=lattice.block_ring(*piece),
            )
        )
    return result


def _qpv_ring(spec: QpvSpec, lattice: Lattice, rng: random.Random) -> Ring:
    """An irregular polygon around the QPV's centre, scaled to its target area."""
    radius = math.sqrt(spec.area_ha * 10_000 / math.pi) / CELL_SIZE
    points = []
    for k in range(spec.vertices):
        angle = 2 * math.pi * (k + rng.uniform(-0.25, 0.25)) / spec.vertices
        reach = radius * rng.uniform(0.8, 1.2)
        points.append(
            lattice.point(spec.centre[0] + reach * math.cos(angle), spec.centre[1] + reach * math.sin(angle))
        )
    polygon = Polygon(points)
    factor = math.sqrt(spec.area_ha * 10_000 / polygon.area)
    cx, cy = polygon.centroid.x, polygon.centroid.y
    ring = [(round(cx + (x - cx) * factor, 2), round(cy + (y - cy) * factor, 2)) for x, y in points]
    return [*ring, ring[0]]


def build_territory() -> DemoTerritory:
    """The whole fictional territory, identical on every call (fixed random seed)."""
    rng = random.Random(RANDOM_SEED)
    anchor = _anchor()
    territory = DemoTerritory(region=REGION, departement=DEPARTEMENT, epcis=EPCIS)
    to_wgs84 = _lambert93_to_wgs84()
    for epci in EPCIS:
        origin = (anchor[0] + epci.origin_offset[0], anchor[1] + epci.origin_offset[1])
        lattice = Lattice(origin, sum(epci.column_widths), sum(epci.row_heights), rng)
        column_starts = [sum(epci.column_widths[:index]) for index in range(len(epci.column_widths) + 1)]
        row_starts = [sum(epci.row_heights[:index]) for index in range(len(epci.row_heights) + 1)]
        qpvs = [qpv for qpv in QPVS if qpv.epci == epci.siren]
        for spec in epci.communes:
            block = (
                column_starts[spec.column],
                row_starts[spec.row],
                column_starts[spec.column + 1],
                row_starts[spec.row + 1],
            )
            hosted = [qpv for qpv in qpvs if spec.code in qpv.communes]
            territory.communes.append(
                GeneratedCommune(
                    spec=spec,
                    epci=epci,
                    ring=lattice.block_ring(*block),
                    iris=tuple(_commune_iris(spec, block, lattice, hosted)),
                )
            )
        for qpv in qpvs:
            ring = _qpv_ring(qpv, lattice, rng)
            ring_wgs84 = [(round(lon, 7), round(lat, 7)) for lon, lat in (to_wgs84.transform(x, y) for x, y in ring)]
            territory.qpvs.append(GeneratedQpv(spec=qpv, ring_lambert93=ring, ring_wgs84=ring_wgs84))
    return territory


def polygon_wgs84(ring: Ring) -> Polygon:
    """A Lambert-93 ring as a WGS84 shapely polygon (for checks and map extents)."""
    to_wgs84 = _lambert93_to_wgs84()
    return shapely_transform(lambda x, y: to_wgs84.transform(x, y), Polygon(ring))


# --- names in the COG format ---------------------------------------------------------------------------------

ARTICLES = (("Les ", "4"), ("Le ", "2"), ("La ", "3"), ("L'", "5"))


def cog_names(name: str) -> tuple[str, str, str]:
    """(TNCC, NCC, NCCENR) of a name as the COG writes them: article type, upper-case bare name, bare name."""
    tncc, bare = ("1" if _strip_accents(name[0]).upper() in "AEIOUY" else "0"), name
    for article, article_type in ARTICLES:
        if name.startswith(article):
            tncc, bare = article_type, name[len(article) :]
            break
    ncc = _strip_accents(bare).upper().replace("-", " ").replace("'", " ")
    return tncc, ncc, bare


def _strip_accents(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


# --- writers ------------------------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_regions(path: Path, territory: DemoTerritory) -> Path:
    region = territory.region
    _, ncc, nccenr = cog_names(region.name)
    return _write_csv(path, REGION_COLUMNS, [[region.code, region.chief_town, region.tncc, ncc, nccenr, region.name]])


def write_departements(path: Path, territory: DemoTerritory) -> Path:
    dep = territory.departement
    ncc = _strip_accents(dep.name).upper().replace("-", " ").replace("(", "").replace(")", "")
    return _write_csv(
        path, DEPARTEMENT_COLUMNS, [[dep.code, dep.region, dep.chief_town, dep.tncc, ncc, dep.name, dep.name]]
    )


def write_communes(path: Path, territory: DemoTerritory) -> Path:
    dep = territory.departement
    rows = []
    for index, commune in enumerate(sorted(territory.communes, key=lambda item: item.spec.code)):
        spec = commune.spec
        tncc, ncc, nccenr = cog_names(spec.name)
        arrondissement = f"{dep.code}{1 if spec.code < '96100' else 2}"
        canton = f"{dep.code}{index // 6 + 1:02d}"
        rows.append(
            [
                "COM",
                spec.code,
                dep.region,
                dep.code,
                f"{dep.code}D",
                arrondissement,
                tncc,
                ncc,
                nccenr,
                spec.name,
                canton,
                "",
            ]
        )
    return _write_csv(path, COMMUNE_COLUMNS, rows)


def write_title_block(sheet: Any, lines: tuple[str, str, str, str]) -> None:
    """The four lines INSEE puts above a table: title, subtitle, dates, sources."""
    for row, line in enumerate(lines, start=1):
        sheet[f"A{row}"] = line


def write_sheet_table(sheet: Any, columns: list[tuple[str, str]], rows: list[list[Any]]) -> None:
    """INSEE's table under the title block: labels on row 5, variable codes on row 6, text cells as text."""
    for column, (code, label) in enumerate(columns, start=1):
        sheet.cell(row=5, column=column, value=label)
        sheet.cell(row=6, column=column, value=code)
    for row_index, row in enumerate(rows, start=7):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column, value=value)
            if isinstance(value, str):
                cell.number_format = "@"


def _cog_title_block(sheet: Any, title: str, subtitle: str) -> None:
    write_title_block(
        sheet,
        (
            title,
            subtitle,
            f"Mise en ligne le 15/01/{COG_VINTAGE}    Géographie au 01/01/{COG_VINTAGE}",
            f"@Insee Source(s) : Insee, Code officiel géographique ; DGCL, Banatic — {FICTION_NOTE}",
        ),
    )


def write_epci_workbook(path: Path, territory: DemoTerritory) -> Path:
    """The INSEE « Intercommunalité - Métropole » workbook: 4-row title block, labels row 5, codes row 6."""
    workbook = Workbook()
    epci_sheet = workbook.active
    assert epci_sheet is not None
    epci_sheet.title = "EPCI"
    _cog_title_block(
        epci_sheet,
        f"Liste des EPCI à fiscalité propre au 1er janvier {COG_VINTAGE}",
        "Établissements publics de coopération intercommunale à fiscalité propre et métropoles",
    )
    write_sheet_table(
        epci_sheet,
        EPCI_COLUMNS,
        [[epci.siren, epci.name, epci.nature, len(epci.communes)] for epci in territory.epcis],
    )
    composition = workbook.create_sheet("Composition_communale")
    _cog_title_block(
        composition,
        f"Composition communale des EPCI à fiscalité propre au 1er janvier {COG_VINTAGE}",
        "Communes et EPCI à fiscalité propre ou métropole d'appartenance",
    )
    dep = territory.departement
    write_sheet_table(
        composition,
        COMPOSITION_COLUMNS,
        [
            [commune.spec.code, commune.spec.name, commune.epci.siren, commune.epci.name, dep.code, dep.region]
            for commune in sorted(territory.communes, key=lambda item: item.spec.code)
        ],
    )
    variables = workbook.create_sheet("Variables")
    variables.append(["Variable", "Libellé"])
    for code, label in [*EPCI_COLUMNS, *COMPOSITION_COLUMNS]:
        variables.append([code, label])
    documentation = workbook.create_sheet("Documentation")
    for line in (
        f"Intercommunalités au 1er janvier {COG_VINTAGE}",
        "NATURE_EPCI : ME = métropole, CU = communauté urbaine, CA = communauté d'agglomération, "
        "CC = communauté de communes.",
        f"Fichier généré pour la plateforme des contrats de ville : {FICTION_NOTE} (département 96, fictif).",
    ):
        documentation.append([line])
    workbook.save(path)
    return path


def _feature_collection(name: str, crs: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": crs}},
        "features": features,
    }


def write_iris(path: Path, territory: DemoTerritory) -> Path:
    """IGN CONTOURS-IRIS exported as GeoJSON: lower-case fields, Lambert-93, MultiPolygon geometries."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "code_insee": iris.commune.code,
                "nom_commune": iris.commune.name,
                "iris": iris.number,
                "code_iris": iris.code,
                "nom_iris": iris.name,
                "type_iris": iris.kind,
            },
            "geometry": {"type": "MultiPolygon", "coordinates": [[[list(point) for point in iris.ring]]]},
        }
        for iris in territory.iris
    ]
    path.write_text(json.dumps(_feature_collection("contours_iris", CRS_LAMBERT93, features), ensure_ascii=False))
    return path


def write_qpv(path: Path, territory: DemoTerritory) -> Path:
    """The ANCT QPV 2024 GeoJSON: lower-case properties, CRS84 longitude/latitude."""
    dep = territory.departement
    features = []
    for qpv in territory.qpvs:
        spec = qpv.spec
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code_qp": spec.code,
                    "lib_qp": spec.name,
                    "insee_com": ",".join(spec.communes),
                    "lib_com": ",".join(territory.commune(code).spec.name for code in spec.communes),
                    "insee_dep": dep.code,
                    "insee_reg": dep.region,
                    "siren_epci": spec.epci,
                },
                "geometry": {"type": "Polygon", "coordinates": [[list(point) for point in qpv.ring_wgs84]]},
            }
        )
    path.write_text(
        json.dumps(
            _feature_collection("QP2024_France_Hexagonale_Outre_Mer_WGS84", CRS_CRS84, features), ensure_ascii=False
        )
    )
    return path


def write_demo_files(directory: Path, territory: DemoTerritory | None = None) -> DemoFiles:
    """Write the six reference files of the demo into ``directory``."""
    territory = territory or build_territory()
    return DemoFiles(
        regions=write_regions(directory / REGION_FILENAME, territory),
        departements=write_departements(directory / DEPARTEMENT_FILENAME, territory),
        communes=write_communes(directory / COMMUNE_FILENAME, territory),
        epci=write_epci_workbook(directory / EPCI_FILENAME, territory),
        iris=write_iris(directory / IRIS_FILENAME, territory),
        qpv=write_qpv(directory / QPV_FILENAME, territory),
    )
