"""The requests of issue 10, item 6, on the real Frontex and Missing Migrants data: the
anonymous observations of a month and the service-gap answers (API and page) show no count
from 1 to 4, while an analyst still reads them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

THRESHOLD = 5
MONTH = {
    "source": "frontex-ibc",
    "route_id": "central-mediterranean",
    "from": "2024-01",
    "to": "2024-01",
    "limit": 5000,
}
SMALL_LABEL = re.compile(r"\b([1-4]) dead and missing")


def test_the_reported_month_of_observations_hides_small_cells(
    app_for: TestClient, analyst: TestClient
) -> None:
    exact = analyst.get("/api/observations", params=MONTH).json()["items"]
    assert any(0 < i["value"] < THRESHOLD for i in exact)  # the figures the public saw
    analyst.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    public = app_for.get("/api/observations", params=MONTH).json()["items"]
    assert len(public) == len(exact)
    assert not [i for i in public if i["value"] is not None and 0 < i["value"] < THRESHOLD]
    assert any(i["suppressed"] for i in public)


def test_service_gaps_reveal_no_small_dead_and_missing_count(app_for: TestClient) -> None:
    answer = app_for.get("/api/services/routes/central-mediterranean/gaps")
    assert answer.status_code == 200, answer.text
    labels = [h["label"] for c in answer.json()["coverage"] for h in c["uncovered_hotspots"]]
    assert any("dead and missing" in label for label in labels)
    assert not [label for label in labels if SMALL_LABEL.search(label)]
    page = app_for.get("/services/routes/central-mediterranean")
    assert page.status_code == 200
    assert not SMALL_LABEL.search(page.text)
