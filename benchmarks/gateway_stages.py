"""Where an intake request waits, seen from inside the server (issue 14).

``install(app, path)`` wraps the app of a benchmark's server process: for every request it
notes when the app received it and when it started answering; for every submission how long it
waited for the writer, and from its batch's commit until the event loop handed it its receipt;
it times the writer's batches (``intake_writer.store_batch``), every pass of the garbage
collector (``gc.callbacks``) and the event loop's lateness on a 10 ms tick. When the server
shuts down (lifespan shutdown) it writes a histogram of each to ``path`` as JSON: counts per
millisecond bucket, no request content, no address. :func:`summary` reads such a file back
as percentiles per stage.

wrk's latency minus the time inside the app is the time a request waited before the app saw
it (in the socket, while the event loop was busy or stopped).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["install", "summary"]

Clock = Callable[[], float]


class _Histograms:
    """Durations counted in 1 ms buckets per stage (and the longest seen)."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[int]] = {}
        self.longest: dict[str, float] = {}

    def add(self, stage: str, value: float) -> None:
        """``value`` in milliseconds (or a count, when the stage says so)."""
        self.counts.setdefault(stage, Counter())[int(value)] += 1
        self.longest[stage] = max(self.longest.get(stage, 0.0), value)

    def write(self, path: Path) -> None:
        found = {
            stage: {"ms": dict(sorted(c.items())), "max_ms": self.longest[stage]}
            for stage, c in self.counts.items()
        }
        path.write_text(json.dumps(found), encoding="utf-8")


def install(app: ASGIApp, path: Path, clock: Clock = time.perf_counter) -> ASGIApp:
    """``app`` with its stages measured; the histograms written to ``path`` at shutdown."""
    from itinera.services.gateway import intake, intake_writer

    seen = _Histograms()
    started: dict[int, float] = {}
    queued: dict[int, float] = {}  # id of a submission -> when it was handed to the writer
    committed: dict[int, float] = {}
    store_batch = intake_writer.store_batch
    submit_waiting = intake.submit_waiting

    def timed_batch(batch: Any) -> None:
        begun = clock()
        for pending in batch:
            if (handed := queued.pop(id(pending.item.new), None)) is not None:
                seen.add("intake: waiting for the writer", (begun - handed) * 1000)
        store_batch(batch)
        done = clock()
        seen.add("writer: one batch stored", (done - begun) * 1000)
        seen.add("writer: submissions in a batch (a count, not ms)", len(batch))
        for pending in batch:
            committed[id(pending.item.new)] = done

    async def timed_submit(gw: Any, new: Any) -> Any:
        queued[id(new)] = clock()
        receipt = await submit_waiting(gw, new)
        if (done := committed.pop(id(new), None)) is not None:
            seen.add("intake: committed, until the loop hands the receipt", (clock() - done) * 1000)
        return receipt

    # the writer looks store_batch up when it is created, the route submit_waiting per call
    intake_writer.store_batch = timed_batch
    intake.submit_waiting = timed_submit  # type: ignore[assignment]

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[info["generation"]] = clock()
        elif (begun := started.pop(info["generation"], None)) is not None:
            seen.add(f"gc: generation {info['generation']} pause", (clock() - begun) * 1000)

    gc.callbacks.append(collected)

    async def ticking() -> None:
        while True:
            before = clock()
            await asyncio.sleep(0.01)
            seen.add("event loop: late on a 10 ms tick", max(0.0, clock() - before - 0.01) * 1000)

    ticker: list[asyncio.Task[None]] = []

    async def probed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await app(scope, _on_shutdown(receive, lambda: seen.write(path)), send)
            return
        if not ticker:
            ticker.append(asyncio.get_running_loop().create_task(ticking()))
        arrived = clock()
        stage = f"in the app: {scope.get('method', '')} {scope['path'][:24]}"

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.add(stage, (clock() - arrived) * 1000)
            await send(message)

        await app(scope, receive, answer)

    return probed


def _on_shutdown(receive: Receive, write: Callable[[], None]) -> Receive:
    async def watched() -> Message:
        message = await receive()
        if message["type"] == "lifespan.shutdown":
            write()
        return message

    return watched


def _percentile(counts: dict[str, int], share: float) -> int:
    total = sum(counts.values())
    running = 0
    for bucket, count in sorted((int(k), v) for k, v in counts.items()):
        running += count
        if running >= share * total:
            return bucket
    return 0


def summary(path: Path) -> list[str]:
    """One line per stage: how many, p50, p95, p99 and the longest (ms)."""
    lines = []
    for stage, found in sorted(json.loads(path.read_text(encoding="utf-8")).items()):
        counts = found["ms"]
        p50, p95, p99 = (_percentile(counts, q) for q in (0.5, 0.95, 0.99))
        lines.append(
            f"| {stage} | {sum(counts.values()):,} | {p50:,} | {p95:,} | {p99:,} | "
            f"{found['max_ms']:,.0f} |"
        )
    return lines
