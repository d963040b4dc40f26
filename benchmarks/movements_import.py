"""Benchmark (C2): import a 1,000,000-row HXL observations file into SQLite.

Compares, in one run and on the same synthetic file:
  itinera  - ``import_file(..., "hxl", ...)``: parse, validate, resolve routes, store (one batch)
  A        - DuckDB ``read_csv`` + raw ``sqlite3`` ``executemany`` into an equivalent table
  B        - pandas ``read_csv`` + ``DataFrame.to_sql``
Each runs in its own process so that its peak RSS (ru_maxrss) is its own.

    .venv/bin/python benchmarks/movements_import.py [--rows 1000000]
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
from pathlib import Path

ROUTES = [
    "Central Mediterranean Route", "Western Mediterranean Route", "Eastern Mediterranean Route",
    "Western African Route", "Western Balkan Route", "English Channel to the UK",
]  # fmt: skip
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
            out.write(f"{year}-{month:02d},{rng.choice(ROUTES)},{rng.choice(COUNTRIES)},"
                      f"{rng.choice(NATIONALITIES)},{rng.choice(('female', 'male'))},"
                      f"{rng.randint(0, 5000)}\n")  # fmt: skip


def run_itinera(file: str, db: str) -> None:
    from itinera.config import Settings
    from itinera.domain.access import SYSTEM
    from itinera.importers.registry import load_readers
    from itinera.services.movements import import_file
    from itinera.services.setup import initialise
    from itinera.storage.database import Database

    url = f"sqlite:///{db}"
    database = Database(url)
    initialise(Settings(database_url=url, environment="test"), database=database)
    load_readers()
    start = time.perf_counter()
    report = import_file(database, SYSTEM, "hxl", Path(file), source="bench")
    elapsed = time.perf_counter() - start
    assert report.observations == report.rows_read, report.message
    print(f"{elapsed:.2f} {report.observations}")


TABLE = """CREATE TABLE obs (id INTEGER PRIMARY KEY, period TEXT, route TEXT, country TEXT,
nationality TEXT, sex TEXT, value REAL)"""


def run_duckdb(file: str, db: str) -> None:
    import duckdb

    start = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute(TABLE)
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
    import pandas

    start = time.perf_counter()
    frame = pandas.read_csv(file, skiprows=[1])
    connection = sqlite3.connect(db)
    frame.to_sql("obs", connection, index=False, chunksize=50000)
    connection.commit()
    print(f"{time.perf_counter() - start:.2f} {len(frame)}")


RUNNERS = {"itinera": run_itinera, "A: duckdb + sqlite3 executemany": run_duckdb,
           "B: pandas read_csv + to_sql": run_pandas}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
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
        itinera, a, b = results.values()
        print(f"itinera / A = {itinera / a:.2f}x (goal <= 1.5x); itinera / B = {itinera / b:.2f}x "
              "(goal < 1)")  # fmt: skip


if __name__ == "__main__":
    main()
