"""The CLI contract: output, --json, one-line errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli

app = build_cli()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ITINERA_DATABASE_URL", url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    return {"ITINERA_DATABASE_URL": url}


def test_init_twice_then_list_and_show(env: dict[str, str]) -> None:
    runner = CliRunner(mix_stderr=False)
    first = runner.invoke(app, ["init"])
    assert first.exit_code == 0, first.output
    assert "routes: 8 added" in first.output
    second = runner.invoke(app, ["init"])
    assert "nothing changed" in second.output

    listed = runner.invoke(app, ["routes", "list", "--json"])
    assert listed.exit_code == 0
    assert len(json.loads(listed.stdout)) == 8

    shown = runner.invoke(app, ["routes", "show", "central-mediterranean", "--json"])
    assert shown.exit_code == 0, shown.output
    route = json.loads(shown.stdout)
    assert route["id"] == "central-mediterranean"
    assert route["legs"] and all({"from", "to", "mode"} <= set(leg) for leg in route["legs"])
    assert {c["role"] for c in route["countries"]} >= {"origin", "transit"}

    text = runner.invoke(app, ["routes", "show", "central-mediterranean", "--lang", "fr"])
    assert "Méditerranée centrale" in text.output


def test_unknown_route_is_one_line_and_exit_code_1(env: dict[str, str]) -> None:
    runner = CliRunner(mix_stderr=False)
    runner.invoke(app, ["init"])
    result = runner.invoke(app, ["routes", "show", "atlantis"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "NotFoundError: no route with id 'atlantis'"
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["routes", "show"])
    assert result.exit_code == 2


def test_production_refuses_a_placeholder_secret(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "production")
    result = CliRunner().invoke(app, ["routes", "list"])
    assert result.exit_code != 0
    assert "ITINERA_SECRET_KEY" in result.output
