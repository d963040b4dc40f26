"""Route analytics under load (issue 4, C3), on the embedded SQLite store.

    .venv/bin/python benchmarks/analytics_load.py --rows 10000000 [--cold-rows 1000000]

1. Synthetic observations shaped like real ones (8 routes, 40 countries, 150 nationalities, sex
   and age group, 15 years of months, 3 indicators, 4 sources) are bulk-inserted (executemany in
   one transaction, indexes built once at the end: the movement import's bulk path) into a
   fresh store; the cube is built (``ensure_current``, totals and breakdowns) and the WAL is
   checkpointed (a 2.5 GB WAL left by the load would slow every read of the server).
2. The aggregation behind the series endpoint (``route_series``, cube → monthly figures with the
   preferred-source rule) against the same aggregation in DuckDB over the same rows in memory.
3. wrk (8 connections, 10 s; wrk reports p50/p90/p99, not p95) on loopback against
   ``itinera serve``: a trivial endpoint (/api/health), the route overview
   (/api/analytics/overview), a route series (answers cached per freshness token), and the same
   series with a new window on every request (a Lua script; never cached).
4. Cold start: 1 million new observations in a new batch, then the time until the overview
   answers with them (the cube's totals catch up on that request), then the first series by
   nationality (its breakdowns are summed on that request).
Peak RSS of this process and of the server are reported. Never run in CI.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from sqlalchemy.orm import Session

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.analytics.cache import ensure_current
from itinera.services.analytics.series import route_series
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.movements import bulk as movement_bulk
from itinera.storage.movements.bulk import defer_indexes, restore_indexes
from itinera.storage.movements.movement_repository import MovementRepository

ROUTES = [
    "central-mediterranean",
    "east-africa",
    "eastern-mediterranean",
    "gulf-of-aden",
    "south-west-asia-europe",
    "southern-africa",
    "west-africa-atlantic",
    "western-mediterranean",
]
INDICATORS = ["arrivals", "irregular_crossings_detected", "dead_and_missing"]
UNITS = ["persons", "detections", "persons"]
SOURCES = ["unhcr", "frontex-ibc", "iom-mmp", "iom-dtm"]
COUNTRIES = [f"C{i:02d}" for i in range(40)]
NATIONALITIES = [f"N{i:02d}" if i < 100 else f"M{i - 100:02d}" for i in range(150)]
MONTHS = [f"{2010 + m // 12}-{m % 12 + 1:02d}-01" for m in range(180)]
CHUNK = 200_000
SERIES = "/api/routes/central-mediterranean/series?indicator=arrivals"
# wrk script: every request asks for another window (from, to), so no answer is cached
WINDOWS = """
counter = 0
request = function()
  counter = counter + 1
  local first = counter % 120
  local last = first + 12 + math.floor(counter / 120) % 48
  local path = string.format("%s&from=%04d-%02d&to=%04d-%02d", wrk.path,
    2010 + math.floor(first / 12), first % 12 + 1, 2010 + math.floor(last / 12), last % 12 + 1)
  return wrk.format("GET", path)
end
"""


def add_batches(session: Session, label: str, count: int) -> list[tuple[int, int]]:
    out = []
    repo = MovementRepository(session)
    for i in range(count):
        source_id = repo.source_id(SOURCES[i % len(SOURCES)], "synthetic")
        batch_id = repo.add_batch(
            source_id=source_id,
            reader="synthetic",
            dataset=f"{label} {i}",
            vintage=None,
            file_name=f"{label}-{i}.csv",
            file_sha256=f"{label}{i:060d}"[-64:],
            status="complete",
            rows_read=0,
            rows_rejected=0,
            observation_count=0,
            incident_count=0,
            derived_count=0,
            issues=[],
            unmapped_routes={},
            options={},
            actor="benchmark",
            started_at=datetime.now(UTC),
        )
        out.append((batch_id, source_id))
    return out


def synthetic(rows: int, batches: list[tuple[int, int]], seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    b = rng.integers(0, len(batches), rows)
    ind = rng.integers(0, 3, rows)
    month = rng.integers(0, len(MONTHS), rows)
    kind = rng.integers(0, 4, rows)  # which breakdown the row carries: country/nat/sex/age
    cols = {
        "batch_id": np.array([x for x, _ in batches])[b],
        "source_id": np.array([s for _, s in batches])[b],
        "indicator": np.array(INDICATORS)[ind],
        "value": rng.integers(1, 400, rows).astype(float),
        "unit": np.array(UNITS)[ind],
        "period_start": np.array(MONTHS)[month],
        "route_id": np.array(ROUTES)[rng.integers(0, 8, rows)],
        "country": np.where(kind == 0, np.array(COUNTRIES)[rng.integers(0, 40, rows)], None),
        "nationality": np.where(
            kind == 1, np.array(NATIONALITIES)[rng.integers(0, 150, rows)], None
        ),
        "sex": np.where(kind == 2, np.array(["female", "male"])[rng.integers(0, 2, rows)], None),
        "age_group": np.where(kind == 3, np.array(["0-17", "18+"])[rng.integers(0, 2, rows)], None),
    }
    return pa.table(cols)


def import_synthetic(
    db: Database, label: str, batches: int, rows: int, seed: int, defer: bool
) -> tuple[pa.Table, float]:
    """New batches and their rows in one transaction, like an import, through the movement
    import's bulk path (``storage/movements/bulk.py``, raw executemany); with ``defer`` the
    indexes are dropped first and built once at the end. Returns the rows and the seconds."""
    started = time.perf_counter()
    with db.transaction() as session:
        table = synthetic(rows, add_batches(session, label, batches), seed)
        if defer:
            defer_indexes(session)
        for start in range(0, table.num_rows, CHUNK):
            part = table.slice(start, CHUNK).to_pydict()
            n = len(part["value"])
            blank = [None] * n
            movement_bulk.bulk_insert(
                session,
                list(
                    zip(
                        part["batch_id"],
                        part["source_id"],
                        part["indicator"],
                        part["value"],
                        part["unit"],
                        ["month"] * n,
                        part["period_start"],
                        part["period_start"],
                        blank,
                        part["route_id"],
                        part["route_id"],
                        part["country"],
                        blank,
                        part["nationality"],
                        part["sex"],
                        part["age_group"],
                        blank,
                        blank,
                        [False] * n,
                        [False] * n,
                        [0 if c is not None else None for c in part["country"]],  # admin_level
                        [False] * n,  # correction
                        blank,  # route_method
                        blank,  # route_distance_km
                        strict=True,
                    )
                ),
            )
        if defer:
            restore_indexes(session)
    return table, time.perf_counter() - started


def timed(fn: object, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def wrk(url: str, script: str | None = None) -> dict[str, float]:
    command = ["wrk", "-t2", "-c8", "-d10s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            command[1:1] = ["-s", lua.name]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        assert m, out
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    return {
        "p50_ms": ms("50%"),
        "p90_ms": ms("90%"),
        "p99_ms": ms("99%"),
        "rps": float(rps.group(1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--cold-rows", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8754)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="itinera-analytics-bench-"))
    path = folder / "itinera.db"
    url = f"sqlite:///{path}"
    initialise(Settings(database_url=url, environment="test"))
    db = Database(url)
    data, seconds = import_synthetic(db, "base", 12, args.rows, seed=1, defer=True)
    print(f"generate+insert {args.rows:,} rows: {seconds:.1f} s")
    t = time.perf_counter()
    ensure_current(db, breakdowns=True)
    print(f"cube built in {time.perf_counter() - t:.1f} s")
    wal = path.with_name(path.name + "-wal")
    print(f"WAL {wal.stat().st_size / 2**20:.0f} MiB before checkpoint" if wal.exists() else "")
    with db.engine.connect() as connection:  # as SQLite does once the import's readers finish
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def ours() -> None:
        route_series(db, SYSTEM, "central-mediterranean", "arrivals", "2010-01", "2024-12")

    duck = duckdb.connect()
    duck.register("obs", data)
    query = (
        "SELECT period_start, source_id, sum(value) FROM obs WHERE indicator = 'arrivals' "
        "AND route_id = 'central-mediterranean' GROUP BY period_start, source_id"
    )
    ours_s, duck_s = timed(ours), timed(lambda: duck.execute(query).fetchall())
    print(
        f"series aggregation: itinera {ours_s * 1000:.1f} ms, DuckDB in memory "
        f"{duck_s * 1000:.1f} ms, ratio {ours_s / duck_s:.2f}"
    )
    duck.close()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("itinera")), "serve", "--port", str(args.port)],
        env={**os.environ, "ITINERA_DATABASE_URL": url, "ITINERA_ENVIRONMENT": "test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        endpoints = {
            "trivial /api/health": "/api/health",
            "overview": "/api/analytics/overview",
            "series": SERIES + "&from=2020-01&to=2024-12",
        }
        for name, path_q in endpoints.items():
            urllib.request.urlopen(base + path_q, timeout=60).read()  # warm
            print(name, wrk(base + path_q))
        print(
            "series, a new window on every request (never cached)",
            wrk(base + SERIES, script=WINDOWS),
        )
        before = urllib.request.urlopen(base + "/api/analytics/overview", timeout=120).read()
        # two batches of known sources (unhcr, frontex), committed with their rows
        _, seconds = import_synthetic(db, "cold", 2, args.cold_rows, seed=2, defer=False)
        print(f"insert {args.cold_rows:,} more rows (indexes kept): {seconds:.1f} s")
        t = time.perf_counter()
        after = urllib.request.urlopen(base + "/api/analytics/overview", timeout=120).read()
        assert after != before, "the overview did not change after the import"
        print(
            f"cold start after {args.cold_rows:,} new rows: overview current in "
            f"{time.perf_counter() - t:.2f} s"
        )
        t = time.perf_counter()
        urllib.request.urlopen(base + SERIES + "&by=nationality&top=10", timeout=600).read()
        print(
            f"then the first series by nationality (breakdowns summed): "
            f"{time.perf_counter() - t:.2f} s"
        )
    finally:
        # the server's own peak (VmHWM): RUSAGE_CHILDREN would count the benchmark's pages the
        # forked child held before exec
        status = Path(f"/proc/{server.pid}/status").read_text()
        child = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
        server.terminate()
        server.wait()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: benchmark {own:.0f} MiB, server {child:.0f} MiB")


if __name__ == "__main__":
    main()
