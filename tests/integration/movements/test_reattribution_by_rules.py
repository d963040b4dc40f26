"""Changing a route attribution rule re-places the stored figures a rule placed (issue 11,
decision 0034): place-rule and nearest-leg figures move, the monthly figures derived from moved
incidents follow, the publisher's routes and an analyst's choices stay; one transaction,
audited, the cube summed again; a dry run changes nothing; ``itinera init`` does it when the
rules' fingerprint changed. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.integration.movements.test_superseding import MMP_HEADER
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM
from itinera.domain.analytics.series import Month
from itinera.domain.route_attribution import PlaceRule
from itinera.reference.attribution import packaged_attribution_rules
from itinera.services import movements
from itinera.services.accounts.audit import list_entries
from itinera.services.analytics.figures import load_figures
from itinera.services.movements.reattribution import reattribute_if_rules_changed
from itinera.storage.database import Database

TAGS = "#indicator+code,#indicator+value+num,#date,#country+code,#region+route+name"
FIGURES = f"""{TAGS},#region+route+code
sea_arrivals,100,2023-03,ITA,,
sea_arrivals,70,2023-03,GRC,,eastern-mediterranean
sea_arrivals,30,2023-03,GRC,Eastern Mediterranean,
sea_arrivals,20,2023-04,ITA,,
sea_arrivals,5,2023-03,TUN,,
"""
INCIDENTS = [  # id, date, dead, missing, route, coordinates (off Zuwara: nearest leg)
    ("2023.T1", "2023-03-02", 2, 1, "", "33.10, 12.08"),
    ("2023.T2", "2023-03-15", 4, 0, "", "33.20, 12.30"),
    ("2023.T3", "2023-03-20", 1, 0, "Central Mediterranean", "33.00, 12.00"),
]


def _import(db: Database, tmp_path: Path) -> None:
    hxl = tmp_path / "arrivals.csv"
    hxl.write_text(FIGURES, encoding="utf-8")
    assert movements.import_file(db, SYSTEM, "hxl", hxl, source="unhcr-med").rows_rejected == 0
    rows = [
        f"{i},{i},Incident,Mediterranean,{day},2023,March,{dead},{missing},{dead + missing},"
        f',,,,Guinea,Sub-Saharan Africa,Drowning,Libya,{route},"Off Zuwara, Libya","{xy}",'
        "Uncategorized,IOM Libya,,4"
        for i, day, dead, missing, route, xy in INCIDENTS
    ]
    mmp = tmp_path / "mmp.csv"
    mmp.write_text(MMP_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    report = movements.import_file(db, SYSTEM, "missing-migrants", mmp)
    assert (report.incidents, report.rows_rejected) == (3, 0), report.issues[:3]


def _figures(db: Database, indicator: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    filters = movements.ObservationFilter(indicator=indicator)
    _, page = movements.query_observations(db, SYSTEM, filters, limit=100)
    return {
        (r["country"], r["period"], r["route_name"], r["value"]): (r["route_id"], r["route_method"])
        for r in page
    }


def _changed_rules() -> Any:
    rules = packaged_attribution_rules()
    italy = PlaceRule("western-mediterranean", "ITA", ("unhcr-med",))
    others = tuple(r for r in rules.place_rules if r.country != "ITA")
    return replace(rules, place_rules=(italy, *others), max_distance_km=1.0)


def _central_dead_and_missing(db: Database) -> float:
    found = load_figures(db, "dead_and_missing", ["central-mediterranean"])
    series = found.values.get("central-mediterranean", {}).get("", {})
    return series.get(Month(2023, 3), 0.0)


def test_a_changed_rule_moves_what_rules_placed_and_nothing_else(
    db: Database, tmp_path: Path
) -> None:
    _import(db, tmp_path)
    assert reattribute_if_rules_changed(db) is None  # the first import noted the rules it used
    april = _figures(db, "sea_arrivals")[("ITA", "2023-04", None, 20.0)]
    assert april == ("central-mediterranean", "place-rule")
    _, page = movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(indicator="sea_arrivals", period_from="2023-04")
    )
    movements.set_route(db, SYSTEM, "observation", [page[0]["id"]], "eastern-mediterranean")
    before = _figures(db, "sea_arrivals")
    assert _central_dead_and_missing(db) == 8  # 3 + 4 by the nearest leg, 1 by its name

    dry = movements.reattribute_by_rules(db, SYSTEM, rules=_changed_rules(), dry_run=True)
    assert (dry.dry_run, dry.figures, dry.incidents) == (True, 1, 2)
    assert _figures(db, "sea_arrivals") == before  # nothing written

    done = movements.reattribute_by_rules(db, SYSTEM, rules=_changed_rules())
    assert (done.figures, done.incidents, done.derived) == (1, 2, dry.derived)
    assert {"central-mediterranean", "western-mediterranean"} <= set(done.routes)
    after = _figures(db, "sea_arrivals")
    assert after[("ITA", "2023-03", None, 100.0)] == ("western-mediterranean", "place-rule")
    assert after[("ITA", "2023-04", None, 20.0)] == ("eastern-mediterranean", "analyst")
    assert after[("GRC", "2023-03", None, 70.0)] == ("eastern-mediterranean", "publisher")
    assert after[("GRC", "2023-03", "Eastern Mediterranean", 30.0)][1] == "alias"
    assert after[("TUN", "2023-03", None, 5.0)] == (None, None)
    derived = _figures(db, "dead_and_missing")
    assert derived[("LBY", "2023-03", None, 7.0)] == (None, None)  # off the route now
    assert derived[("LBY", "2023-03", "Central Mediterranean", 1.0)][1] == "alias"
    assert _central_dead_and_missing(db) == 1  # the cube follows, no stale cached answer
    [entry] = [e for e in list_entries(db, SYSTEM) if e.action == "movements.reattribute"]
    assert entry.detail["incidents"] == 2 and entry.entity_id == done.fingerprint[:16]

    again = movements.reattribute_by_rules(db, SYSTEM, rules=_changed_rules())
    assert not again.changed and again.previous == done.fingerprint

    # start-up: the packaged rules differ from the ones applied, so the figures go back
    restored = reattribute_if_rules_changed(db)
    assert restored is not None and (restored.figures, restored.incidents) == (1, 2)
    assert _figures(db, "sea_arrivals") == before
    assert _central_dead_and_missing(db) == 8
    assert reattribute_if_rules_changed(db) is None  # same rules: nothing to do


def test_the_cli_says_what_would_move_and_init_reports_nothing_when_rules_stand(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(db, tmp_path)
    monkeypatch.setenv("ITINERA_DATABASE_URL", db.url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    cli = build_cli()
    result = CliRunner().invoke(cli, ["sources", "reattribute", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # the packaged rules placed these figures: nothing would move
    assert (report["dry_run"], report["changed"], report["figures"]) == (True, False, 0)
    line = CliRunner().invoke(cli, ["sources", "reattribute"])
    assert line.exit_code == 0 and "0 figures and 0 incidents placed again" in line.output
