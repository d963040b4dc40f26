"""A new analytics question reads only what it needs (issue 13, decision 0030): an indicator's
first and last month are two index probes, a breakdown names the batches of its totals, and a
mortality question with both ends asked gives what the window found by itself gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from itinera.domain.access import SYSTEM
from itinera.services.analytics.cache import ensure_current
from itinera.services.analytics.series import BREAKDOWNS, route_mortality, route_series
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.database import Database

ROUTE = "central-mediterranean"


@contextmanager
def _statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(*args: Any) -> None:
        seen.append((args[2], args[3]))  # statement, parameters

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


def test_an_indicators_span_is_read_from_the_partial_index(movement_db: Database) -> None:
    if movement_db.dialect != "sqlite":
        pytest.skip("reads SQLite's query plan")
    ensure_current(movement_db)
    with movement_db.transaction() as session, _statements(movement_db) as seen:
        span = CubeRepository(session).month_span("dead_and_missing")
    assert span is not None and span[0] <= span[1]
    with movement_db.engine.connect() as connection:
        (statement, parameters), *_ = [s for s in seen if "analytics_cube" in s[0]]
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        lines = [str(row[-1]) for row in plan if "analytics_cube" in str(row[-1])]
    assert len(lines) == 2, lines
    assert all("USING INDEX ix_analytics_cube_span" in line for line in lines), lines


def test_a_breakdown_names_the_source_and_batches_of_its_totals(movement_db: Database) -> None:
    total = route_series(movement_db, SYSTEM, ROUTE, "dead_and_missing", "2022-01", "2024-12")
    behind = [(p["month"], p["source"], p["batches"]) for p in total["points"]]
    assert any(batches for _, _, batches in behind), "no figure behind the series"
    for by in BREAKDOWNS:
        series = route_series(
            movement_db, SYSTEM, ROUTE, "dead_and_missing", "2022-01", "2024-12", by=by
        )
        assert [(p["month"], p["source"], p["batches"]) for p in series["points"]] == behind, by
        assert series["total"] == total["total"], by


def test_mortality_with_both_ends_asked_equals_the_window_found(movement_db: Database) -> None:
    found = route_mortality(movement_db, SYSTEM, ROUTE)
    assert found["from"] is not None and found["points"]
    asked = route_mortality(movement_db, SYSTEM, ROUTE, found["from"], found["to"])
    assert asked == found
