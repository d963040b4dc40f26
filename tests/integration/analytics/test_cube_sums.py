"""The cube summed from one read of the observations (decision 0040) holds exactly what the SQL
``GROUP BY`` per dimension wrote (``sql_cube.py``), on SQLite and PostgreSQL: a full build, sums
limited to some months and routes, and the import job's incremental sums after a new vintage
superseded older figures (equal to a rebuild). The random store has what the sums must leave out
(yearly figures, superseded ones, no route, admin areas) and what they must keep apart (an
unknown category and an empty one, rows with several breakdowns at once). Values are whole or
quarter numbers, so that every sum is exact whatever the order of addition.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, select, update

from itinera.services.analytics.cache import ensure_current, sum_imported
from itinera.storage.analytics import cube_sums
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.analytics.cube_sums import sum_into_cube
from itinera.storage.analytics.tables import CUBE_COLUMNS, DIMENSIONS, analytics_cube
from itinera.storage.database import Database
from itinera.storage.movements.bulk import bulk_insert
from itinera.storage.movements.movement_repository import MovementRepository
from itinera.storage.movements.tables import import_batches, observations

from .sql_cube import sum_with_sql
from .test_arrays import _batch

ROUTES = ("central-mediterranean", "western-mediterranean", "eastern-mediterranean", None)
SOURCES = ("unhcr-med", "iom-mmp", "frontex-ibc")
MONTHS = [f"{2021 + m // 12}-{m % 12 + 1:02d}-01" for m in range(18)]


def _maybe(rng: np.random.Generator, values: tuple[str, ...]) -> str | None:
    return None if rng.random() < 0.5 else str(rng.choice(values))


def _observations(
    rng: np.random.Generator, batches: list[tuple[int, int]], rows: int
) -> list[tuple[Any, ...]]:
    found = []
    for _ in range(rows):
        batch_id, source_id = batches[rng.integers(len(batches))]
        month = MONTHS[rng.integers(len(MONTHS))]
        kind = "month" if rng.random() < 0.9 else "year"
        route = ROUTES[rng.integers(len(ROUTES))]
        level = [None, None, 0, 1, 2][rng.integers(5)]
        found.append(
            (
                *(batch_id, source_id, str(rng.choice(["arrivals", "dead_and_missing"]))),
                *(float(rng.integers(1, 400)) / 4, "persons", kind, month, month, None),
                *(route, route, _maybe(rng, ("ITA", "ESP", "GRC")), None),
                _maybe(rng, ("ERI", "SYR", "", "AFG")),  # "" kept apart from unknown
                *(_maybe(rng, ("female", "male")), _maybe(rng, ("0-17", "18+")), None, None),
                *(False, bool(rng.random() < 0.1), level, False, None, None),
            )
        )
    return found


def _fill(db: Database, seed: int, batches: int, rows: int) -> list[int]:
    rng = np.random.default_rng(seed)
    with db.transaction() as session:
        repository = MovementRepository(session)
        made = [
            _batch(repository, SOURCES[i % len(SOURCES)], seed * 100 + i) for i in range(batches)
        ]
        bulk_insert(session, _observations(rng, made, rows))
    return [b for b, _ in made]


@pytest.fixture(scope="module")
def store(module_database_url: str) -> Iterator[Database]:
    db = Database(module_database_url)
    try:
        _fill(db, seed=7, batches=6, rows=2500)
        yield db
    finally:
        db.dispose()


def _cube(db: Database) -> list[tuple[Any, ...]]:
    with db.transaction() as session:
        rows = session.execute(select(*(analytics_cube.c[c] for c in CUBE_COLUMNS))).all()
    return sorted(tuple(r) for r in rows)


def _summed(db: Database, how: Any, **limits: Any) -> list[tuple[Any, ...]]:
    """The cube holding only what ``how`` sums of every batch (within ``limits``)."""
    with db.transaction() as session:
        session.execute(delete(analytics_cube))
        batches = list(session.scalars(select(import_batches.c.id)))
        how(session, batches, DIMENSIONS, **limits)
    return _cube(db)


def test_a_full_build_equals_the_sql_sums(store: Database) -> None:
    with store.transaction() as session:
        CubeRepository(session).rebuild()
    built = _cube(store)
    assert {row[5] for row in built} == set(DIMENSIONS)
    assert any(row[6] == "" and row[5] == "nationality" for row in built)
    assert built == _summed(store, sum_with_sql)
    with store.engine.connect() as connection:  # the indexes dropped for the build are back
        names = {i["name"] for i in connection.dialect.get_indexes(connection, "analytics_cube")}
    assert {"ix_analytics_cube_lookup", "ix_analytics_cube_span"} <= names


@pytest.mark.parametrize(
    ("dense", "passes", "wide"),
    [(16, 1_000_000, 1 << 62), (16, 1, 1 << 62), (1 << 22, 8, 64)],
    ids=["dense-windows", "sorted", "keys-renumbered"],
)
def test_every_way_of_counting_gives_the_same_sums(
    store: Database, monkeypatch: pytest.MonkeyPatch, dense: int, passes: int, wide: int
) -> None:
    """A large store counts its groups in several dense windows, or by sorting, and numbers
    wide keys in steps: forced here on a small one."""
    monkeypatch.setattr(cube_sums, "_DENSE", dense)
    monkeypatch.setattr(cube_sums, "_PASSES", passes)
    monkeypatch.setattr(cube_sums, "_WIDE", wide)
    assert _summed(store, sum_into_cube) == _summed(store, sum_with_sql)


def test_sums_limited_to_months_and_routes_equal_the_sql_sums(store: Database) -> None:
    limits = {
        "months": (date(2021, 4, 1), date(2022, 2, 1)),
        "route_ids": ["central-mediterranean", "eastern-mediterranean"],
    }
    ours = _summed(store, sum_into_cube, **limits)
    assert ours and {row[3] for row in ours} == set(limits["route_ids"])
    assert ours == _summed(store, sum_with_sql, **limits)


def test_the_import_jobs_sums_after_a_new_vintage_equal_a_rebuild(store: Database) -> None:
    with store.transaction() as session:
        CubeRepository(session).rebuild()
    ensure_current(store)
    older = _fill(store, seed=8, batches=2, rows=600)  # two sources already in the cube
    ensure_current(store)  # their totals only: breakdowns wait
    newer = _fill(store, seed=9, batches=2, rows=400)
    o = observations.c
    with store.transaction() as session:  # as the import marks what a new vintage covers
        session.execute(
            update(observations)
            .where(
                o.batch_id.in_(older), o.period_start.between(date(2021, 6, 1), date(2021, 12, 1))
            )
            .values(superseded=True)
        )
    sum_imported(store)
    incremental = _cube(store)
    assert {row[0] for row in incremental} >= set(older) | set(newer)
    with store.transaction() as session:
        CubeRepository(session).rebuild()
    assert incremental == _cube(store) == _summed(store, sum_with_sql)
