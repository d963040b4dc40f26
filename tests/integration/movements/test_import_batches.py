"""Import batches on both databases: atomicity, strictness, idempotence, vintages, aliases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.catalogue import routes as route_service
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import MovementRepository
from itinera.storage.movements.tables import import_batches, observations

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
GOOD = DATA / "hxl-tag-row-second.csv"
NEGATIVE = DATA / "hxl-negative-count.csv"
NEWER = DATA / "hxl-tag-row-first-newer-vintage.csv"


def snapshot(db: Database) -> dict[str, Any]:
    """Everything movement-related, to compare before and after."""
    with db.transaction() as session:
        rows = session.execute(select(observations).order_by(observations.c.id)).all()
        batches = session.scalar(select(func.count()).select_from(import_batches))
    return {"observations": [tuple(r) for r in rows], "batches": batches}


def current(db: Database, **filters: Any) -> list[dict[str, Any]]:
    return movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(**filters), limit=1000
    )[1]


def test_import_stores_figures_and_reports_unmapped_routes(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    assert (report.status, report.rows_read, report.observations, report.rows_rejected) == (
        "imported",
        3,
        5,
        0,
    )
    assert report.unmapped_routes == {"English Channel to the UK": 1}
    dead = current(db, indicator="dead", route_id="central-mediterranean")
    assert sorted((o["period"], o["country"], o["value"]) for o in dead) == [
        ("2023-05", "ITA", 12.0),
        ("2023-07", "LBY", 1.0),
    ]


def test_reimporting_the_same_file_changes_nothing(db: Database) -> None:
    first = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    before = snapshot(db)
    again = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    assert again.status == "unchanged" and again.batch_id == first.batch_id
    assert "already imported" in again.message
    assert snapshot(db) == before


def test_rows_with_errors_are_skipped_and_listed(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "hxl", NEGATIVE, source="test")
    assert report.rows_rejected == 1 and report.observations == 5
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (5, "dead", "-1")
    assert "negative" in issue.message
    stored = movements.get_batch(db, SYSTEM, report.batch_id or 0)
    assert stored["issues"][0]["row"] == 5


def test_strict_rejects_the_whole_file_and_leaves_the_store_as_before(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    before = snapshot(db)
    report = movements.import_file(db, SYSTEM, "hxl", NEGATIVE, source="test", strict=True)
    assert report.status == "rejected" and report.errors == 1
    assert snapshot(db) == before


def test_dry_run_stores_nothing(db: Database) -> None:
    before = snapshot(db)
    report = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test", dry_run=True)
    assert report.status == "dry-run" and report.observations == 5
    assert snapshot(db) == before


def test_a_crash_mid_import_leaves_the_store_as_before(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    before = snapshot(db)
    original = MovementRepository.insert_observations
    calls = {"n": 0}

    def crash_on_second_chunk(self: MovementRepository, rows: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        original(self, rows)

    monkeypatch.setattr(MovementRepository, "insert_observations", crash_on_second_chunk)
    monkeypatch.setattr("itinera.services.movements.importing.CHUNK", 2)
    with pytest.raises(RuntimeError, match="disk full"):
        movements.import_file(db, SYSTEM, "hxl", NEGATIVE, source="test")
    assert calls["n"] == 2
    assert snapshot(db) == before


def test_a_newer_vintage_supersedes_covered_periods_and_keeps_the_old_queryable(
    db: Database,
) -> None:
    old = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    new = movements.import_file(db, SYSTEM, "hxl", NEWER, source="test")
    assert new.superseded_observations == 1  # May, dead, ITA, Central Mediterranean only
    may = current(db, indicator="dead", period_from="2023-05", period_to="2023-05")
    assert [(o["value"], o["batch_id"]) for o in may] == [(14.0, new.batch_id)]
    july = current(db, indicator="dead", period_from="2023-07", period_to="2023-07")
    assert [o["batch_id"] for o in july] == [old.batch_id]  # not covered: still current
    june = current(db, indicator="dead", period_from="2023-06", period_to="2023-06")
    assert sorted((o["route_name"], o["batch_id"]) for o in june) == [
        ("Central Mediterranean Route", new.batch_id),
        ("English Channel to the UK", old.batch_id),  # another route: not the same figure
    ]
    history = current(
        db, indicator="dead", period_from="2023-05", period_to="2023-05", include_superseded=True
    )
    assert sorted(o["value"] for o in history) == [12.0, 14.0]
    assert [
        o["superseded"]
        for o in current(
            db,
            batch_id=old.batch_id,
            include_superseded=True,
            indicator="missing",
            period_to="2023-05",
        )
    ] == [False]


def test_an_alias_added_later_reattributes_stored_figures(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    assert current(db, route_id="western-mediterranean") == []
    route = route_service.get_route(db, "western-mediterranean").route
    edited = replace(route, aliases=(*route.aliases, "English Channel to the UK"))
    route_service.update_route(db, SYSTEM, route.id, edited, None)  # re-attributes on its own
    [moved] = current(db, route_id="western-mediterranean")
    assert (moved["period"], moved["value"], moved["route_name"]) == (
        "2023-06",
        2.0,
        "English Channel to the UK",
    )
    with db.transaction() as session:
        assert movements.reattribute_routes(session) == 0  # already done: nothing to change
