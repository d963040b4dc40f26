"""The bulk path on both databases: deferred SQLite indexes come back after a successful
import and after a crash; checks and route counts match the reader's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import MovementRepository
from itinera.storage.movements.tables import observations

IMPORTING = "itinera.services.movements.importing"


def indexes(db: Database) -> list[str]:
    return sorted(str(i["name"]) for i in inspect(db.engine).get_indexes("observations"))


def many(folder: Path, rows: int) -> Path:
    path = folder / "many.csv"
    lines = ["#date,#region+route,#country+code,#affected+dead"]
    routes = ("Central Mediterranean Route", "Nowhere Route", "Nowhere Route")
    lines += [f"2020-{1 + i % 12:02d},{routes[i % 3]},ITA,{i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_deferred_index_build_leaves_the_same_indexes_and_rows(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = indexes(db)
    assert len(before) >= 4
    monkeypatch.setattr(f"{IMPORTING}.CHUNK", 10)
    monkeypatch.setattr(f"{IMPORTING}.DEFER_AFTER", 20)
    report = movements.import_file(db, SYSTEM, "hxl", many(tmp_path, 95), source="bulk")
    assert (report.rows_read, report.observations, report.rows_rejected) == (95, 95, 0)
    assert report.unmapped_routes == {"Nowhere Route": 63}
    assert indexes(db) == before
    with db.transaction() as session:
        total = session.scalar(select(func.sum(observations.c.value)))
        mapped = session.scalar(
            select(func.count()).where(observations.c.route_id == "central-mediterranean")
        )
    assert (total, mapped) == (sum(range(95)), 32)


def test_a_crash_after_the_indexes_were_dropped_leaves_them_and_the_store_as_before(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = indexes(db)
    original = MovementRepository.insert_observations
    calls = {"n": 0}

    def crash_late(self: MovementRepository, rows: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 6:  # after the drop (at 20 rows stored) on SQLite
            raise RuntimeError("disk full")
        original(self, rows)

    monkeypatch.setattr(MovementRepository, "insert_observations", crash_late)
    monkeypatch.setattr(f"{IMPORTING}.CHUNK", 10)
    monkeypatch.setattr(f"{IMPORTING}.DEFER_AFTER", 20)
    with pytest.raises(RuntimeError, match="disk full"):
        movements.import_file(db, SYSTEM, "hxl", many(tmp_path, 95), source="bulk")
    assert indexes(db) == before
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(observations)) == 0


def test_a_large_store_keeps_its_indexes_while_a_small_batch_goes_in(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dropped: list[bool] = []
    original = MovementRepository.defer_indexes

    def spy(self: MovementRepository) -> bool:
        dropped.append(True)
        return original(self)

    monkeypatch.setattr(MovementRepository, "defer_indexes", spy)
    monkeypatch.setattr(f"{IMPORTING}.CHUNK", 10)
    monkeypatch.setattr(f"{IMPORTING}.DEFER_AFTER", 20)
    movements.import_file(db, SYSTEM, "hxl", many(tmp_path, 95), source="big")
    assert dropped == [True]  # an empty store: deferred
    dropped.clear()
    small = tmp_path / "small"
    small.mkdir()
    movements.import_file(db, SYSTEM, "hxl", many(small, 40), source="small")
    assert dropped == []  # 95 stored, 40 coming: the indexes stay


def test_values_every_row_shares_are_stored_as_written_even_with_quotes(
    db: Database, tmp_path: Path
) -> None:
    """A chunk's shared values reach SQLite as literals of the statement: a route name with
    quotes and SQL in it is stored as written and nothing else runs."""
    name = "Route d'Agadez ? 100% <b>'); DROP TABLE observations; --"
    path = tmp_path / "quoted.csv"
    rows = [f'2021-{1 + i % 12:02d},"{name}",NER,{i}' for i in range(40)]
    path.write_text("#date,#region+route,#country+code,#affected+dead\n" + "\n".join(rows) + "\n")
    report = movements.import_file(db, SYSTEM, "hxl", path, source="quoted")
    assert report.observations == 40
    o = observations.c
    with db.transaction() as session:
        stored = session.execute(
            select(o.route_name, o.country, o.derived, func.count(), func.sum(o.value))
            .where(o.batch_id == report.batch_id)
            .group_by(o.route_name, o.country, o.derived)
        ).all()
    assert [tuple(r) for r in stored] == [(name, "NER", False, 40, float(sum(range(40))))]
