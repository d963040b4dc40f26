"""The report's period reads seek an index instead of scanning a table (issue 16): at 10 million
stored observations a scan of the (indicator, route, period) index, or of every earlier risk
observation of the route, would make the report's time grow with the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, text

from itinera.domain.monitoring import Confidentiality
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.monitoring.monitoring_repository import MonitoringRepository
from itinera.storage.movements.attribution import attribution_counts

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


def _plan(db: Database, read: Callable[[UnitOfWork], object], table: str) -> list[str]:
    """SQLite's plan lines that touch ``table`` for the statements ``read`` runs."""
    with db.transaction() as session, _statements(db) as seen:
        read(session)
    lines: list[str] = []
    with db.engine.connect() as connection:
        for statement, parameters in seen:
            if f" {table}" not in statement:
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            lines += [str(row[-1]) for row in plan]
    return [line for line in lines if f" {table} " in f"{line} "]


def test_attribution_counts_seek_the_period_of_each_indicator(sqlite_db: Database) -> None:
    def read(session: UnitOfWork) -> object:
        return attribution_counts(session, ROUTE, date(2024, 1, 1), date(2024, 3, 1))

    plan = _plan(sqlite_db, read, "observations")
    assert plan, "the attribution query was not seen"
    assert not [line for line in plan if line.startswith("SCAN")], plan
    assert any("route_id=? AND period_start>? AND period_start<?" in line for line in plan), plan


def test_a_period_of_risk_observations_is_found_in_the_index(sqlite_db: Database) -> None:
    def read(session: UnitOfWork) -> object:
        levels = (Confidentiality.PUBLIC, Confidentiality.INTERNAL)
        repository = MonitoringRepository(session)
        repository.notes(ROUTE, levels, date(2024, 1, 1), date(2024, 3, 31))
        return repository.observations(ROUTE, levels, date(2024, 1, 1), date(2024, 3, 31))

    plan = _plan(sqlite_db, read, "risk_observations") + _plan(sqlite_db, read, "field_notes")
    assert len(plan) == 2, plan
    assert all("USING INDEX ix_" in line and "_route_period" in line for line in plan), plan
    with sqlite_db.engine.connect() as connection:
        columns = connection.execute(
            text("SELECT name FROM pragma_index_info('ix_risk_observations_route_period')")
        ).scalars()
        assert list(columns) == ["route_id", "date_from", "date_to"]
