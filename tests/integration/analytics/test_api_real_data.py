"""The analytics API against figures recomputed independently from the publishers' files."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient
from tests.integration.analytics.conftest import ANALYST, FRONTEX, MMP

from itinera.web.deps import current_actor


def _mmp_central_med_2024() -> dict[str, int]:
    """Dead and missing by month of incident date, rows whose route is exactly "Central
    Mediterranean"; every record counts (cumulative and split rows carry their own people),
    a blank total counts 0, rows without a date are left out (the movements service's rule)."""
    months: dict[str, int] = defaultdict(int)
    with MMP.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            route = (row["Migration Route"] or "").strip()
            day = (row["Incident Date"] or "").strip()
            if route != "Central Mediterranean" or not day.startswith("2024-"):
                continue
            total = (row["Total Number of Dead and Missing"] or "").strip()
            months[day[:7]] += int(float(total)) if total else 0
    return dict(months)


def _frontex_western_med(first: str, last: str) -> int:
    with FRONTEX.open(newline="", encoding="utf-8") as handle:
        return sum(
            int(row["n"])
            for row in csv.DictReader(handle)
            if row["route"] == "Western Mediterranean Route" and first <= row["t"] <= last
        )


def test_a_year_of_central_mediterranean_dead_and_missing(analyst: TestClient) -> None:
    expected = _mmp_central_med_2024()
    assert sum(expected.values()) > 1000  # the file really has the year
    answer = analyst.get(
        "/api/routes/central-mediterranean/series",
        params={"indicator": "dead_and_missing", "from": "2024-01", "to": "2024-12"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # Incidents MMP files under no route (or the Sahara crossing) but that lie on a Central
    # Mediterranean leg are on the route too (issue 11, decision 0020), marked as such.
    placed = analyst.get(
        "/api/observations",
        params={
            "indicator": "dead_and_missing",
            "route_id": "central-mediterranean",
            "route_method": "coordinates",
            "from": "2024-01",
            "to": "2024-12",
            "limit": 5000,
        },
    ).json()["items"]
    assert placed and all(o["route_distance_km"] is not None for o in placed)
    for o in placed:
        expected[o["period"]] = expected.get(o["period"], 0) + int(o["value"])
    got = {p["month"]: p["value"] for p in body["points"]}
    assert got == {m: float(v) for m, v in expected.items()}
    assert body["total"] == sum(expected.values())
    assert body["years"] == [
        {
            "period": "2024",
            "value": sum(expected.values()),
            "complete": True,
            "months_present": 12,
            "months_expected": 12,
        }
    ]
    assert body["sources"] == ["iom-mmp"] and body["batches"]


def test_a_quarter_of_frontex_detections_on_the_western_mediterranean(
    analyst: TestClient,
) -> None:
    expected = _frontex_western_med("2024-01", "2024-03")
    body = analyst.get(
        "/api/routes/western-mediterranean/series",
        params={"indicator": "irregular_crossings_detected", "from": "2024-01", "to": "2024-03"},
    ).json()
    assert body["unit"] == "detections"
    assert body["total"] == expected
    assert body["quarters"][0]["period"] == "2024-Q1"
    assert body["quarters"][0]["value"] == expected


def test_the_public_sees_small_cells_suppressed_and_analysts_exact(app_for: TestClient) -> None:
    params = {
        "indicator": "irregular_crossings_detected",
        "from": "2024-01",
        "to": "2024-03",
        "by": "nationality",
    }
    url = "/api/routes/western-mediterranean/series"
    app_for.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    exact = app_for.get(url, params=params).json()
    app_for.app.dependency_overrides.pop(current_actor)  # type: ignore[attr-defined]
    assert exact["exact"] is True
    small = [v for item in exact["breakdown"] for v in item["values"].values() if 0 < v < 5]
    assert small, "the quarter has nationalities with fewer than 5 detections"
    shown = app_for.get(url, params=params).json()
    assert shown["exact"] is False and shown["threshold"] == 5
    values = [v for item in shown["breakdown"] for v in item["values"].values()]
    assert None in values
    assert all(v is None or v == 0 or v >= 5 for v in values)


def test_series_as_csv_by_parameter_and_by_accept_header(analyst: TestClient) -> None:
    url = "/api/routes/central-mediterranean/series"
    params = {"indicator": "dead_and_missing", "from": "2024-01", "to": "2024-03"}
    by_param = analyst.get(url, params={**params, "format": "csv"})
    by_header = analyst.get(url, params=params, headers={"Accept": "text/csv"})
    assert by_param.headers["content-type"].startswith("text/csv")
    assert by_param.text == by_header.text
    lines = by_param.text.splitlines()
    assert lines[0].startswith("route_id,indicator,unit,month,value")
    assert len(lines) == 4 and lines[1].startswith("central-mediterranean,dead_and_missing")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"indicator": "nope"}, "indicator"),
        ({"indicator": "dead", "from": "2024-13"}, "from"),
        ({"indicator": "dead", "from": "2024-05", "to": "2024-01"}, "to"),
        ({"indicator": "dead", "by": "religion"}, "by"),
    ],
)
def test_bad_requests_name_the_field(
    analyst: TestClient, params: dict[str, str], field: str
) -> None:
    answer = analyst.get("/api/routes/central-mediterranean/series", params=params)
    assert answer.status_code == 422
    assert any(field in f["field"] for f in answer.json()["error"]["fields"])


def test_unknown_route_is_404(analyst: TestClient) -> None:
    answer = analyst.get("/api/routes/atlantis/series", params={"indicator": "dead"})
    assert answer.status_code == 404


def test_mortality_is_undefined_without_arrivals(analyst: TestClient) -> None:
    body = analyst.get(
        "/api/routes/central-mediterranean/mortality", params={"from": "2024-01", "to": "2024-02"}
    ).json()
    assert body["period"]["rate"] is None
    assert all(p["rate"] is None and p["dead_and_missing"] > 0 for p in body["points"])


def test_alerts_include_an_explained_shift_in_the_western_group(analyst: TestClient) -> None:
    body = analyst.get("/api/alerts", params={"months": 72}).json()
    shifts = [a for a in body["alerts"] if a["kind"] == "shift" and a["group"] == "western"]
    assert shifts
    assert " share of " in shifts[0]["message"] and "%" in shifts[0]["message"]
    french = analyst.get("/api/alerts", params={"months": 72, "lang": "fr"}).json()
    assert any(a["message"].startswith("La part de") for a in french["alerts"])
    as_csv = analyst.get("/api/alerts", params={"format": "csv"})
    assert as_csv.text.splitlines()[0] == "kind,route_id,indicator,month,severity,message"
