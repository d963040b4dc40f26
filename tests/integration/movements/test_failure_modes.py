"""Every failure-mode fixture through the full import service, on SQLite and PostgreSQL: the
report names file, row and column; a file with errors under ``strict`` changes nothing; 50 MB
of garbage is one file-level issue; the mapped-table reader stores what it reads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import select

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.storage.database import Database
from itinera.storage.movements.tables import import_batches, movement_sources, observations

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"

# fixture -> (rows read, rows rejected, observations stored, (row, column) of each error)
EXPECTED: dict[str, tuple[int, int, int, list[tuple[int | None, str | None]]]] = {
    "hxl-bad-date.csv": (4, 2, 2, [(4, "period"), (5, "period")]),
    "hxl-negative-count.csv": (4, 1, 5, [(5, "dead")]),
    "hxl-unknown-nationality.csv": (3, 1, 2, [(3, "nationality")]),
    "hxl-wrong-header.csv": (0, 0, 0, [(1, None), (None, None)]),  # and: yields no figure
    "hxl-duplicate-header.csv": (0, 0, 0, [(None, None)]),
    "hxl-empty.csv": (0, 0, 0, [(None, None)]),
    "hxl-latin1.csv": (2, 0, 2, []),
    "hxl-bom.csv": (2, 0, 2, []),
    "hxl-crlf.csv": (2, 0, 2, []),
}


def snapshot(db: Database) -> dict[str, Any]:
    """Every stored observation, batch and source, to compare before and after."""
    with db.transaction() as session:
        return {
            table.name: [tuple(r) for r in session.execute(select(table).order_by(table.c.id))]
            for table in (observations, import_batches, movement_sources)
        }


def test_each_failure_mode_is_reported_and_strict_leaves_the_store_as_before(
    db: Database,
) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="base")
    for name, (read, rejected, stored, errors) in EXPECTED.items():
        before = snapshot(db)
        strict = movements.import_file(db, SYSTEM, "hxl", DATA / name, source=name, strict=True)
        report = strict  # a clean file goes in under strict too
        if errors:
            assert strict.status == "rejected", name
            assert snapshot(db) == before, name
            report = movements.import_file(db, SYSTEM, "hxl", DATA / name, source=name)
        got = (report.rows_read, report.rows_rejected, report.observations)
        assert got == (read, rejected, stored), name
        assert [(i.row, i.column) for i in report.issues if i.severity.value == "error"] == errors
        assert all(i.source == name and i.message for i in report.issues), name
        if any(row is None for row, _ in errors):  # refused even without --strict
            assert (report.status, report.batch_id) == ("rejected", None), name
            assert snapshot(db) == before, name
            continue
        assert movements.get_batch(db, SYSTEM, report.batch_id or 0)["issues"] == [
            i.as_dict() for i in report.issues
        ]
    places = movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(source="hxl-latin1.csv")
    )[1]
    assert sorted(o["place"] for o in places) == ["Almería", "Málaga"]


def test_fifty_megabytes_of_garbage_store_nothing(db: Database, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    with garbage.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1 << 20))
    before = snapshot(db)
    report = movements.import_file(db, SYSTEM, "hxl", garbage, source="junk", strict=True)
    assert (report.status, report.rows_read, report.observations) == ("rejected", 0, 0)
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert [(i.row, i.message) for i in errors] == [
        (None, "the file is binary, not a format of this reader (CSV)")
    ]
    assert snapshot(db) == before


def test_a_mapped_table_is_stored_with_its_routes_and_issues(db: Database) -> None:
    report = movements.import_file(
        db, SYSTEM, "table", DATA / "table-long-codes.csv", mapping=DATA / "table-long-codes.yaml"
    )
    assert (report.status, report.source, report.vintage) == ("imported", "test-long", "2023-09")
    assert (report.rows_read, report.rows_rejected, report.observations) == (6, 2, 3)
    assert report.unmapped_routes == {"English Channel to the UK": 1}
    stored = movements.query_observations(
        db,
        SYSTEM,
        movements.ObservationFilter(source="test-long", route_id="central-mediterranean"),
    )[1]
    assert sorted((o["indicator"], o["sex"], o["nationality"], o["value"]) for o in stored) == [
        ("sea_arrivals", "female", "GIN", 120.0),
        ("sea_arrivals", "male", "GIN", 300.0),
    ]
