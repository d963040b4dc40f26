"""Early warning on the real Frontex file (issue 11): the Central Mediterranean fall of 2024
raises a "down" alert and the Atlantic rise of 2023 an "up" one, through the store and
the API; the replay of 2015–2025 catches every turning point cited (what each citation rests on is
in the replay's "citation checked" column, docs/analytics.md)."""

from __future__ import annotations

from typing import Any

from benchmarks.replay_early_warning import FRONTEX, replay, route_series
from fastapi.testclient import TestClient
from tests.integration.analytics.conftest import DATA


def _early_warnings(analyst: TestClient, route: str) -> list[dict[str, Any]]:
    body = analyst.get("/api/alerts", params={"route": route, "months": 28}).json()
    return [
        a
        for a in body["alerts"]
        if a["kind"] == "early-warning" and a["indicator"] == "irregular_crossings_detected"
    ]


def test_the_central_mediterranean_fall_of_2024_raises_a_down_alert(analyst: TestClient) -> None:
    found = _early_warnings(analyst, "central-mediterranean")
    falls = sorted(a["month"] for a in found if a["direction"] == "down")
    assert any(m.startswith("2024-") for m in falls), found
    first = next(a for a in found if a["month"] == falls[0])
    # the range is a band of ratios around the expected figure, not clipped to 0
    assert 0 < first["expected_low"] < first["expected"] < first["expected_high"]
    assert first["value"] < first["expected_low"]
    assert "below the expected" in first["message"]


def test_the_atlantic_rise_of_2023_raises_an_up_alert(analyst: TestClient) -> None:
    found = _early_warnings(analyst, "west-africa-atlantic")
    rises = {a["month"] for a in found if a["direction"] == "up"}
    # the turn Frontex names (2023-09), from two months before to six after, as in the replay
    assert any("2023-07" <= m <= "2024-03" for m in rises), found


def test_the_replay_catches_every_turning_point_frontex_describes() -> None:
    rows, all_caught = replay(route_series(DATA / FRONTEX))
    turns = [r for r in rows if r[1] != "quiet months"]
    assert len(turns) >= 6 and len({r[0] for r in turns}) >= 4
    assert all_caught, [r for r in turns if r[5].startswith("missed") and "gradual" not in r[5]]
    lags = [int(r[5]) for r in turns if not r[5].startswith("missed")]
    assert all(-2 <= lag <= 6 for lag in lags)
    # no citation is claimed beyond what the sources held here show
    assert all(r[7].startswith(("unverified", "partly verified")) for r in turns)
