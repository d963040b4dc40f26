"""The report map gathers risk observations per cell: every observation is counted once, near
ones share a circle, distant ones do not."""

from __future__ import annotations

import random

from itinera.reports.charts import MAP_CELLS, route_map

LEG = {
    "type": "Feature",
    "geometry": {"type": "LineString", "coordinates": [[10.0, 30.0], [14.0, 36.0]]},
    "properties": {},
}


def _circles(points: list[dict[str, float]]) -> list[dict[str, float]]:
    spec = route_map({"features": [LEG]}, points, "fr", "observations")
    layer = spec["layer"][-1]
    assert layer["encoding"]["size"]["field"] == "observations"
    return layer["data"]["values"]


def test_every_observation_is_counted_once() -> None:
    rng = random.Random(3)
    points = [
        {"longitude": rng.uniform(10, 14), "latitude": rng.uniform(30, 36)} for _ in range(2000)
    ]
    circles = _circles(points)
    assert sum(c["observations"] for c in circles) == len(points)
    assert len(circles) < len(points) / 2  # fewer SVG elements than points at this density


def test_near_points_share_a_circle_and_far_ones_do_not() -> None:
    near = [{"longitude": 12.0001, "latitude": 33.0001}, {"longitude": 12.0002, "latitude": 33.0}]
    far = [{"longitude": 10.5, "latitude": 30.5}]
    circles = _circles(near + far)
    assert sorted(c["observations"] for c in circles) == [1, 2]
    shared = next(c for c in circles if c["observations"] == 2)
    assert abs(shared["longitude"] - 12.00015) < 1e-9  # drawn at the mean position
    assert MAP_CELLS > 0
