"""The one helper every benchmark uses, so that a stale or one-off figure cannot stand (issue 13).

A benchmark names its baseline and its subject(s) as callables returning their answer, and
:func:`alternate` runs them over at least three rounds, each round in a different order, with
the load average read before each run. The answers of every run must agree with the baseline's
(the caller says how, e.g. within a tolerance): otherwise the benchmark stops. :class:`Report`
checks each goal itself, writes its section of ``benchmarks/RESULTS.md`` in place (replacing the
previous figures, with the command and the date), refreshes the summary of goals at the top of
that file, and exits non-zero when a goal is missed.

    rounds = alternate({"baseline": run_a, "subject": run_b}, rounds=3, same=equal_answers)
    report = Report("Coverage at scale", "python benchmarks/x.py --points 320000")
    report.table(rounds)
    report.goal("320,000 points in <= 2 s", rounds.median("subject"), "<=", 2.0, "s")
    report.finish()
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Goal", "Report", "Rounds", "alternate", "load_average", "orders"]

RESULTS = Path(__file__).with_name("RESULTS.md")
SUMMARY_TITLE = "Goals at a glance"
_GOAL_LINE = re.compile(r"^- goal: (?P<text>.*) — \*\*(?P<verdict>met|NOT met)\*\*")


def load_average() -> float:
    return os.getloadavg()[0]


def orders(labels: Sequence[str], rounds: int) -> list[list[str]]:
    """One order per round: rotated each round, and reversed on every other full turn, so that
    no label always runs first, last or right after the same neighbour (AB, BA, BA, AB, …)."""
    found = []
    for r in range(rounds):
        shift = r % len(labels)
        order = list(labels[shift:]) + list(labels[:shift])
        found.append(order[::-1] if (r // len(labels)) % 2 else order)
    return found


@dataclass
class Rounds:
    """Seconds, answers and load average of every run of every label, in run order."""

    labels: list[str]
    seconds: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)  # this process's CPU seconds
    answers: dict[str, list[Any]] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)

    def median(self, label: str) -> float:
        return statistics.median(self.seconds[label])

    def spread(self, label: str) -> tuple[float, float]:
        return min(self.seconds[label]), max(self.seconds[label])

    def ratio(self, subject: str, baseline: str) -> float:
        return self.median(subject) / self.median(baseline)

    def ratios(self, subject: str, baseline: str) -> list[float]:
        """Per-round ratios (runs of the same round compared), the honest spread of a ratio."""
        pairs = zip(self.seconds[subject], self.seconds[baseline], strict=True)
        return [s / b for s, b in pairs]


def alternate(
    runs: Mapping[str, Callable[[], Any]],
    rounds: int = 3,
    same: Callable[[Any, Any], bool] | None = None,
    timer: Callable[[Callable[[], Any]], tuple[float, Any]] | None = None,
) -> Rounds:
    """Run every callable once per round, the first label being the baseline. ``same(a, b)``
    compares a run's answer with the baseline's first answer; a mismatch stops the benchmark.
    ``timer`` may return its own figure (e.g. a ratio or a throughput) instead of seconds."""
    if rounds < 3:
        raise ValueError("at least three rounds: one run proves nothing")
    labels = list(runs)
    result = Rounds(labels, *({k: [] for k in labels} for _ in range(3)))
    for number, order in enumerate(orders(labels, rounds), start=1):
        for label in order:
            result.loads.append(load_average())
            cpu = time.process_time()
            seconds, answer = (timer or _timed)(runs[label])
            result.cpu[label].append(time.process_time() - cpu)
            result.seconds[label].append(seconds)
            result.answers[label].append(answer)
            print(
                f"round {number}: {label}: {seconds:.3f} (CPU {result.cpu[label][-1]:.2f} s, "
                f"load {result.loads[-1]:.1f})"
            )
    if same is not None:
        reference = result.answers[labels[0]][0]
        for label in labels:
            for answer in result.answers[label]:
                if not same(reference, answer):
                    raise AssertionError(f"{label} disagrees with {labels[0]}")
    return result


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = run()
    return time.perf_counter() - started, answer


@dataclass(frozen=True)
class Goal:
    text: str
    measured: float
    relation: str  # "<=" or ">="
    limit: float
    unit: str = ""

    @property
    def met(self) -> bool:
        if self.relation == "<=":
            return self.measured <= self.limit
        return self.measured >= self.limit

    def line(self) -> str:
        verdict = "met" if self.met else "NOT met"
        return (
            f"- goal: {self.text} (measured {self.measured:,.3f}{self.unit} "
            f"{self.relation} {self.limit:,.3g}{self.unit}) — **{verdict}**"
        )


class Report:
    """One section of RESULTS.md, written by :meth:`finish`."""

    def __init__(self, title: str, command: str, results: Path = RESULTS) -> None:
        self.title = title
        self.command = command
        self.results = results
        self.lines: list[str] = []
        self.goals: list[Goal] = []
        self.loads: list[float] = [load_average()]

    def text(self, paragraph: str) -> None:
        self.lines += [paragraph, ""]

    def table(self, rounds: Rounds, unit: str = "s", baseline: str | None = None) -> None:
        """Median, spread and (against ``baseline``) the ratio of each label."""
        self.loads += rounds.loads
        base = baseline or rounds.labels[0]
        self.lines += [
            f"| run | median ({unit}) | min–max ({unit}) | runs | ratio to {base} (median) "
            "| CPU s of this process (median) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label in rounds.labels:
            low, high = rounds.spread(label)
            self.lines.append(
                f"| {label} | {rounds.median(label):,.3f} | {low:,.3f}–{high:,.3f} | "
                f"{len(rounds.seconds[label])} | {rounds.ratio(label, base):.2f}× | "
                f"{statistics.median(rounds.cpu[label]):,.2f} |"
            )
        self.lines.append("")

    def goal(self, text: str, measured: float, relation: str, limit: float, unit: str = "") -> bool:
        if relation not in ("<=", ">="):
            raise ValueError(relation)
        goal = Goal(text, measured, relation, limit, unit)
        self.goals.append(goal)
        print(goal.line())
        return goal.met

    def section(self) -> str:
        self.loads.append(load_average())
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        head = [
            f"## {self.title}",
            "",
            f"Command: `{self.command}` — run {now} on {os.cpu_count()} cores, load average "
            f"{min(self.loads):.1f}–{max(self.loads):.1f} (written by benchmarks/harness.py).",
            "",
        ]
        goals = [g.line() for g in self.goals] or ["- no goal checked"]
        return "\n".join([*head, *self.lines, *goals, ""])

    def finish(self) -> None:
        write_section(self.results, self.title, self.section())
        if not all(g.met for g in self.goals):
            print("a goal was missed", file=sys.stderr)
            raise SystemExit(1)


def write_section(results: Path, title: str, body: str) -> None:
    """Replace the ``## title`` section (up to the next ``## ``) or append it, then refresh
    the summary of every goal line in the file."""
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    sections = _split(text)
    sections[title] = body.rstrip("\n") + "\n"
    sections.pop(SUMMARY_TITLE, None)
    preamble = sections.pop("", "# Benchmark results\n")
    summary = _summary(sections)
    parts = [preamble.rstrip("\n") + "\n", summary, *sections.values()]
    results.write_text("\n".join(parts), encoding="utf-8")


def _split(text: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    title = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("## "):
            title = line[3:].strip()
            sections[title] = ""
        sections[title] = sections.get(title, "") + line
    return {k: v.rstrip("\n") + "\n" for k, v in sections.items()}


def _summary(sections: Mapping[str, str]) -> str:
    lines = [
        f"## {SUMMARY_TITLE}",
        "",
        "Every goal line below comes from a benchmark's own check (benchmarks/harness.py); "
        "sections without such lines were written by hand before the harness existed. Goals "
        "no benchmark checks yet are listed in the hand-written issue 13 section.",
        "",
    ]
    for title, body in sections.items():
        for line in body.splitlines():
            match = _GOAL_LINE.match(line)
            if match:
                lines.append(f"- {title}: {match['text']} — **{match['verdict']}**")
    return "\n".join(lines) + "\n"
