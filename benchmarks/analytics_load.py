"""Route analytics under load (issues 4 and 13, C3), on the embedded SQLite store.

    .venv/bin/python benchmarks/analytics_load.py --rows 10000000 [--cold-rows 1000000]

1. Building the store: synthetic observations shaped like real ones (8 routes, 40 countries, 150
   nationalities, sex and age group, 15 years of months, 3 indicators, 4 sources, 12 batches)
   are bulk-inserted (the movement import's bulk path, indexes built once at the end) into a
   fresh store, then the cube is built (totals and breakdowns). Goal (issue 13): cube build
   <= 0.5x the insert. One build per run (a 10 M store takes minutes): a single figure.
2. The figures: for one route and every indicator, each month's headline plus its other
   sources (``route_series``, exact) must equal the sum over all sources computed by DuckDB
   over the inserted rows; the benchmark stops otherwise.
3. New questions (issue 13, goal 1): ``wrk`` (its own process, 8 connections, 2 threads) on
   loopback against ``itinera serve``, alternating rounds of the trivial endpoint
   (``/api/health``, the baseline) and of new questions: a Lua script makes every request one
   never asked before in this run (series, series by nationality / sex / age group / country,
   or mortality; route, indicator and window enumerated from a per-request counter, each round
   starting where the previous one stopped), so the in-memory answer cache never answers.
   Goals: throughput >= 0.5x the trivial endpoint's and p95 < 50 ms (the Lua ``done`` hook
   reads wrk's p95); any non-2xx answer or socket error stops the benchmark.
4. Cold start: ``--cold-rows`` new observations in two batches of known sources (indexes
   kept), then what the import job does after storing them (``freshness.sum_imported``: their
   totals and breakdowns summed into the cube), then the overview and the first series by
   nationality (the server's columns reloaded at the new token). Goal: that first breakdown
   <= 1 s. A single figure.
Never run in CI. Figures go to RESULTS.md through ``harness.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from analytics_store import INDICATORS, ROUTES, import_synthetic  # type: ignore[import-not-found]
from harness import Report, alternate  # type: ignore[import-not-found]

from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.analytics.cache import ensure_current, sum_imported
from itinera.services.analytics.series import route_series
from itinera.services.setup import initialise
from itinera.storage.database import Database

TITLE = "Route analytics: new questions under load (issue 13, goal 1)"

NEW_QUESTIONS = """
local routes = {%(routes)s}
local indicators = {%(indicators)s}
local kinds = {"", "&by=nationality&top=10", "&by=sex", "&by=age_group", "&by=country&top=10"}
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  offset, width, counter = tonumber(args[1]), tonumber(args[2]), 0
end
local function month(i)
  return string.format("%%04d-%%02d", 2010 + math.floor(i / 12), i %% 12 + 1)
end
function request()
  local n = offset + counter * width + id
  counter = counter + 1
  local kind, rest = n %% 6, math.floor(n / 6)
  local route = routes[rest %% 8 + 1]
  rest = math.floor(rest / 8)
  local path
  if kind == 5 then
    path = "/api/routes/" .. route .. "/mortality?"
  else
    path = "/api/routes/" .. route .. "/series?indicator=" .. indicators[rest %% 3 + 1]
      .. kinds[kind + 1] .. "&"
    rest = math.floor(rest / 3)
  end
  local length, first = rest %% 30 + 1, math.floor(rest / 30) %% 150
  path = path .. "from=" .. month(first) .. "&to=" .. month(first + length - 1)
  return wrk.format("GET", path)
end
"""
REPORT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("STATS %d %d %d %d %d %d %d\\n", summary.requests,
    latency:percentile(50), latency:percentile(95), e.connect, e.read + e.write, e.timeout,
    e.status))
end
"""
QUESTIONS_PER_ROUND = 200_000  # far above what one round asks (offsets never overlap)


def wrk(url: str, seconds: int, script: str, args: list[str]) -> dict[str, float]:
    """One wrk run (8 connections, 2 threads) with ``script``; stops on any failed request
    (an answer slower than 30 s counts as failed)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script + REPORT)
        lua.flush()
        command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", lua.name, url]
        command += ["--", *args]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"STATS (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found and rps, out
    requests, p50, p95, *errors = (int(x) for x in found.groups())
    if any(errors):
        raise AssertionError(f"failed requests (connect, read/write, timeout, non-2xx): {errors}")
    return {"rps": float(rps.group(1)), "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "n": requests}


def expected_sums(data: pa.Table, route: str) -> dict[tuple[str, str], float]:
    """(indicator, YYYY-MM) -> sum over every source, by DuckDB over the inserted rows."""
    duck = duckdb.connect()
    duck.register("obs", data)
    found = duck.execute(
        "SELECT indicator, substr(period_start, 1, 7), sum(value) FROM obs "
        "WHERE route_id = ? GROUP BY ALL",
        [route],
    ).fetchall()
    duck.close()
    return {(i, m): float(v) for i, m, v in found}


def check_figures(db: Database, route: str, expected: dict[tuple[str, str], float]) -> int:
    """The headline plus the other sources of every month equal DuckDB's sums; returns the
    number of months compared."""
    compared = 0
    for indicator in INDICATORS:
        series = route_series(db, SYSTEM, route, indicator, "2010-01", "2024-12")
        for point in series["points"]:
            ours = (point["value"] or 0) + sum(v or 0 for v in point["other_sources"].values())
            theirs = expected.get((indicator, point["month"]), 0.0)
            assert abs(ours - theirs) <= 1e-6 * max(1.0, theirs), (indicator, point, theirs)
            compared += 1
    return compared


def serve(url: str, port: int, command: list[str] | None = None) -> subprocess.Popen[bytes]:
    """``itinera serve`` on ``url`` (or ``command``), once it answers."""
    server = subprocess.Popen(
        command or [str(Path(sys.executable).with_name("itinera")), "serve", "--port", str(port)],
        env={**os.environ, "ITINERA_DATABASE_URL": url, "ITINERA_ENVIRONMENT": "test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def server_cpu(pid: int) -> float:
    """CPU seconds the server process used so far (user + system): on a machine loaded by
    others the wall-clock figures are inflated, its CPU per request is not."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_get(url: str, pid: int) -> tuple[float, float, bytes]:
    """Wall seconds, server CPU seconds and body of one request."""
    cpu, started = server_cpu(pid), time.perf_counter()
    body = urllib.request.urlopen(url, timeout=600).read()
    return time.perf_counter() - started, server_cpu(pid) - cpu, body


def with_server_cpu(pid: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    cpu = server_cpu(pid)
    found = run()
    found["cpu_ms"] = (server_cpu(pid) - cpu) * 1000 / max(1.0, found["n"])
    return found


def load_rounds(base: str, seconds: int, rounds: int, pid: int) -> Any:
    """Alternating rounds of the trivial endpoint and of new questions (throughput, req/s)."""
    script = NEW_QUESTIONS % {
        "routes": ", ".join(f'"{r}"' for r in ROUTES),
        "indicators": ", ".join(f'"{i}"' for i in INDICATORS),
    }
    asked = iter(range(0, 100 * QUESTIONS_PER_ROUND, QUESTIONS_PER_ROUND))
    runs: dict[str, Callable[[], dict[str, float]]] = {
        "trivial /api/health": lambda: with_server_cpu(
            pid, lambda: wrk(base + "/api/health", seconds, "", [])
        ),
        "new questions": lambda: with_server_cpu(
            pid, lambda: wrk(base, seconds, script, [str(next(asked)), "2"])
        ),
    }
    return alternate(runs, rounds=rounds, timer=lambda run: ((found := run())["rps"], found))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--cold-rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--port", type=int, default=8754)
    args = parser.parse_args()
    command = (
        f"python benchmarks/analytics_load.py --rows {args.rows} --cold-rows {args.cold_rows} "
        f"--rounds {args.rounds} --seconds {args.seconds}"
    )
    report = Report(TITLE, command)
    register_capabilities()
    folder = Path(tempfile.mkdtemp(prefix="itinera-analytics-bench-"))
    url = f"sqlite:///{folder / 'itinera.db'}"
    initialise(Settings(database_url=url, environment="test"))
    db = Database(url)
    cpu = time.process_time()
    data, insert_s = import_synthetic(db, "base", 12, args.rows, seed=1, defer=True)
    insert_cpu, cpu = time.process_time() - cpu, time.process_time()
    expected = expected_sums(data, ROUTES[0])
    del data
    started = time.perf_counter()
    ensure_current(db, breakdowns=True)
    cube_s, cube_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"insert {insert_s:.1f} s (CPU {insert_cpu:.1f}), cube {cube_s:.1f} s (CPU {cube_cpu:.1f})"
    )
    with db.engine.connect() as connection:  # as SQLite does once the import's readers finish
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    months = check_figures(db, ROUTES[0], expected)
    server = serve(url, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        rounds = load_rounds(base, args.seconds, args.rounds, server.pid)
        before = urllib.request.urlopen(base + "/api/analytics/overview", timeout=600).read()
        _, cold_insert_s = import_synthetic(db, "cold", 2, args.cold_rows, seed=2, defer=False)
        cpu, started = time.process_time(), time.perf_counter()
        sum_imported(db)  # the import job's last step
        job_cube_s, job_cube_cpu = time.perf_counter() - started, time.process_time() - cpu
        overview_s, overview_cpu, after = timed_get(base + "/api/analytics/overview", server.pid)
        assert after != before, "the overview did not change after the import"
        breakdown_s, breakdown_cpu, _ = timed_get(
            base + f"/api/routes/{ROUTES[0]}/series?indicator=arrivals&by=nationality&top=10",
            server.pid,
        )
    finally:
        server.terminate()
        server.wait()
    new, trivial = rounds.labels[1], rounds.labels[0]
    p95 = sorted(found["p95_ms"] for found in rounds.answers[new])

    def cpu_ms(label: str) -> float:
        return statistics.median(found["cpu_ms"] for found in rounds.answers[label])

    report.text(
        f"{args.rows:,} synthetic observations (8 routes, 3 indicators, 4 sources, 12 batches, "
        f"180 months; 150 nationalities, 40 countries). Figures checked against DuckDB's sums "
        f"over the inserted rows for {months} route-months. wrk: 8 connections, 2 threads, "
        f"{args.seconds} s per run; throughput in requests per second (the ratio is new "
        "questions over the trivial endpoint); the CPU column is the benchmark's own process "
        "(wrk and the server are others)."
    )
    report.table(rounds, unit="req/s")
    report.text(
        "p95 of new questions per round (ms): "
        + ", ".join(f"{x:.1f}" for x in p95)
        + "; p50: "
        + ", ".join(f"{f['p50_ms']:.1f}" for f in rounds.answers[new])
        + "; requests per round: "
        + ", ".join(f"{f['n']:,}" for f in rounds.answers[new])
        + ". Server CPU per request (ms, median of rounds; not inflated by other processes): "
        + f"trivial {cpu_ms(trivial):.2f}, new questions {cpu_ms(new):.2f}, a ratio of "
        + f"{cpu_ms(trivial) / cpu_ms(new):.3f} (the throughput ratio a server with a core "
        + "of its own would approach); new questions per round, in run order: "
        + ", ".join(f"{f['cpu_ms']:.2f}" for f in rounds.answers[new])
        + " ms (the first round after a new token also reads the cube's columns it needs)."
    )
    report.text(
        f"Building the store (one build): insert {insert_s:.1f} s wall ({insert_cpu:.1f} s CPU), "
        f"cube {cube_s:.1f} s wall ({cube_cpu:.1f} s CPU). Cold start: {args.cold_rows:,} "
        f"more rows inserted in {cold_insert_s:.1f} s, the import job's cube step (their totals "
        f"and breakdowns) {job_cube_s:.1f} s ({job_cube_cpu:.1f} s CPU), then the overview in "
        f"{overview_s:.2f} s ({overview_cpu:.2f} s of server CPU), then the first series by "
        f"nationality in {breakdown_s:.2f} s ({breakdown_cpu:.2f} s of server CPU; single "
        "figures)."
    )
    report.goal(
        "new questions: throughput >= 0.5x /api/health (median of rounds)",
        rounds.ratio(new, trivial),
        ">=",
        0.5,
        "×",
    )
    report.goal(
        "new questions: p95 < 50 ms (median of rounds)", p95[len(p95) // 2], "<=", 50, " ms"
    )
    report.goal("cube build <= 0.5x the insert (wall)", cube_s / insert_s, "<=", 0.5, "×")
    report.goal(
        f"first breakdown after a {args.cold_rows:,}-row import <= 1 s", breakdown_s, "<=", 1, " s"
    )
    report.finish()


if __name__ == "__main__":
    main()
