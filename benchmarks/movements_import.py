"""Benchmark (C2, issue 13 goal 2): import an HXL observations file into SQLite.

Subject and baselines, on the same synthetic file (month, route, country, nationality, sex,
arrivals), each in its own process on a fresh SQLite file, alternated over five rounds in
varied order by ``harness.alternate``:
  itinera - ``import_file(..., "hxl", ...)``: parse (by column, pyarrow), check, resolve
            routes and periods, store one batch in one transaction
  A       - DuckDB ``read_csv`` + raw ``sqlite3`` ``executemany`` into Itinera's
            ``observations`` table (same columns, same indexes built after the load), no checks
  B       - pandas ``read_csv`` + ``DataFrame.to_sql`` into the same table, no checks
Every run must store the same number of figures with the same total. Goals (checked, exit 1
when missed): itinera <= 1.0x B and <= 1.2x A in every round; then a single itinera import of
a ``--memory-rows`` file (10 M by default) in a child process, peak RSS (ru_maxrss) < 1 GB.

    .venv/bin/python benchmarks/movements_import.py [--rows 1000000] [--rounds 5]
        [--memory-rows 10000000]     # --rows 0 or --memory-rows 0: skip that part
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
from typing import Any

from harness import Report, alternate  # type: ignore[import-not-found]

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


class Clock:
    """Wall and CPU seconds (all threads of this process) from its creation to ``stop``."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        CLOCKS.append(self)


CLOCKS: list[Clock] = []


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
    clock = Clock()
    report = import_file(database, SYSTEM, reader, Path(file), source="bench")
    clock.stop()
    assert reader != "hxl" or report.observations == report.rows_read, report.message
    database.dispose()


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
  country, NULL, nationality, sex, NULL, NULL, NULL, 0, 0, NULL, 0, NULL, NULL
FROM read_csv('{{file}}', skip=2, header=false, all_varchar=true, names={COLUMNS!r})"""
COLUMNS_SQL = ", ".join(OBSERVATION_COLUMNS)


def run_duckdb(file: str, db: str) -> None:
    """DuckDB reads, raw sqlite3 writes the same rows into the same table shape (indexes
    built after the load, the fastest order for an empty table); nothing is checked."""
    import duckdb

    clock = Clock()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    indexes = equivalent_table(connection)
    relation = duckdb.sql(SELECT.format(file=file))
    marks = ", ".join("?" * len(OBSERVATION_COLUMNS))
    while batch := relation.fetchmany(50000):
        connection.executemany(f"INSERT INTO observations ({COLUMNS_SQL}) VALUES ({marks})", batch)
    for ddl in indexes:
        connection.execute(ddl)
    connection.commit()
    clock.stop()


def run_pandas(file: str, db: str) -> None:
    """pandas reads, ``to_sql`` appends the same rows into the same table shape (indexes
    built after the load); nothing is checked."""
    import pandas

    clock = Clock()
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
            "admin_level": None,
            "correction": 0,
            "route_method": None,
            "route_distance_km": None,
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
    clock.stop()


RUNNERS: dict[str, Callable[[str, str], None]] = {
    "B: pandas + to_sql": run_pandas,
    "A: duckdb + executemany": run_duckdb,
    "itinera": run_itinera,
}
MB = 1 << 20


def child(name: str, file: str, db: str) -> None:
    """One run, then its figures on one line: wall s, CPU s, figures stored, their total,
    peak RSS in MB."""
    RUNNERS[name](file, db)
    with sqlite3.connect(db) as connection:
        count, total = connection.execute(
            "SELECT count(*), sum(value) FROM observations"
        ).fetchone()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 // MB
    print(CLOCKS[-1].wall, CLOCKS[-1].cpu, count, total, rss)


def in_child(name: str, file: Path, folder: Path) -> dict[str, Any]:
    db = folder / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, __file__, "--child", name, str(file), str(db)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    wall, cpu, count, total, rss = done.stdout.split()[-5:]
    return {
        "wall": float(wall),
        "cpu": float(cpu),
        "answer": (int(count), float(total)),
        "rss": int(rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory-rows", type=int, default=10_000_000, help="0: skip")
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--mmp-xlsx", nargs="?", const=MMP_XLSX, help="time this MMP file only")
    args = parser.parse_args()
    if args.mmp_xlsx:
        with tempfile.TemporaryDirectory() as folder:
            run_itinera(args.mmp_xlsx, str(Path(folder) / "mmp.db"), "missing-migrants")
            print(f"{CLOCKS[-1].wall:.2f} s")
        return
    if args.child:
        child(*args.child)
        return
    command = (
        f".venv/bin/python benchmarks/movements_import.py --rows {args.rows} "
        f"--rounds {args.rounds} --memory-rows {args.memory_rows}"
    )
    reports = []
    with tempfile.TemporaryDirectory() as name:
        if args.rows:
            reports.append(_rounds(args.rows, args.rounds, Path(name), command))
        if args.memory_rows:
            reports.append(_memory(args.memory_rows, Path(name), command))
    missed = False
    for report in reports:
        try:
            report.finish()
        except SystemExit:
            missed = True
    if missed:
        raise SystemExit(1)


def _rounds(rows: int, count: int, folder: Path, command: str) -> Any:
    """Itinera, A and B alternated over ``count`` rounds on one ``rows``-row file."""
    report = Report("Movements import (C2): HXL observations file into SQLite", command)
    file = folder / "observations.hxl.csv"
    generate(file, rows)
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in RUNNERS}

    def runner(label: str) -> Callable[[], Any]:
        def run() -> Any:
            runs[label].append(in_child(label, file, folder))
            return runs[label][-1]

        return run

    rounds = alternate(
        {label: runner(label) for label in RUNNERS},
        rounds=count,
        same=lambda a, b: a["answer"][0] == b["answer"][0]
        and abs(a["answer"][1] - b["answer"][1]) < 1e-6 * abs(a["answer"][1]),
        timer=lambda run: (lambda r: (r["wall"], r))(run()),
    )
    report.text(
        f"File: {rows:,} rows, {file.stat().st_size / 1e6:.0f} MB (month, route, country, "
        "nationality, sex, arrivals; human header + HXL row). Each run in its own process on a "
        "fresh SQLite file; A and B write Itinera's `observations` table (24 columns, its 4 "
        "secondary indexes built after the load) without any check. Wall seconds below (the "
        "harness's CPU column is the parent's: see the children's CPU after it); every run "
        "stored the same number of figures with the same total."
    )
    report.table(rounds)
    itinera, a, b = "itinera", "A: duckdb + executemany", "B: pandas + to_sql"
    report.text(_cpu_and_memory(runs, rounds.ratios(itinera, b), rounds.ratios(itinera, a)))
    report.goal("itinera / B, worst of every round", max(rounds.ratios(itinera, b)), "<=", 1.0, "x")
    report.goal("itinera / A, worst of every round", max(rounds.ratios(itinera, a)), "<=", 1.2, "x")
    file.unlink()
    return report


def _memory(rows: int, folder: Path, command: str) -> Any:
    """One Itinera import of a ``rows``-row file in a child process: its peak RSS."""
    report = Report("Movements import (C2): peak memory of a large HXL file", command)
    big = folder / "big.hxl.csv"
    generate(big, rows)
    run = in_child("itinera", big, folder)
    assert run["answer"][0] == rows, run
    report.text(
        f"One Itinera import of a {rows:,}-row file ({big.stat().st_size / 1e6:,.0f} MB, same "
        f"columns) in a child process on a fresh SQLite file: ru_maxrss {run['rss']:,} MB, "
        f"{run['wall']:,.1f} s wall, {run['cpu']:,.1f} s CPU."
    )
    report.goal(f"peak RSS importing {rows:,} rows", run["rss"], "<=", 1024, " MB")
    return report


def _cpu_and_memory(
    runs: dict[str, list[dict[str, Any]]], over_b: list[float], over_a: list[float]
) -> str:
    def figures(label: str, key: str) -> str:
        return ", ".join(f"{run[key]:,.1f}" for run in runs[label])

    lines = [
        "Per round (run order as above): itinera / B = "
        + ", ".join(f"{r:.2f}x" for r in over_b)
        + "; itinera / A = "
        + ", ".join(f"{r:.2f}x" for r in over_a)
        + ".",
        "",
        "Children's CPU, per round: itinera / B = "
        + ", ".join(f"{i['cpu'] / b['cpu']:.2f}x" for i, b in zip(*_pair(runs, "B"), strict=True))
        + "; itinera / A = "
        + ", ".join(f"{i['cpu'] / a['cpu']:.2f}x" for i, a in zip(*_pair(runs, "A"), strict=True))
        + " (load makes wall time noisy; CPU is steadier).",
        "",
        "| run | CPU s of the child, every round | peak RSS MB, every round |",
        "|---|---|---|",
    ]
    lines += [f"| {label} | {figures(label, 'cpu')} | {figures(label, 'rss')} |" for label in runs]
    return "\n".join(lines)


def _pair(runs: dict[str, list[dict[str, Any]]], baseline: str) -> tuple[list[Any], list[Any]]:
    base = next(label for label in runs if label.startswith(baseline))
    return runs["itinera"], runs[base]


if __name__ == "__main__":
    main()
