"""The gap matrix of one route for one year, from the API, over 100,000 activities with
1,000,000 period reports on 8 routes and 60 countries (C6).

Goal (issue 17): <= 300 ms from the API, and <= 2x a baseline measured in the same run: the same
aggregation (per activity and month, then the indicator's method over months, the largest
partner per area and indicator, the sum over areas, the largest indicator per pillar) in DuckDB
over the same rows, already loaded in DuckDB's memory (only the query is timed).

    .venv/bin/python benchmarks/activities_gap_matrix.py [--activities 100000] [--reports 10]

The figures go to benchmarks/RESULTS.md through benchmarks/harness.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from fastapi.testclient import TestClient
from harness import Report, alternate  # type: ignore[import-not-found]
from sqlalchemy import insert, select

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.reference.catalogue import load_catalogue
from itinera.services.setup import initialise
from itinera.storage.accounts.tables import organisations
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.activities.tables import activities, activity_figures
from itinera.storage.database import Database

ROUTE, YEAR = "central-mediterranean", 2024
DUCKDB_QUERY = """
WITH months AS (
  SELECT a.id, a.organisation_id, a.country, a.pillar, coalesce(a.adm1, '') AS adm1,
         coalesce(a.indicator, a.sector) AS indicator, a.aggregation, f.period,
         sum(f.targeted) AS targeted, sum(f.reached) AS reached
  FROM activities a JOIN activity_figures f ON f.activity_id = a.id
  WHERE a.country IN (SELECT unnest($countries)) AND f.period BETWEEN $first AND $last
  GROUP BY ALL
), per_activity AS (
  SELECT id, organisation_id, country, pillar, adm1, indicator, max(targeted) AS targeted,
         CASE any_value(aggregation) WHEN 'sum' THEN sum(reached) WHEN 'average'
              THEN avg(reached) ELSE max(reached) END AS reached
  FROM months GROUP BY id, organisation_id, country, pillar, adm1, indicator
), per_area AS (
  SELECT country, pillar, indicator, adm1, max(targeted) AS targeted, max(reached) AS reached
  FROM per_activity GROUP BY ALL
), per_indicator AS (
  SELECT country, pillar, indicator, sum(targeted) AS targeted, sum(reached) AS reached
  FROM per_area GROUP BY ALL
), counts AS (
  SELECT country, pillar, count(DISTINCT organisation_id) AS organisations, count(*) AS n
  FROM per_activity GROUP BY ALL
)
SELECT c.country, c.pillar, c.organisations, c.n, max(i.targeted), max(i.reached)
FROM counts c JOIN per_indicator i USING (country, pillar) GROUP BY ALL
"""


def populate(db: Database, n_activities: int, reports: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    catalogue = load_catalogue()
    countries = sorted({c.country for r in catalogue.routes.values() for c in r.countries})
    extra = sorted(set(catalogue.places) - set(countries))
    countries = (countries + [c for c in extra if len(c) == 3 and c.isupper()])[:60]
    with db.transaction(write=True) as session:
        session.execute(
            insert(organisations),
            [
                {"name": f"Partner {i}", "name_key": f"partner {i}", "type": "ngo"}
                for i in range(800)
            ],
        )
        org_ids = [r[0] for r in session.execute(select(organisations.c.id))]
        rows, figures = [], []
        months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
        for i in range(1, n_activities + 1):
            rows.append(
                {
                    "id": i,
                    "organisation_id": rng.choice(org_ids),
                    "funder_ids": [],
                    "service_types": [],
                    "sector": "Health",
                    "pillar": rng.randint(1, 6),
                    "title": "",
                    "country": rng.choice(countries),
                    "adm1": f"Area {rng.randint(1, 12)}",
                    "status": "ongoing",
                    "indicator": f"indicator-{rng.randint(1, 20)}",
                    "aggregation": rng.choice(["sum", "sum", "max"]),
                    "source": "bench",
                    "external_id": str(i),
                }
            )
            start = rng.randint(0, len(months) - reports)
            for month in months[start : start + reports]:
                figures.append(
                    {
                        "activity_id": i,
                        "period": month,
                        "targeted": 1000.0,
                        "reached": float(rng.randint(0, 200)),
                        "state": "approved",
                    }
                )
        session.execute(insert(activities), rows)
        for chunk in range(0, len(figures), 100_000):
            session.execute(insert(activity_figures), figures[chunk : chunk + 100_000])
    return countries


def load_into_duckdb(db: Database) -> duckdb.DuckDBPyConnection:
    """The same rows in DuckDB's memory (the baseline times only its query)."""
    import pyarrow as pa

    duck = duckdb.connect()
    with db.engine.connect() as connection:
        for table in (activities, activity_figures):
            columns = [
                c.name for c in table.columns if c.name not in ("funder_ids", "service_types")
            ]
            result = connection.execute(select(*[table.c[name] for name in columns]))
            data = pa.Table.from_pylist([dict(r._mapping) for r in result])
            duck.register(f"{table.name}_arrow", data)
            duck.execute(f"CREATE TABLE {table.name} AS SELECT * FROM {table.name}_arrow")
    return duck


Cells = dict[tuple[str, int], tuple[int, int, float | None, float | None]]


def cells_of(answer: Any) -> Cells:
    """(country, pillar) -> (organisations, activities, targeted, reached), from either side."""
    if isinstance(answer, list):  # DuckDB rows
        return {(c, int(p)): (o, n, t, r) for c, p, o, n, t, r in answer}
    body = answer.json()
    return {
        (row["country"], int(pillar)): (
            cell["organisations"],
            cell["activities"],
            cell["targeted"],
            cell["reached"],
        )
        for row in body["countries"]
        for pillar, cell in row["pillars"].items()
        if cell["activities"]
    }


def same_cells(reference: Cells, answer: Cells) -> bool:
    if reference.keys() != answer.keys():
        return False
    for key, (orgs, n, targeted, reached) in reference.items():
        other = answer[key]
        if (orgs, n) != other[:2]:
            return False
        for mine, theirs in zip((targeted, reached), other[2:], strict=True):
            if (mine is None) != (theirs is None) or (mine and abs(mine - theirs) > 1e-6):
                return False
    return True


def timed_cells(run: Callable[[], Any]) -> tuple[float, Cells]:
    began = time.perf_counter()
    answer = run()
    seconds = time.perf_counter() - began
    return seconds, cells_of(answer)


HISTORY = (
    "Earlier versions, 2026-12-01: figures grouped by SQLite on each request 4,330 ms against "
    "DuckDB's 805 ms (5.4x, load 12-18, by hand); year totals cached per activity "
    "(`activity_year_totals`) with the per-area and per-indicator steps in Python 1,561 ms "
    "against 482 ms (3.2x, load 12-18, by hand); the four steps as one grouped SQL query joining "
    "the activities to the cache 681 ms against 501 ms (1.36x, 0.12 CPU s per call, load 13, "
    "this harness). This version reads the cache alone, which carries each activity's country, "
    "pillar, organisation, indicator, area and people reached by its method, through a (year, "
    "country) index (storage/activities/year_totals.py, decision 0025)."
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="itinera-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(database_url=url, environment="test")
    initialise(settings)
    db = Database(url)
    began = time.perf_counter()
    populate(db, args.activities, args.reports, args.seed)
    with db.transaction(write=True) as session:
        ActivityRepository(session).refresh_year_totals()
    print(f"populated in {time.perf_counter() - began:.1f} s")

    app = build_app(settings, database=db)
    path = f"/api/routes/{ROUTE}/gap-matrix?year={YEAR}"
    with TestClient(app) as client:
        body = client.get(path).json()  # warm-up: imports, first connection
        route_countries = sorted({row["country"] for row in body["countries"]})
        duck = load_into_duckdb(db)
        params = {"countries": route_countries, "first": f"{YEAR}-01", "last": f"{YEAR}-12"}
        duck.execute(DUCKDB_QUERY, params).fetchall()  # warm-up
        rounds = alternate(
            {
                "DuckDB baseline (query only)": lambda: duck.execute(
                    DUCKDB_QUERY, params
                ).fetchall(),
                "API gap matrix (SQLite)": lambda: client.get(path),
            },
            rounds=args.rounds,
            same=same_cells,
            timer=timed_cells,
        )
    cells = sum(n for _o, n, _t, _r in rounds.answers["API gap matrix (SQLite)"][0].values())
    report = Report(
        "Activities (C6): gap matrix of a route for a year, 100,000 activities, 1,000,000 reports",
        "PYTHONPATH=src .venv/bin/python benchmarks/activities_gap_matrix.py",
    )
    report.text(
        f"Fresh SQLite, 800 organisations, {args.activities:,} activities over the 60 countries "
        f"of the catalogue's routes, {args.reports} monthly reports each over 2023-2025, then "
        f"the year-totals cache rebuilt; the Central Mediterranean's {len(body['countries'])} "
        f"country rows for {YEAR}, {cells:,} activity-cells. Baseline in the same run, "
        "alternating rounds: the same aggregation (month, method, largest partner per area, sum "
        "over areas, largest indicator) as one DuckDB query over the same rows already in "
        "DuckDB's memory. Every run's organisations, activities, targeted and reached per cell "
        "are compared with the baseline's. The machine's 2 cores are shared with other "
        "engineers' test suites."
    )
    report.table(rounds)
    cpu = statistics.median(rounds.cpu["API gap matrix (SQLite)"]) * 1000
    report.text(
        f"The API call used a median {cpu:,.0f} ms of this process's CPU (SQLite runs in it); "
        "wall time above that is waiting for a core the machine's other work holds."
    )
    report.text(HISTORY)
    api = rounds.median("API gap matrix (SQLite)")
    report.goal("gap matrix from the API <= 300 ms", api * 1000, "<=", 300, " ms")
    report.goal(
        "API <= 2x the DuckDB baseline",
        rounds.ratio("API gap matrix (SQLite)", "DuckDB baseline (query only)"),
        "<=",
        2.0,
        "x",
    )
    db.dispose()
    report.finish()


if __name__ == "__main__":
    main()
