"""The map of a contract's QPVs as a PNG picture (Pillow), for the generated documents (issue 12 §2: « QPV list
and map »): the EPCI's outline in grey, each QPV filled and numbered; the legend and the text alternative list the
numbers with the QPVs' names, so the picture says nothing the text does not."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from contrat_ville.territories.models import Territory

WIDTH, HEIGHT, MARGIN = 1200, 825, 50
QPV_FILL = (0, 0, 145, 110)
QPV_LINE = (0, 0, 145, 255)
EPCI_FILL = (236, 236, 254, 255)
EPCI_LINE = (120, 120, 120, 255)
FONT_PATHS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)

Ring = Sequence[Sequence[float]]


def _polygons(geometry: dict[str, Any] | None) -> list[list[Ring]]:
    """A GeoJSON Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _bounds(polygons: Iterable[list[Ring]]) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []
    for polygon in polygons:
        for point in polygon[0] if polygon else []:
            xs.append(point[0])
            ys.append(point[1])
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def qpv_map_png(*, qpvs: Sequence[Territory], epci: Territory | None = None) -> bytes | None:
    """The QPVs numbered 1, 2… in ``qpvs``' order over the EPCI's outline; ``None`` when no QPV has a contour."""
    qpv_polygons = [_polygons(qpv.geometry) for qpv in qpvs]
    epci_polygons = _polygons(epci.geometry) if epci is not None else []
    bounds = _bounds(polygon for polygons in qpv_polygons for polygon in polygons)
    if bounds is None:
        return None
    # The QPVs frame the map, with a margin of their own span around them (a QPV is small beside its EPCI: framed
    # on the EPCI, it would be a dot); the EPCI's outline shows around them for context.
    west, south, east, north = bounds
    pad_x, pad_y = max((east - west) * 0.4, 0.002), max((north - south) * 0.4, 0.002)
    west, south, east, north = west - pad_x, south - pad_y, east + pad_x, north + pad_y
    # An equirectangular projection corrected by the latitude's cosine: fine at the scale of an intercommunality.
    x_scale = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * x_scale, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = (HEIGHT - span_y * scale) / 2

    def project(point: Sequence[float]) -> tuple[float, float]:
        return (
            offset_x + (point[0] - west) * x_scale * scale,
            offset_y + (north - point[1]) * scale,
        )

    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 255))
    layer = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for polygon in epci_polygons:
        if polygon:
            draw.polygon([project(point) for point in polygon[0]], fill=EPCI_FILL, outline=EPCI_LINE, width=3)
    for polygons in qpv_polygons:
        for polygon in polygons:
            if polygon:
                draw.polygon([project(point) for point in polygon[0]], fill=QPV_FILL, outline=QPV_LINE, width=3)
    image = Image.alpha_composite(image, layer)
    labels = ImageDraw.Draw(image)
    font = _font(26)
    for number, polygons in enumerate(qpv_polygons, start=1):
        qpv_bounds = _bounds(polygons)
        if qpv_bounds is None:
            continue
        x, y = project(((qpv_bounds[0] + qpv_bounds[2]) / 2, (qpv_bounds[1] + qpv_bounds[3]) / 2))
        radius = 20
        labels.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255), outline=QPV_LINE, width=3
        )
        labels.text((x, y), str(number), fill=(0, 0, 0), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def qpv_map_alternative(*, qpvs: Sequence[Territory], epci: Territory | None = None) -> str:
    """The text alternative of ``qpv_map_png``: what the map shows, in words."""
    names = "; ".join(f"{number} : {qpv.name} ({qpv.code})" for number, qpv in enumerate(qpvs, start=1))
    where = f" dans le périmètre de {epci.name}" if epci is not None and epci.geometry else ""
    return f"Carte des {len(qpvs)} quartiers prioritaires du contrat{where}, numérotés : {names}."
