"""Benchmark (C2): import a 1,000,000-row HXL observations file into SQLite.

Compares, in one run and on the same synthetic file:
  itinera  - ``import_file(..., "hxl", ...)``: parse, validate, resolve routes, store (one batch)
  A        - DuckDB ``read_csv`` + raw ``sqlite3`` ``executemany`` into an equivalent table:
             Itinera's ``observations`` columns and indexes (built after the load), no checks
  B        - pandas ``read_csv`` + ``DataFrame.to_sql`` into the same equivalent table
  A0, B0   - the previous A and B: narrow tables of the file's own columns, no index
Each runs in its own process so that its peak RSS (ru_maxrss) is its own.

    .venv/bin/python benchmarks/movements_import.py [--rows 1000000]
    .venv/bin/python benchmarks/movements_import.py --mmp-xlsx   # the 2025 MMP xlsx, < 5 s
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from itinera.storage.movements.bulk import OBSERVATION_COLUMNS

ROUTES = [
    "Central Mediterranean Route",
    "Western Mediterranean Route",
    "Eastern Mediterranean Route",
    "Western African Route",
    "Western Balkan Route",
    "English Channel to the UK",
]
COUNTRIES = ["ITA", "ESP", "GRC", "MLT", "CYP", "FRA", "LBY", "TUN", "MAR"]
NATIONALITIES = ["SYR", "AFG", "TUN", "EGY", "BGD", "GIN", "CIV", "MLI", "ERI", "SDN", "MAR", "DZA"]
COLUMNS = ["period", "route", "country", "nationality", "sex", "arrivals"]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        out.write("Month,Route,Country,Nationality,Sex,Arrivals\n")
        out.write(
            "#date,#region+route,#country+code,#affected+nationality+code,#meta+sex,#affected+arrivals\n"
        )
        for _ in range(rows):
            year, month = rng.randint(2009, 2025), rng.randint(1, 12)
            out.write(
                f"{year}-{month:02d},{rng.choice(ROUTES)},{rng.choice(COUNTRIES)},"
                f"{rng.choice(NATIONALITIES)},{rng.choice(('female', 'male'))},"
                f"{rng.randint(0, 5000)}\n"
            )


MMP_XLSX = "../shared/data/mmp-global-2025-04/Missing_Migrants_Global_Figures_allData.xlsx"


def run_itinera(file: str, db: str, reader: str = "hxl") -> None:
    from itinera.bootstrap import register_capabilities
    from itinera.config import Settings
    from itinera.domain.access import SYSTEM
    from itinera.services.movements import import_file
    from itinera.services.setup import initialise
    from itinera.storage.database import Database

    register_capabilities()
    url = f"sqlite:///{db}"
    database = Database(url)
    initialise(Settings(database_url=url, environment="test"), database=database)
    start = time.perf_counter()
    report = import_file(database, SYSTEM, reader, Path(file), source="bench")
    elapsed = time.perf_counter() - start
    assert reader != "hxl" or report.observations == report.rows_read, report.message
    print(f"{elapsed:.2f} {report.observations}")


NARROW = """CREATE TABLE obs (id INTEGER PRIMARY KEY, period TEXT, route TEXT, country TEXT,
nationality TEXT, sex TEXT, value REAL)"""


def equivalent_table(connection: sqlite3.Connection) -> list[str]:
    """Create Itinera's ``observations`` table (same columns and types) in ``connection``;
    returns its secondary index DDL, to run after the load."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from itinera.storage.movements.tables import observations

    dialect = sqlite.dialect()
    connection.execute(str(CreateTable(observations).compile(dialect=dialect)))
    return [str(CreateIndex(index).compile(dialect=dialect)) for index in observations.indexes]


SELECT = f"""SELECT 1, 1, 'arrivals', CAST(arrivals AS DOUBLE), 'persons', 'month',
  CAST(strptime(period, '%Y-%m') AS DATE)::VARCHAR,
  last_day(CAST(strptime(period, '%Y-%m') AS DATE))::VARCHAR, route, lower(route), NULL,
  country, NULL, nationality, sex, NULL, NULL, NULL, 0, 0
FROM read_csv('{{file}}', skip=2, header=false, all_varchar=true, names={COLUMNS!r})"""
COLUMNS_SQL = ", ".join(OBSERVATION_COLUMNS)


def run_duckdb(file: str, db: str) -> None:
    """DuckDB reads, raw sqlite3 writes the same rows into the same table shape (indexes
    built after the load, the fastest order for an empty table); nothing is checked."""
    import duckdb

    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    indexes = equivalent_table(connection)
    relation = duckdb.sql(SELECT.format(file=file))
    marks = ", ".join("?" * len(OBSERVATION_COLUMNS))
    count = 0
    while batch := relation.fetchmany(50000):
        connection.executemany(f"INSERT INTO observations ({COLUMNS_SQL}) VALUES ({marks})", batch)
        count += len(batch)
    for ddl in indexes:
        connection.execute(ddl)
    connection.commit()
    print(f"{time.perf_counter() - start:.2f} {count}")


def run_duckdb_narrow(file: str, db: str) -> None:
    """The previous baseline A: a 7-column table without indexes (kept for history)."""
    import duckdb

    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute(NARROW)
    relation = duckdb.sql(
        f"SELECT * FROM read_csv('{file}', skip=2, header=false, all_varchar=true, "
        f"names={COLUMNS!r})"
    )
    count = 0
    while batch := relation.fetchmany(50000):
        connection.executemany(
            "INSERT INTO obs (period, route, country, nationality, sex, value) "
            "VALUES (?,?,?,?,?,?)",
            batch,
        )
        count += len(batch)
    connection.commit()
    print(f"{time.perf_counter() - start:.2f} {count}")


def run_pandas(file: str, db: str) -> None:
    """pandas reads, ``to_sql`` appends the same rows into the same table shape (indexes
    built after the load); nothing is checked."""
    import pandas

    start = time.perf_counter()
    frame = pandas.read_csv(file, skiprows=[1], dtype=str, keep_default_na=False)
    frame.columns = COLUMNS
    month = pandas.to_datetime(frame["period"], format="%Y-%m")
    table = pandas.DataFrame(
        {
            "batch_id": 1,
            "source_id": 1,
            "indicator": "arrivals",
            "value": frame["arrivals"].astype(float),
            "unit": "persons",
            "period_kind": "month",
            "period_start": month.dt.strftime("%Y-%m-%d"),
            "period_end": (month + pandas.offsets.MonthEnd(0)).dt.strftime("%Y-%m-%d"),
            "route_name": frame["route"],
            "route_key": frame["route"].str.lower(),
            "route_id": None,
            "country": frame["country"],
            "place": None,
            "nationality": frame["nationality"],
            "sex": frame["sex"],
            "age_group": None,
            "border_type": None,
            "source_row": None,
            "derived": 0,
            "superseded": 0,
        }
    )
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    indexes = equivalent_table(connection)
    table.to_sql("observations", connection, if_exists="append", index=False, chunksize=50000)
    for ddl in indexes:
        connection.execute(ddl)
    connection.commit()
    print(f"{time.perf_counter() - start:.2f} {len(table)}")


def run_pandas_narrow(file: str, db: str) -> None:
    """The previous baseline B: ``to_sql`` into its own 6-column table (kept for history)."""
    import pandas

    start = time.perf_counter()
    frame = pandas.read_csv(file, skiprows=[1])
    connection = sqlite3.connect(db)
    frame.to_sql("obs", connection, index=False, chunksize=50000)
    connection.commit()
    print(f"{time.perf_counter() - start:.2f} {len(frame)}")


RUNNERS: dict[str, Callable[[str, str], None]] = {
    "itinera": run_itinera,
    "A: duckdb + sqlite3, same table": run_duckdb,
    "B: pandas + to_sql, same table": run_pandas,
    "A0: duckdb + sqlite3, 7 columns": run_duckdb_narrow,
    "B0: pandas + to_sql, 6 columns": run_pandas_narrow,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--mmp-xlsx", nargs="?", const=MMP_XLSX, help="time this MMP file only")
    args = parser.parse_args()
    if args.mmp_xlsx:
        with tempfile.TemporaryDirectory() as folder:
            run_itinera(args.mmp_xlsx, str(Path(folder) / "mmp.db"), "missing-migrants")
        return
    if args.child:
        name, file, db = args.child
        RUNNERS[name](file, db)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        return
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "observations.hxl.csv"
        generate(file, args.rows)
        print(f"file: {args.rows:,} rows, {file.stat().st_size / 1e6:.0f} MB")
        results = {}
        for index, name in enumerate(RUNNERS):
            db = Path(folder) / f"run{index}.db"
            command = [sys.executable, __file__, "--child", name, str(file), str(db)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            out = done.stdout.split()
            seconds, rows, rss = float(out[-3]), int(out[-2]), int(out[-1])
            results[name] = seconds
            print(f"{name:<34} {seconds:7.2f} s  {rows:>9,} rows  peak RSS {rss:,} MB")
        itinera, a, b, a0, b0 = results.values()
        print(
            f"itinera / A = {itinera / a:.2f}x (goal <= 1.5x); itinera / B = {itinera / b:.2f}x "
            f"(goal < 1); itinera / A0 = {itinera / a0:.2f}x; "
            f"itinera / B0 = {itinera / b0:.2f}x"
        )


if __name__ == "__main__":
    main()
