"""The gazetteer's admin-1 points (issue 12): a 3W row that names its admin-1 area and gives no
coordinates lands inside that area's country, away from the country's centre; the points
derived offline from GeoNames lie inside their country's shape (the world atlas the pages
draw), so no area was matched to a namesake elsewhere."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pycountry
import pytest

from itinera.domain.spatial import haversine_km
from itinera.importers.services_hxl import read_hxl_services
from itinera.reference.files import default_data_dir
from itinera.reference.gazetteer import locate

ATLAS = (
    Path(__file__).resolve().parents[3]
    / "src/itinera/web/static/vendor/world-atlas/countries-50m.json"
)
Ring = list[tuple[float, float]]


def _shapes() -> dict[str, list[list[Ring]]]:
    """Each country's polygons (lon, lat rings) by ISO 3166 numeric code, from TopoJSON."""
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> Ring:
        out: Ring = []
        for i in indices:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    found = {}
    for shape in topo["objects"]["countries"]["geometries"]:
        polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape.get("arcs", [])
        found[str(shape.get("id"))] = [[ring(r) for r in polygon] for polygon in polygons]
    return found


def _inside(lat: float, lon: float, polygons: list[list[Ring]]) -> bool:
    hit = False
    for polygon in polygons:
        for points in polygon:
            for (xi, yi), (xj, yj) in zip(points, points[-1:] + points[:-1], strict=True):
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    hit = not hit
    return hit


@pytest.fixture(scope="module")
def shapes() -> dict[str, list[list[Ring]]]:
    return _shapes()


def _shape(shapes: dict[str, list[list[Ring]]], alpha_3: str) -> list[list[Ring]]:
    return shapes[pycountry.countries.get(alpha_3=alpha_3).numeric]


def test_rows_named_by_admin_area_land_inside_its_country_away_from_the_centre(
    tmp_path: Path, shapes: dict[str, list[list[Ring]]]
) -> None:
    areas = [("NER", "Agadez"), ("SDN", "North Darfur"), ("MLI", "Kidal"), ("AFG", "Kabul")]
    path = tmp_path / "3w.csv"
    lines = [f"IRC,Health,{country},{area},," for country, area in areas]
    path.write_text(
        "Organisation,Sector,Country,Region,Lat,Lon\n"
        "#org,#sector,#country+code,#adm1+name,#geo+lat,#geo+lon\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    placed = {p.name: p for p in read_hxl_services(path).points}
    for country, area in areas:
        point, centre = placed[f"IRC – {area}"], locate(country, None)
        assert centre is not None
        assert _inside(point.lat, point.lon, _shape(shapes, country)), area
        assert haversine_km(point.lat, point.lon, centre.lat, centre.lon) > 100, area
        assert point.extra["location_precision"] == f"approximate: the centroid of {area}"


def test_admin_area_points_lie_inside_their_country(shapes: dict[str, list[list[Ring]]]) -> None:
    with (default_data_dir() / "gazetteer-adm1.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    own = [r for r in rows if r["level"] == "1" and r["precision"] == "admin-1"]
    assert len(own) > 1500  # most areas have a point of their own, not the country's centre
    assert {r["source"] for r in own} <= {"geonames", "unhcr-sublocations"}
    drawn = [r for r in own if r["source"] == "geonames" and _known(shapes, r["country"])]
    inside = [
        r for r in drawn if _inside(float(r["lat"]), float(r["lon"]), _shape(shapes, r["country"]))
    ]
    # the rest are coastal towns and small islands the 1:50m atlas draws coarsely or not at all
    assert len(inside) / len(drawn) > 0.9


def _known(shapes: dict[str, list[list[Ring]]], alpha_3: str) -> bool:
    country = pycountry.countries.get(alpha_3=alpha_3)
    return country is not None and country.numeric in shapes
