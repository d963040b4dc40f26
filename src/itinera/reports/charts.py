"""Charts and the route map of a report, drawn offline with vl-convert (Vega-Lite).

Fonts come from local directories (Debian's fonts-noto-core); nothing is downloaded. Charts are
SVG, except in Arabic: WeasyPrint's SVG text does not shape Arabic, so Arabic charts are PNG
rendered by vl-convert itself (which shapes it), at twice the size for print.
"""

from __future__ import annotations

import base64
import json
import math
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import vl_convert

from itinera.domain.analytics.month_labels import month_label

__all__ = [
    "FONT_DIRECTORIES",
    "RIGHT_TO_LEFT",
    "bar_chart",
    "render",
    "route_map",
    "series_chart",
]

FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
WORLD = Path(__file__).resolve().parents[1] / "web/static/vendor/world-atlas/countries-110m.json"
_lock = threading.Lock()
FONTS = {"ar": "Noto Sans Arabic", "fr": "Noto Sans", "en": "Noto Sans"}
RIGHT_TO_LEFT = frozenset({"ar"})


@cache
def _register_fonts() -> int:
    found = [d for d in FONT_DIRECTORIES if d.is_dir()]
    for folder in found:
        vl_convert.register_font_directory(str(folder))
    return len(found)


def _base(language: str, width: int = 460, height: int = 200) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        "config": {"font": FONTS.get(language, "Noto Sans"), "view": {"stroke": None}},
    }


def series_chart(
    points: list[dict[str, Any]], value_title: str, language: str, mark: str = "bar"
) -> dict[str, Any]:
    values = [
        {"month": month_label(p["month"], language), "value": p["value"]}
        for p in points
        if p["value"] is not None
    ]  # months named in the reader's language, kept in the series' order (no sort)
    rtl = language in RIGHT_TO_LEFT  # time runs from the right, the values' axis is there too
    return {
        **_base(language),
        "data": {"values": values},
        "mark": {"type": mark, "color": "#1f5f8b", "point": mark == "line"},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": 0},
                "scale": {"reverse": rtl},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "axis": {"orient": "right" if rtl else "left"},
            },
        },
    }


def bar_chart(rows: list[tuple[str, float]], value_title: str, language: str) -> dict[str, Any]:
    values = [{"category": c, "value": v} for c, v in rows if v is not None]
    return {
        **_base(language, height=max(60, 22 * len(values))),
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#b5472d"},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "axis": {"tickMinStep": 1, "format": "d"},
            },
        },
    }


def _extent(geometry: dict[str, Any], points: list[dict[str, Any]]) -> tuple[float, ...]:
    lons, lats = [], []
    for feature in geometry.get("features", []):
        coords = feature["geometry"]["coordinates"]
        pairs = coords if feature["geometry"]["type"] == "LineString" else [coords]
        lons += [c[0] for c in pairs]
        lats += [c[1] for c in pairs]
    lons += [p["longitude"] for p in points]
    lats += [p["latitude"] for p in points]
    if not lons:
        return (-20.0, 20.0, 0.0, 40.0)
    return (min(lons) - 2, max(lons) + 2, max(min(lats) - 2, -80), min(max(lats) + 2, 80))


MAP_CELLS = 32  # cells across the map's width: about 14 px each, a circle's width


def _cells(points: list[dict[str, Any]], size: float) -> list[dict[str, Any]]:
    """Observations gathered per map cell, drawn at their mean position and sized by their
    number: thousands of points in a quarter would each be an SVG element (most of a PDF's
    time) and would hide one another anyway."""
    cells: dict[tuple[int, int], list[float]] = {}
    for p in points:
        key = (math.floor(p["longitude"] / size), math.floor(p["latitude"] / size))
        cell = cells.setdefault(key, [0.0, 0.0, 0])
        cell[0] += p["longitude"]
        cell[1] += p["latitude"]
        cell[2] += 1
    return [
        {"longitude": lon / n, "latitude": lat / n, "observations": int(n)}
        for (lon, lat, n) in (cells[key] for key in sorted(cells))
    ]


def route_map(
    geometry: dict[str, Any], points: list[dict[str, Any]], language: str, count_title: str = ""
) -> dict[str, Any]:
    """The route's legs over the bundled country shapes, with risk observations gathered per
    cell of the map and sized by their number."""
    west, east, south, north = _extent(geometry, points)
    layers: list[dict[str, Any]] = []
    if WORLD.exists():
        layers.append(
            {
                "data": {
                    "values": json.loads(WORLD.read_text("utf-8")),
                    "format": {"type": "topojson", "feature": "countries"},
                },
                "mark": {"type": "geoshape", "fill": "#eeeeee", "stroke": "#999999"},
            }
        )
    legs = [f for f in geometry.get("features", []) if f["geometry"]["type"] == "LineString"]
    layers.append(
        {
            "data": {"values": legs},
            "mark": {"type": "geoshape", "filled": False, "stroke": "#1f5f8b", "strokeWidth": 2},
        }
    )
    if points:
        layers.append(
            {
                "data": {"values": _cells(points, (east - west) / MAP_CELLS)},
                "mark": {"type": "circle", "color": "#b5472d", "opacity": 0.8},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {
                        "field": "observations",
                        "type": "quantitative",
                        "scale": {"range": [30, 250]},
                        "title": count_title,
                    },
                },
            }
        )
    for layer in layers:
        layer["mark"]["clip"] = True
    width, height = 460, 320
    return {
        **_base(language, width=width, height=height),
        "projection": _mercator(west, east, south, north, width, height),
        "layer": layers,
    }


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator(
    west: float, east: float, south: float, north: float, width: int, height: int
) -> dict[str, Any]:
    """A Mercator projection centred on the extent and scaled so that it fills the view."""
    span_x = math.radians(east - west)
    span_y = _mercator_y(north) - _mercator_y(south)
    scale = min(width / span_x, height / span_y)
    centre_y = math.degrees(
        2 * math.atan(math.exp((_mercator_y(north) + _mercator_y(south)) / 2)) - math.pi / 2
    )
    return {"type": "mercator", "center": [(west + east) / 2, centre_y], "scale": scale}


def render(spec: dict[str, Any], language: str) -> str:
    """The chart as a data URI: SVG, or PNG for Arabic. The same chart (same spec, data
    included) is drawn once per process: vl-convert takes most of a report's rendering time."""
    return _render(json.dumps(spec, sort_keys=True, default=str), language)


@lru_cache(maxsize=256)
def _render(spec_json: str, language: str) -> str:
    spec = json.loads(spec_json)
    _register_fonts()
    with _lock:  # vl-convert's engine is shared: one rendering at a time
        if language == "ar":
            png = vl_convert.vegalite_to_png(spec, scale=2)
            return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        svg = vl_convert.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
