"""``itinera analytics`` gives the same figures as the API."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.storage.database import Database

app = build_cli()


@pytest.fixture
def cli_env(movement_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", movement_db.url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")


def test_cli_series_matches_the_api(cli_env: None, analyst: TestClient) -> None:
    runner = CliRunner(mix_stderr=False)
    args = [
        "analytics",
        "series",
        "central-mediterranean",
        "--indicator",
        "dead_and_missing",
        "--from",
        "2024-01",
        "--to",
        "2024-06",
    ]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    api = analyst.get(
        "/api/routes/central-mediterranean/series",
        params={"indicator": "dead_and_missing", "from": "2024-01", "to": "2024-06"},
    ).json()
    assert json.loads(result.stdout)["points"] == api["points"]
    text = runner.invoke(app, args)
    assert text.stdout.splitlines()[1].startswith("central-mediterranean\tdead_and_missing")


def test_cli_alerts_and_errors(cli_env: None) -> None:
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(app, ["analytics", "alerts", "--months", "72", "--json"])
    assert result.exit_code == 0, result.stderr
    assert any(a["kind"] == "shift" for a in json.loads(result.stdout))
    bad = runner.invoke(app, ["analytics", "series", "central-mediterranean", "--indicator", "x"])
    assert bad.exit_code == 1 and "indicator" in bad.stderr


def test_cli_series_per_country_matches_the_api(cli_env: None, analyst: TestClient) -> None:
    runner = CliRunner(mix_stderr=False)
    args = ["analytics", "series", "central-mediterranean", "--indicator", "dead_and_missing"]
    period = ["--from", "2023-01", "--to", "2023-12", "--country", "LBY", "--json"]
    result = runner.invoke(app, [*args, *period])
    assert result.exit_code == 0, result.stderr
    params = {"indicator": "dead_and_missing", "from": "2023-01", "to": "2023-12"}
    api = analyst.get(
        "/api/routes/central-mediterranean/series", params={**params, "country": "LBY"}
    ).json()
    assert json.loads(result.stdout)["points"] == api["points"] and api["total"]
    route = analyst.get("/api/routes/central-mediterranean/series", params=params).json()
    assert 0 < api["total"] < route["total"]
