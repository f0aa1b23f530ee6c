"""Read vector files (GeoJSON, GeoPackage, shapefile, zipped shapefile) into WGS84 shapely geometries.

GeoJSON is parsed with the standard library so that a truncated download is reported with the line
and column of the JSON error; other formats go through pyogrio (GDAL wheels). Everything is
reprojected to WGS84 lon/lat because ``Territory.geometry`` is GeoJSON in WGS84 (no PostGIS).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from contrat_ville.core.imports import limits
from contrat_ville.core.imports.errors import ImportFileError, Issues
from contrat_ville.core.imports.readers import load_json
from contrat_ville.core.imports.sources import KIND_LABELS, Source, check_size, expect_kind, source_of

WGS84 = CRS.from_epsg(4326)
LAMBERT93 = CRS.from_epsg(2154)
GEOD = Geod(ellps="GRS80")
SIMPLIFY_TOLERANCE = 0.0002  # degrees, about 15-20 m: keeps pages light, contours recognisable
COORDINATE_DECIMALS = 5  # about 1 m


@dataclass
class Feature:
    line: int
    properties: dict[str, Any]
    geometry: BaseGeometry | None


def _is_wgs84(crs: CRS) -> bool:
    return crs.equals(WGS84, ignore_axis_order=True) or crs.equals(CRS.from_user_input("OGC:CRS84"))


def _to_wgs84(crs: CRS | None) -> Transformer | None:
    if crs is None or _is_wgs84(crs):
        return None
    return Transformer.from_crs(crs, WGS84, always_xy=True)


def reproject(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def transform(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, transform)


def read_features(path: Path, issues: Issues, *, layer: str | None = None) -> list[Feature]:
    """All features of the file, in WGS84. ``layer`` names the GeoPackage layer (others have one).

    A feature whose geometry cannot be read is a fault of the file (collected in ``issues``); a file of another
    kind or beyond ``limits.MAX_DOCUMENT_BYTES`` is refused at once.
    """
    source = source_of(path)
    suffix = path.suffix.lower()
    if suffix in {".geojson", ".json"}:
        return _read_geojson(source, issues)
    if suffix in {".gpkg", ".shp", ".zip"}:
        expected = {".gpkg": {"sqlite"}, ".shp": {"shapefile"}, ".zip": {"zip"}}[suffix]
        expect_kind(source, expected, wanted=KIND_LABELS[next(iter(expected))])
        check_size(source, limits.MAX_DOCUMENT_BYTES)
        return _read_with_ogr(path, layer=layer)
    issues.fatal(f"format « {suffix} » non pris en charge (.geojson, .gpkg, .shp ou .zip attendu)")


def _read_geojson(source: Source, issues: Issues) -> list[Feature]:
    parsed = load_json(source)
    document = parsed.data
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        issues.fatal("le fichier n'est pas une FeatureCollection GeoJSON", line=1, column="type")
    crs_name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    try:
        crs = CRS.from_user_input(crs_name) if crs_name else None
    except Exception:
        issues.fatal(f"système de coordonnées « {crs_name} » inconnu", line=1, column="crs")
    transformer = _to_wgs84(crs)
    lines = parsed.item_lines("features")
    features: list[Feature] = []
    for index, item in enumerate(document.get("features") or []):
        line = lines[index]
        if not isinstance(item, dict):
            issues.add("objet GeoJSON invalide", line=line, column="features")
            continue
        geometry = None
        if item.get("geometry"):
            try:
                geometry = shape(item["geometry"])
            except Exception as error:
                issues.add(f"géométrie illisible ({error})", line=line, column="geometry")
                continue
            if transformer is not None:
                geometry = reproject(geometry, transformer)
        features.append(Feature(line=line, properties=dict(item.get("properties") or {}), geometry=geometry))
    return features


def _read_with_ogr(path: Path, *, layer: str | None) -> list[Feature]:
    import pyogrio

    source = str(path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [name for name in archive.namelist() if name.lower().endswith((".shp", ".geojson", ".gpkg"))]
        except zipfile.BadZipFile as error:
            raise ImportFileError.at(path.name, "archive ZIP illisible ou tronquée") from error
        if not members:
            raise ImportFileError.at(path.name, "l'archive ne contient ni .shp, ni .geojson, ni .gpkg")
        source = f"/vsizip/{path}/{members[0]}"
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(source)]
        chosen = layer if layer in layers else (layers[0] if layers else None)
        if layer and path.suffix.lower() == ".gpkg" and layer not in layers:
            raise ImportFileError.at(
                path.name, f"couche « {layer} » absente (couches : {', '.join(layers)})", column=layer
            )
        meta, _, geometries, field_data = pyogrio.raw.read(source, layer=chosen)
    except ImportFileError:
        raise
    except Exception as error:  # pyogrio's DataSourceError, DataLayerError or GDAL's own, on a broken file
        raise ImportFileError.at(path.name, f"fichier géographique illisible ({error})") from error
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    transformer = _to_wgs84(crs)
    names = [str(name) for name in meta["fields"]]
    features: list[Feature] = []
    for index, wkb in enumerate(geometries):
        geometry = shapely.from_wkb(wkb) if wkb is not None else None
        if geometry is not None and transformer is not None:
            geometry = reproject(geometry, transformer)
        properties = {name: _plain(field_data[position][index]) for position, name in enumerate(names)}
        features.append(Feature(line=index + 1, properties=properties, geometry=geometry))
    return features


def _plain(value: Any) -> Any:
    """numpy scalars to Python values, so that they can go into JSON fields."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def make_valid(geometry: BaseGeometry) -> BaseGeometry:
    """Official contours hold self-intersections (QN09104M): repair, keeping only the polygonal part."""
    if geometry.is_valid:
        return geometry
    repaired = shapely.make_valid(geometry)
    if repaired.geom_type == "GeometryCollection":
        polygons = [part for part in repaired.geoms if part.geom_type in {"Polygon", "MultiPolygon"}]
        repaired = shapely.union_all(polygons) if polygons else repaired
    return repaired


def area_hectares(geometry: BaseGeometry) -> float:
    """Area of a WGS84 geometry, geodesic on the GRS80 ellipsoid (what Lambert-93 also uses).

    Geodesic area is exact everywhere, overseas included, where a Lambert-93 projection would distort.
    """
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 10_000


def to_geojson(geometry: BaseGeometry, *, simplify: bool = False) -> dict[str, Any]:
    """A GeoJSON dict, optionally simplified, with coordinates rounded to about a metre."""
    if simplify:
        geometry = geometry.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS) if simplify else geometry
    return _rounded(mapping(geometry))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def from_geojson(geometry: dict[str, Any] | None) -> BaseGeometry | None:
    if not geometry:
        return None
    return make_valid(shape(geometry))
