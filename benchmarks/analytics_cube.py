"""Building the analytics cube against inserting the observations (issue 13, goal 1; C3,
decision 0040), on the embedded SQLite store.

    .venv/bin/python benchmarks/analytics_cube.py --rows 10000000 --rounds 3

Three runs alternate, in a different order each round (``harness.alternate``):

- **insert** (the baseline): a fresh store, then ``--rows`` synthetic observations
  (``analytics_store.py``: 8 routes, 3 indicators, 4 sources, 12 batches, 180 months, 150
  nationalities, 40 countries) inserted in one transaction through the movement import's bulk
  path, indexes built once at the end. Every round inserts the same rows (same seed).
- **cube: one read** (the subject): the cube of the latest store emptied (not timed), then built
  as the first read or the import job builds it (``refresh_cube``: totals and breakdowns of every
  batch; decision 0040: the observations read once, every dimension summed with numpy, the
  cube's indexes built after its rows).
- **cube: SQL per dimension** (the build before decision 0040, kept in the tests as the oracle,
  ``tests/integration/analytics/sql_cube.py``): the same cube by one ``INSERT … SELECT … GROUP
  BY`` per dimension into the indexed cube. Its content must equal the subject's, row for row.

Goal: the cube build <= 0.5x the insert (median of the rounds' ratios, wall clock; the CPU time
of each run is reported alongside, as the machine may be loaded by others). Never run in CI.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics_store import import_synthetic  # type: ignore[import-not-found]
from harness import Report, alternate  # type: ignore[import-not-found]

from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.services.setup import initialise
from itinera.storage.analytics.analytics_repository import CubeRepository, refresh_cube
from itinera.storage.analytics.tables import (
    CUBE_COLUMNS,
    DIMENSIONS,
    analytics_breakdown_batches,
    analytics_cube,
    analytics_cube_batches,
)
from itinera.storage.database import Database

TITLE = "Analytics cube build against the insert (issue 13, goal 1)"
ORACLE = Path(__file__).resolve().parents[1] / "tests/integration/analytics/sql_cube.py"


def _previous_build() -> Callable[..., None]:
    """The SQL build before decision 0040, from the tests (one copy of it in the repository)."""
    spec = importlib.util.spec_from_file_location("sql_cube", ORACLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sum_with_sql  # type: ignore[no-any-return]


class Stores:
    """One store at a time (a 10 M store takes gigabytes): each insert replaces the last."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.folder: Path | None = None
        self.db: Database | None = None

    def insert(self) -> tuple[float, dict[str, float]]:
        self.close()
        self.folder = Path(tempfile.mkdtemp(prefix="itinera-cube-bench-"))
        url = f"sqlite:///{self.folder / 'itinera.db'}"
        initialise(Settings(database_url=url, environment="test"))
        self.db = Database(url)
        cpu = time.process_time()
        _, seconds = import_synthetic(self.db, "base", 12, self.rows, seed=1, defer=True)
        with self.db.engine.connect() as connection:  # as SQLite does once readers finish
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return seconds, {"cpu": time.process_time() - cpu, "rows": self.rows}

    def build(self, how: Callable[[Database], None]) -> tuple[float, dict[str, Any]]:
        """Empty the cube (not timed), build it with ``how``; its seconds, CPU and content."""
        assert self.db is not None, "the first round inserts first"
        with self.db.transaction() as session:
            for table in (analytics_cube, analytics_cube_batches, analytics_breakdown_batches):
                session.execute(table.delete())
        with self.db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        cpu, started = time.process_time(), time.perf_counter()
        how(self.db)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, {"cpu": cpu, **content(self.db)}

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def content(db: Database) -> dict[str, Any]:
    """The cube's rows (without ids) in a stable order, as a count and a digest."""
    columns = ", ".join(CUBE_COLUMNS)
    digest = hashlib.sha256()
    count = 0
    with db.engine.connect() as connection:
        cursor = connection.exec_driver_sql(
            f"SELECT {columns} FROM analytics_cube ORDER BY {columns}"
        )
        for row in cursor:
            digest.update(repr(tuple(row)).encode())
            count += 1
    return {"cube_rows": count, "digest": digest.hexdigest()}


def one_read(db: Database) -> None:
    assert refresh_cube(db, breakdowns=True) == 12


def sql_per_dimension(db: Database) -> None:
    """The previous refresh of an empty cube: totals, then the breakdowns, indexes kept."""
    sum_with_sql = _previous_build()
    with db.transaction() as session:
        repository = CubeRepository(session)
        new, _ = repository.stale()
        batches = [b for b, _ in new]
        sum_with_sql(session, batches, DIMENSIONS[:1])
        session.execute(
            analytics_cube_batches.insert(), [{"batch_id": b, "source_id": s} for b, s in new]
        )
        sum_with_sql(session, batches, DIMENSIONS[1:])
        session.execute(analytics_breakdown_batches.insert(), [{"batch_id": b} for b in batches])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    command = f"python benchmarks/analytics_cube.py --rows {args.rows} --rounds {args.rounds}"
    report = Report(TITLE, command)
    register_capabilities()
    stores = Stores(args.rows)
    runs = {
        "insert": stores.insert,
        "cube: one read": lambda: stores.build(one_read),
        "cube: SQL per dimension": lambda: stores.build(sql_per_dimension),
    }
    try:
        rounds = alternate(runs, rounds=args.rounds, timer=lambda run: run())
    finally:
        stores.close()
    insert, subject, previous = rounds.labels
    for built in rounds.answers[subject] + rounds.answers[previous]:
        assert built["digest"] == rounds.answers[subject][0]["digest"], "the cubes differ"

    def cpu(label: str) -> float:
        return statistics.median(a["cpu"] for a in rounds.answers[label])

    wall = rounds.ratios(subject, insert)
    report.text(
        f"{args.rows:,} synthetic observations (8 routes, 3 indicators, 4 sources, 12 batches, "
        f"180 months; 150 nationalities, 40 countries), the same rows every round; the cube "
        f"holds {rounds.answers[subject][0]['cube_rows']:,} rows, identical row for row in "
        "every build of either kind (SHA-256 of the sorted rows). Seconds are wall clock; the "
        "CPU column of the table is the whole run's (a build's includes emptying the cube and "
        "reading it back for the comparison, not timed)."
    )
    report.table(rounds)
    report.text(
        "Per round, cube build over insert (wall): "
        + ", ".join(f"{r:.2f}×" for r in wall)
        + f"; CPU of the timed part alone (median): insert {cpu(insert):.1f} s, one read "
        f"{cpu(subject):.1f} s ({cpu(subject) / cpu(insert):.2f}×), SQL per dimension "
        f"{cpu(previous):.1f} s ({cpu(previous) / cpu(insert):.2f}×)."
    )
    report.goal(
        "cube build <= 0.5x the insert (median of the rounds' ratios, wall)",
        statistics.median(wall),
        "<=",
        0.5,
        "×",
    )
    report.finish()


if __name__ == "__main__":
    main()
