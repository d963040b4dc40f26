"""One analyst's new questions right after an import (C3, decision 0046).

Subject: ``itinera serve`` (its columns read before the first request and, in a background
thread, again after each change of the figures: ``arrays.keep_warm``). Baseline: the same app
with the start-up read alone (decision 0044: after a change, each block is read by the first
question that needs it). Each run starts its server on the store, imports ``--import-rows``
synthetic observations (a batch of its own, summed into the cube as the import job does), then
asks ``--questions`` new questions one after the other, ``--pause`` seconds apart (an analyst
clicking), each never asked before (route, indicator, breakdown and window from a counter).
Figures: the p90 of the questions' latency per run (ms), and every latency. Goal: p90 with the
background read ≤ 0.5× on demand. Needs a store built before, e.g. the one
``analytics_load.py`` leaves in its temporary folder (10 M observations):

    .venv/bin/python benchmarks/analytics_after_import.py --database-url sqlite:////path/itinera.db

Never run in CI. Figures go to RESULTS.md through ``harness.py``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
import urllib.request
from typing import Any

from analytics_load import serve  # type: ignore[import-not-found]
from analytics_store import INDICATORS, ROUTES, import_synthetic  # type: ignore[import-not-found]
from harness import Report, alternate  # type: ignore[import-not-found]

from itinera.services.analytics.cache import sum_imported
from itinera.storage.database import Database

BREAKDOWNS = ["", "&by=nationality&top=10", "&by=sex", "&by=age_group", "&by=country&top=10"]
# the app as decision 0044 left it: the start-up read, nothing after a change
ON_DEMAND = (
    "import sys, uvicorn\n"
    "from itinera.bootstrap import build_app\n"
    "from itinera.config import Settings\n"
    "from itinera.services.analytics.arrays import warm\n"
    "app = build_app(Settings())\n"
    "warm(app.state.database)\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
)


def question(n: int) -> str:
    """The n-th question: series (total or a breakdown) or mortality, route, window."""
    kind, rest = n % 6, n // 6
    route, rest = ROUTES[rest % len(ROUTES)], rest // len(ROUTES)
    if kind == 5:
        path = f"/api/routes/{route}/mortality?"
    else:
        indicator, rest = INDICATORS[rest % len(INDICATORS)], rest // len(INDICATORS)
        path = f"/api/routes/{route}/series?indicator={indicator}{BREAKDOWNS[kind]}&"
    length, first = rest % 30 + 1, (rest // 30) % 150
    return path + f"from={_month(first)}&to={_month(first + length - 1)}"


def _month(index: int) -> str:
    return f"{2010 + index // 12:04d}-{index % 12 + 1:02d}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=80)
    parser.add_argument("--pause", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8772)
    args = parser.parse_args()
    db = Database(args.database_url)
    asked = itertools.count(int(time.time()) % 1_000_000 * 1_000)  # new on every run
    batch = itertools.count()
    base = f"http://127.0.0.1:{args.port}"

    def run(command: list[str] | None) -> list[float]:
        server = serve(args.database_url, args.port, command)
        try:
            number = next(batch)  # the batch's file hash ends with its label: one per run
            import_synthetic(db, f"i{number:03d}", 1, args.import_rows, seed=number, defer=False)
            sum_imported(db)
            latencies = []
            for _ in range(args.questions):
                started = time.perf_counter()
                urllib.request.urlopen(base + question(next(asked) * 7919), timeout=600).read()
                latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(args.pause)
        finally:
            server.terminate()
            server.wait()
        return latencies

    def p90(run: Any) -> tuple[float, list[float]]:
        latencies = run()
        return statistics.quantiles(latencies, n=10)[-1], latencies

    on_demand = [sys.executable, "-c", ON_DEMAND, str(args.port)]
    rounds = alternate(
        {"on demand (0044)": lambda: run(on_demand), "background read (0046)": lambda: run(None)},
        rounds=args.rounds,
        timer=p90,
    )
    report = Report(
        "Analytics: one analyst's new questions after an import",
        f"python benchmarks/analytics_after_import.py --database-url URL --import-rows "
        f"{args.import_rows} --questions {args.questions} --pause {args.pause}",
    )
    report.text(
        f"Each run: a server started on the store, {args.import_rows:,} observations imported "
        f"in a batch of their own and summed into the cube, then {args.questions} new "
        f"questions {args.pause} s apart. Figures: p90 latency per run (ms)."
    )
    report.table(rounds, unit="ms")
    for label in rounds.labels:
        waits = [sum(found) / 1000 for found in rounds.answers[label]]
        medians = [statistics.median(found) for found in rounds.answers[label]]
        report.text(
            f"{label}: median latency per run "
            + ", ".join(f"{m:.1f}" for m in medians)
            + " ms; total wait per run "
            + ", ".join(f"{w:.1f}" for w in waits)
            + " s."
        )
    ratio = rounds.ratio("background read (0046)", "on demand (0044)")
    report.goal("p90 with the background read against on demand", ratio, "<=", 0.5, "×")
    report.finish()


if __name__ == "__main__":
    main()
