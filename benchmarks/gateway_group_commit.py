"""The intake's group commit alone (decision 0028): 200 concurrent callers storing submissions,
one transaction each (the path before, kept as the writer's fallback) against the intake
writer's batches, alternating over three rounds in the same process; no HTTP, so that the
figure is the storing and not the web stack or the load generator. Every receipt's code must
be stored once.

    ITINERA_BENCH_POSTGRES_URL=postgresql+psycopg://… \\
    .venv/bin/python benchmarks/gateway_group_commit.py [--callers 200] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from gateway_load import _postgres
from harness import Report, alternate

from itinera.config import Settings
from itinera.domain.gateway import Intake, NewSubmission, SubmissionKind
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import audit
from itinera.services.gateway import intake
from itinera.services.gateway.context import Gateway
from itinera.services.gateway.intake_writer import IntakeItem, Receipt, store_alone
from itinera.services.setup import initialise
from itinera.storage.database import Database

NEW = NewSubmission(SubmissionKind.QUESTION, "سؤال للاختبار", "ar")


async def _callers(
    count: int, seconds: float, store: Callable[[], Coroutine[Any, Any, Receipt]]
) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    codes: list[str] = []
    stop = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            codes.append((await store()).tracking_code)
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(caller() for _ in range(count)))
    return latencies, codes


def _measure(report: Report, name: str, url: str, callers: int, seconds: float) -> None:
    key = generate_key()
    unused = Path(tempfile.gettempdir()) / "bench-unused.key"
    encoded = base64.b64encode(key).decode()
    initialise(Settings(database_url=url, environment="test", field_key=encoded, key_file=unused))
    db = Database(url)
    gw = Gateway(db, FieldCipher([key]), audit.record)
    answered: list[str] = []
    p95: dict[str, list[float]] = {"one transaction each": [], "group commit": []}

    async def alone() -> Receipt:  # the thread pool of the route before (40 threads)
        return await asyncio.to_thread(store_alone, IntakeItem(gw, NEW, Intake.WEB))

    async def grouped() -> Receipt:
        return await asyncio.wrap_future(intake.submit_soon(gw, NEW))

    def phase(label: str, store: Callable[[], Coroutine[Any, Any, Receipt]]) -> Any:
        def run() -> tuple[float, int]:
            latencies, codes = asyncio.run(_callers(callers, seconds, store))
            answered.extend(codes)
            latencies.sort()
            p95[label].append(latencies[int(len(latencies) * 0.95)] * 1000)
            return len(codes) / seconds, len(codes)

        return run

    rounds = alternate(
        {label: phase(label, store) for label, store in zip(p95, (alone, grouped), strict=True)},
        rounds=3,
        timer=lambda run: run(),
    )
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT tracking_code FROM gateway_submissions"))
        codes = sorted(row[0] for row in stored)
    db.dispose()
    report.text(f"**{name}** — submissions stored per second ({callers} concurrent callers):")
    report.table(rounds, unit="submissions/s")
    medians = {label: sorted(found)[1] for label, found in p95.items()}
    report.text(
        f"{name}: p95 of a caller's wait, median of 3 rounds: "
        + ", ".join(f"{label} {ms:,.0f} ms" for label, ms in medians.items())
        + f"; {len(answered):,} receipts, {len(codes):,} rows."
    )
    ratio = rounds.ratio("group commit", "one transaction each")
    report.goal(f"{name}: group commit ≥ 2× one transaction each", ratio, ">=", 2.0, "×")
    report.goal(f"{name}: every receipt stored once", float(codes == sorted(answered)), ">=", 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    report = Report(
        "Gateway intake group commit (decision 0028): the storing alone",
        "ITINERA_BENCH_POSTGRES_URL=… .venv/bin/python benchmarks/gateway_group_commit.py "
        f"--callers {args.callers} --seconds {args.seconds:g}",
    )
    folder = Path(tempfile.mkdtemp())
    targets: list[tuple[str, str, Callable[[], None]]] = [
        ("SQLite", f"sqlite:///{folder / 'bench.db'}", lambda: None)
    ]
    if os.environ.get("ITINERA_BENCH_POSTGRES_URL"):
        url, drop = _postgres(os.environ["ITINERA_BENCH_POSTGRES_URL"])
        targets.append(("PostgreSQL", url, drop))
    for name, url, cleanup in targets:
        try:
            _measure(report, name, url, args.callers, args.seconds)
        finally:
            cleanup()
    report.finish()


if __name__ == "__main__":
    main()
