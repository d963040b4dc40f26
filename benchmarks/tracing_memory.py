"""Peak memory of the tracing linkage (C10) per population size, each run in a child process.

    PYTHONPATH=src .venv/bin/python benchmarks/tracing_memory.py --records 100000 200000

Each size runs in a fresh child process (population, keys, then Itinera's whole prediction at
threshold 0.01 with DuckDB bounded by ``--memory-limit`` and ``--threads``); the parent reads
the child's own peak resident memory (``ru_maxrss`` from ``os.wait4``), and the child says its
resident memory just before linking (the population and the keyed records it is given), so the
linkage's own share is the difference. The goal: from one size to the next, the linkage's own
peak grows less than the population does (sub-linear), because DuckDB's share is capped by its
memory limit; the records it is given grow with the population and are reported beside it.
The same children give Itinera's time per size (training apart) against naive all-pairs fuzzy
matching extrapolated to that size, the speed goal of issue 15 at its own scale.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

from harness import Report  # type: ignore[import-not-found]

THRESHOLD = 0.01
PRECISION = 0.99


def _resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(records: int, seed: int, memory_limit: str, threads: int | None) -> None:
    from tracing_linkage import (  # type: ignore[import-not-found]
        curve,
        recall_at,
        timed,
        to_record,
    )
    from tracing_population import Population  # type: ignore[import-not-found]

    from itinera.engines.linkage import SplinkLinkage
    from itinera.engines.names import VariantDictionary
    from itinera.reference.name_variants import packaged_name_variants

    population = Population(records, seed)
    people, truth = population.people, population.truth
    del population
    dictionary = VariantDictionary(packaged_name_variants())
    started, cpu = time.perf_counter(), time.process_time()
    keyed = [to_record(p, dictionary) for p in people]
    keys, keys_cpu = time.perf_counter() - started, time.process_time() - cpu
    del people
    before = _resident_mb()
    engine = SplinkLinkage(train=True, memory_limit=memory_limit, threads=threads)
    training = timed(engine)
    try:  # stored, then scoring without training (issue 15)
        trained = engine.train_model(keyed)
    except ValueError:  # EM drove an m to zero (a small registry): the prior model scores
        trained = None
    scoring, scoring_cpu = time.perf_counter(), time.process_time()
    stored = SplinkLinkage(train=False, memory_limit=memory_limit, threads=threads, model=trained)
    result = stored.link(keyed, THRESHOLD)
    ended, ended_cpu = time.perf_counter(), time.process_time()
    seconds, cpu = ended - started, ended_cpu - cpu
    scoring, scoring_cpu = ended - scoring, ended_cpu - scoring_cpu
    points = curve(
        [(p.probability, frozenset((p.left, p.right)) in truth) for p in result.pairs], len(truth)
    )
    recall, threshold = recall_at(points, PRECISION)
    step = max(1, len(points) // 400)
    found = {"before_link_mb": before, "pairs": len(result.pairs), "seconds": seconds, "cpu": cpu}
    found |= {"recall": recall, "threshold": threshold, "curve": points[::step] + points[-1:]}
    found |= {"model": result.model_version}
    found |= {"training_seconds": training[0], "training_cpu": training[1]}
    found |= {"scoring_seconds": keys + scoring, "scoring_cpu": keys_cpu + scoring_cpu}
    print(json.dumps(found))


def measure(records: int, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(records), "--seed", str(args.seed)]
    command += ["--memory-limit", args.memory_limit]
    command += ["--threads", str(args.threads)] if args.threads else []
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"the {records:,}-record child failed (status {status})")
    found = json.loads(output.strip().splitlines()[-1])
    found["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    shown = {k: v for k, v in found.items() if k != "curve"}
    print(f"{records:,} records: {shown}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-limit", default="400MB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--svg", type=Path, default=Path("benchmarks/tracing_pr_curve_sizes.svg"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed, args.memory_limit, args.threads)
        return
    sizes = sorted(args.records)
    report = Report(
        "C10 tracing linkage: peak memory per population size (child processes)",
        "PYTHONPATH=src .venv/bin/python benchmarks/tracing_memory.py --records "
        f"{' '.join(map(str, sizes))} --memory-limit {args.memory_limit} --threads {args.threads}",
    )
    found = {size: measure(size, args) for size in sizes}
    naive = _naive_rapidfuzz(args.seed)
    args.svg.write_text(svg([(f"{size:,}", found[size]["curve"]) for size in sizes]), "utf-8")
    report.text(
        f"DuckDB memory limit {args.memory_limit}, {args.threads} threads, spilling into the "
        "run's own temporary directory; threshold 0.01; EM-trained model. Peak RSS is the "
        "child's whole peak (population generator, keyed records and linkage); 'before linking' "
        "is what the child held when it called the engine (the records it links). Keys + link "
        "is keys, training (the model stored: m and u, the fingerprint of its records) and "
        "scoring with the stored model; keys + scoring is also shown alone: what a run costs "
        "when the model is not trained again."
    )
    report.text(
        "| records | peak RSS (MB) | before linking (MB) | linkage's own peak (MB) | pairs "
        "| keys + link (s) | CPU (s) | of which training (s, CPU s) | recall at precision "
        "0.99 | threshold | keys + scoring with the stored model (s, CPU s) |"
        "\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(
            f"| {size:,} | {f['peak_mb']:,.0f} | {f['before_link_mb']:,.0f} | "
            f"{f['peak_mb'] - f['before_link_mb']:,.0f} | {f['pairs']:,.0f} | "
            f"{f['seconds']:,.0f} | {f['cpu']:,.0f} | "
            f"{f['training_seconds']:,.0f}, {f['training_cpu']:,.0f} | {f['recall']:.4f} | "
            f"{f['threshold']:.4f} | {f['scoring_seconds']:,.0f}, {f['scoring_cpu']:,.0f} |"
            for size, f in found.items()
        )
    )
    report.text(
        "Naive all-pairs fuzzy matching (rapidfuzz token-sort ratio, one thread) timed on a "
        "1,000 × 20,000 slice of a 20,000-record population (all its pairs: "
        f"{naive[0]:.1f} s wall, {naive[1]:.1f} s CPU) and extrapolated to each size's n²/2 "
        "pairs, against the child's keys + link, training included (wall; CPU):\n\n"
        "| records | rapidfuzz (h wall) | rapidfuzz (CPU s) | ratio wall | ratio CPU "
        "| stored model: ratio wall | ratio CPU |\n"
        "|---:|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(
            f"| {size:,} | {naive[0] * _scale(size) / 3600:,.1f} | "
            f"{naive[1] * _scale(size):,.0f} | {naive[0] * _scale(size) / f['seconds']:,.1f}× | "
            f"{naive[1] * _scale(size) / f['cpu']:,.1f}× | "
            f"{naive[0] * _scale(size) / f['scoring_seconds']:,.1f}× | "
            f"{naive[1] * _scale(size) / f['scoring_cpu']:,.1f}× |"
            for size, f in found.items()
        )
    )
    for small, large in pairwise(sizes):
        own = {size: found[size]["peak_mb"] - found[size]["before_link_mb"] for size in sizes}
        report.goal(
            f"linkage's own peak {large:,} / {small:,} records, below the population's "
            f"{large / small:.2f}× (sub-linear: DuckDB capped by its limit)",
            own[large] / own[small],
            "<=",
            0.95 * large / small,
            "×",
        )
    largest = sizes[-1]
    report.text(
        f"Precision-recall curves per size: `{args.svg.name}` (threshold 0.01 and above; the "
        "recall at precision 0.99 is read on each curve, the threshold is the lowest "
        "probability kept there)."
    )
    for size in sizes:
        report.goal(
            f"recall at precision >= 0.99, {size:,} records", found[size]["recall"], ">=", 0.95
        )
    report.goal(
        f"naive rapidfuzz all-pairs / Itinera at {largest:,} records (wall)",
        naive[0] * _scale(largest) / found[largest]["seconds"],
        ">=",
        50,
        "×",
    )
    report.goal(
        f"naive rapidfuzz all-pairs / Itinera with the stored model at {largest:,} records (wall)",
        naive[0] * _scale(largest) / found[largest]["scoring_seconds"],
        ">=",
        50,
        "×",
    )
    report.finish()


def _naive_rapidfuzz(seed: int) -> tuple[float, float]:
    """rapidfuzz's seconds (wall, CPU) for all pairs of a 20,000-record population."""
    from tracing_baselines import rapidfuzz_all_pairs_seconds  # type: ignore[import-not-found]
    from tracing_population import Population  # type: ignore[import-not-found]

    return rapidfuzz_all_pairs_seconds(Population(_SLICE, seed).people, _SLICE)


_SLICE = 20_000
_LOWEST = 0.8  # the precision axis starts here: the curves' tops are what matter


def _y(precision: float) -> float:
    return 420 - max(precision - _LOWEST, 0) / (1 - _LOWEST) * 400


_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd")


def svg(curves: list[tuple[str, list[list[float]]]]) -> str:
    """Precision against recall, one line per population size, with the 0.99 line."""

    def line(points: list[list[float]], colour: str) -> str:
        xy = " ".join(f"{40 + r * 400:.1f},{_y(p):.1f}" for _, p, r in points)
        return f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{xy}"/>'

    lines = "".join(line(points, c) for (_, points), c in zip(curves, _COLOURS, strict=False))
    labels = "".join(
        f'<text x="{50 + 110 * i}" y="440" fill="{c}">{label} records</text>'
        for i, ((label, _), c) in enumerate(zip(curves, _COLOURS, strict=False))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="460" height="460">'
        '<rect x="40" y="20" width="400" height="400" fill="none" stroke="#999"/>'
        f'<line x1="40" y1="{_y(0.99):.0f}" x2="440" y2="{_y(0.99):.0f}" stroke="#999"'
        ' stroke-dasharray="4"/><text x="200" y="455">recall 0-1</text>'
        f'<text x="0" y="15">precision {_LOWEST}-1 (dashed: 0.99)</text>'
        f"{lines}{labels}</svg>"
    )


def _scale(records: int) -> float:
    return (records / _SLICE) ** 2


if __name__ == "__main__":
    main()
