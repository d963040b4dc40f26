"""Overview figures and incident points: the public sees rounded cells and no small count."""

from __future__ import annotations

import csv
from collections import defaultdict

from fastapi.testclient import TestClient
from tests.integration.analytics.conftest import ANALYST, MMP

from itinera.web.deps import current_actor


def _central_med_2024_dead_and_missing() -> float:
    total = 0.0
    with MMP.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["Migration Route"] or "").strip() == "Central Mediterranean" and (
                row["Incident Date"] or ""
            ).startswith("2024-"):
                total += float(row["Total Number of Dead and Missing"] or 0)
    return total


def test_points_are_cells_and_small_counts_are_hidden_for_the_public(
    app_for: TestClient,
) -> None:
    params = {"from": "2024-01", "to": "2024-12"}
    public = app_for.get("/api/incidents/points", params=params).json()
    assert public["grid_degrees"] == 0.5 and public["exact"] is False
    counts = [f["properties"]["dead_and_missing"] for f in public["features"]]
    assert None in counts and all(c is None or c >= 5 for c in counts)
    for f in public["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert (lon * 2).is_integer() and (lat * 2).is_integer()
    app_for.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    try:
        exact = app_for.get("/api/incidents/points", params=params).json()
        route = app_for.get(
            "/api/incidents/points", params={**params, "route": "central-mediterranean"}
        ).json()
        route_observations = app_for.get(
            "/api/observations",
            params={
                "route_id": "central-mediterranean",
                "route_method": "coordinates",
                "limit": 5000,
                **params,
            },
        ).json()["items"]
    finally:
        app_for.app.dependency_overrides.pop(current_actor)  # type: ignore[attr-defined]
    assert exact["grid_degrees"] == 0.1
    assert all(f["properties"]["dead_and_missing"] > 0 for f in exact["features"])
    # every dated incident with coordinates on the route is in some cell (a few lack them)
    on_route = sum(f["properties"]["dead_and_missing"] for f in route["features"])
    named = _central_med_2024_dead_and_missing()
    placed = sum(  # incidents on the route by their coordinates (issue 11)
        o["value"]
        for o in route_observations
        if o["route_method"] == "coordinates" and o["indicator"] == "dead_and_missing"
    )
    assert placed > 0
    assert 0.9 * (named + placed) <= on_route <= named + placed


def test_overview_has_key_figures_for_every_route(app_for: TestClient) -> None:
    body = app_for.get("/api/analytics/overview").json()
    assert len(body["routes"]) == 8 and body["to"] is not None
    central = body["routes"]["central-mediterranean"]
    assert central["dead_and_missing"] > 0
    assert central["mortality_rate"] is None  # no arrivals in this store: undefined, not 0
    assert central["flow"]["indicator"] == "irregular_crossings_detected"
    assert body["flows"]["central-mediterranean"] == central["flow"]["value"]
    widths: dict[str, float] = defaultdict(float, body["flows"])
    assert widths["central-mediterranean"] > widths["southern-africa"]
