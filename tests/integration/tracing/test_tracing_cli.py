"""The tracing team at the command line, on SQLite and PostgreSQL: ``tracing requests add``
and ``list`` for one organisation, ``tracing match``, then ``tracing review`` showing the pair
and its explanation, with a child's match confirmed only by a second, different reviewer."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database


def _body(given: str, family: str, year: int) -> dict[str, object]:
    return {
        "inquirer": {"given_name": "Amal", "family_name": "Requester", "contact": "+249 9"},
        "sought": [
            {
                "given_name": given,
                "family_name": family,
                "sex": "female",
                "birth_year": year,
                "nationality": "SDN",
            }
        ],
        "relationship": "daughter",
        "consent": {"purposes": ["tracing"]},
    }


def test_requests_match_and_review_at_the_command_line(
    tracing_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", tracing_database_url)
    monkeypatch.setenv("ITINERA_KEY_FILE", str(tmp_path / "keys" / "field.key"))
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    monkeypatch.delenv("ITINERA_FIELD_KEY", raising=False)
    org = f"Family Links CLI {secrets.token_hex(3)}"
    db = Database(tracing_database_url)
    accounts.create_organisation(db, SYSTEM, org, "ngo")
    db.dispose()
    cli, run = build_cli(), CliRunner()
    year = date.today().year - 10  # a child
    numbers = []
    for given, family in (("فاطمة", "عبد الرحمن"), ("Fatima", "Abderrahmane")):
        source = tmp_path / f"{family}.json"
        source.write_text(json.dumps(_body(given, family, year)), "utf-8")
        added = run.invoke(cli, ["tracing", "requests", "add", str(source), "--org", org])
        assert added.exit_code == 0, added.output
        numbers.append(added.output.strip())

    listed = run.invoke(cli, ["tracing", "requests", "list", "--org", org, "--json"])
    assert listed.exit_code == 0, listed.output
    assert {r["id"] for r in json.loads(listed.output)} == set(numbers)
    assert "فاطمة" not in listed.output  # nothing decrypted in a list
    assert run.invoke(cli, ["tracing", "match"]).exit_code == 0

    first = run.invoke(
        cli,
        ["tracing", "review", "--org", org, "--reviewer", "amina"],
        input="m\nsame girl, same school\nq\n",
    )
    assert first.exit_code == 0, first.output
    assert "فاطمة (ftmh), عبد الرحمن (bd lrhmn)" in first.output
    assert "given: same name (variant dictionary)" in first.output
    assert "a second reviewer confirms" in first.output
    assert "awaiting second review" in first.output
    again = run.invoke(
        cli, ["tracing", "review", "--org", org, "--reviewer", "amina"], input="m\nsure\n"
    )
    assert again.exit_code == 1 and "second, different reviewer" in again.output
    second = run.invoke(
        cli, ["tracing", "review", "--org", org, "--reviewer", "yonas"], input="m\nphoto\nq\n"
    )
    assert second.exit_code == 0, second.output
    assert "confirmed" in second.output


def test_a_bad_request_file_or_organisation_is_named(
    tracing_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", tracing_database_url)
    monkeypatch.setenv("ITINERA_KEY_FILE", str(tmp_path / "field.key"))
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    body = _body("Fatima", "Ali", 1990)
    body["sought"][0]["nationality"] = "Sudan"  # type: ignore[index]
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(body), "utf-8")
    cli, run = build_cli(), CliRunner()
    bad = run.invoke(cli, ["tracing", "requests", "add", str(source), "--org", "Nobody"])
    assert bad.exit_code == 1
    assert "sought.0.nationality" in bad.output and "Fatima" not in bad.output
    source.write_text(json.dumps(_body("Fatima", "Ali", 1990)), "utf-8")
    unknown = run.invoke(cli, ["tracing", "requests", "add", str(source), "--org", "Nobody"])
    assert unknown.exit_code == 1 and "no organisation called 'Nobody'" in unknown.output
