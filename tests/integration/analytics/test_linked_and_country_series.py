"""Linked routes' correlation and series per country (issue 11), on the real files, against
figures recomputed independently from the publishers' files."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import pairwise

import numpy as np
from fastapi.testclient import TestClient
from tests.integration.analytics.conftest import FRONTEX


def _frontex_changes(route: str, first: str, last: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    with FRONTEX.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["route"] == route:
                totals[row["t"]] += float(row["n"])
    months = sorted(m for m in totals if first <= m <= last)
    return {b: totals[b] - totals[a] for a, b in pairwise(months)}


def test_linked_routes_give_the_correlation_of_monthly_changes(analyst: TestClient) -> None:
    params = {"indicator": "irregular_crossings_detected", "from": "2022-05", "to": "2025-04"}
    body = analyst.get("/api/routes/central-mediterranean/linked", params=params).json()
    linked = {r["route_id"]: r for r in body["linked"]}
    assert linked["western-mediterranean"]["link"] == "inversely-linked"
    central = _frontex_changes("Central Mediterranean Route", "2022-05", "2025-04")
    western = _frontex_changes("Western Mediterranean Route", "2022-05", "2025-04")
    months = sorted(central)
    expected = np.corrcoef([central[m] for m in months], [western[m] for m in months])[0, 1]
    assert linked["western-mediterranean"]["correlation"] == round(float(expected), 3)
    assert linked["western-mediterranean"]["months"] == len(months) == 35
    french = analyst.get("/api/routes/central-mediterranean/linked?lang=fr").json()
    assert any(r["name"].startswith("Route") for r in french["linked"])
    assert analyst.get("/api/routes/no-such-route/linked").status_code == 404
    bad = analyst.get("/api/routes/central-mediterranean/linked", params={"indicator": "nope"})
    assert bad.status_code == 422 and "indicator" in bad.text


def test_a_series_per_country_is_the_country_s_part_of_the_route(analyst: TestClient) -> None:
    base = {"indicator": "dead_and_missing", "from": "2023-01", "to": "2023-12"}
    url = "/api/routes/central-mediterranean/series"
    split = analyst.get(url, params={**base, "by": "country"}).json()
    route = analyst.get(url, params=base).json()
    parts = {b["category"]: b for b in split["breakdown"] if b["category"] != "unknown"}
    assert len(parts) >= 2
    summed: dict[str, float] = defaultdict(float)
    for code, part in parts.items():
        one = analyst.get(url, params={**base, "country": code.lower()}).json()
        assert one["country"] == code and one["total"] == part["total"]
        for point in one["points"]:
            assert (point["value"] is None) == (point["source"] is None)
            summed[point["month"]] += point["value"] or 0
    for point in route["points"]:  # the countries' parts never exceed the route's figure
        assert summed[point["month"]] <= (point["value"] or 0)
    for bad in ({"country": "IT"}, {"country": "ITA", "by": "country"}):
        assert analyst.get(url, params={**base, **bad}).status_code == 422


def test_the_route_page_shows_the_linked_routes_correlation_in_each_language(
    analyst: TestClient,
) -> None:
    expected = {
        "en": "How the linked routes moved with this one",
        "fr": "Comment les routes liées ont évolué avec celle-ci",
        "ar": "كيف تحركت الطرق المرتبطة مع هذا الطريق",
    }
    params = {"indicator": "irregular_crossings_detected", "from": "2022-05", "to": "2025-04"}
    api = analyst.get("/api/routes/central-mediterranean/linked", params=params).json()
    western = next(r for r in api["linked"] if r["route_id"] == "western-mediterranean")
    for lang, title in expected.items():
        page = analyst.get(
            "/routes/central-mediterranean",
            params={**params, "lang": lang},
            headers={"Accept": "text/html"},
        )
        assert page.status_code == 200 and title in page.text
        table = page.text.split('id="linked-moves"', 1)[1].split("</table>", 1)[0]
        assert "/routes/western-mediterranean" in table
    assert f"{western['correlation']:.2f}" in table.replace("٫", ".")
