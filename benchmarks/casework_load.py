"""Casework under load (C7, C8; issue 13, goal 5): caseworkers in their own processes against
``itinera serve`` on a store that already holds many cases and a long audit chain.

Each run copies the seeded store (``casework_store.py``: built once, cached under
``benchmarks/out/``), starts ``itinera serve`` in its own process, and forks ``--clients``
client processes, each logged in as its own caseworker. After one untimed workflow each, all
loop for ``--seconds``: register a case, screen it, refer it, read it back, read a seeded case
(five requests). The figure is seconds per workflow (the run's wall time / workflows done).

Protected: the server as shipped, on the store whose cases are sealed. Baseline: the same
command started by ``casework_baseline.py`` (no field encryption, no audit trail, no access
checks, in that server process only), on the same store with the cases written in clear.
Rounds alternate (harness).

    .venv/bin/python benchmarks/casework_load.py [--cases 100000 --audit 1000000 --seconds 60]
    ITINERA_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:55434/itinera_test \\
        .venv/bin/python benchmarks/casework_load.py   # SQLite, then PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_workers import SERVE, Served, serving
from casework_clients import generate
from casework_store import copy_store, drop_database, seeded, seeded_case_ids
from harness import Report, alternate

SERVE_UNPROTECTED = [sys.executable, str(Path(__file__).with_name("casework_baseline.py")), "serve"]
GOAL = 1.2


def _counts(url: str) -> tuple[int, int]:
    """Cases stored and the audit chain's last entry id."""
    engine = create_engine(url)
    with engine.connect() as connection:
        cases = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        head = connection.execute(text("SELECT last_id FROM audit_chain_head")).scalar_one()
    engine.dispose()
    return int(cases), int(head)


def _run(store: dict[str, Any], server_url: str, protected: bool, args: Any) -> Any:
    """One run on a fresh copy of the store: (seconds per workflow, answer)."""
    with tempfile.TemporaryDirectory(prefix="itinera-cw-") as folder:
        url = copy_store(store, server_url, Path(folder), protected=protected)
        try:
            cases_before, audit_before = _counts(url)
            env = {
                **os.environ,
                "ITINERA_DATABASE_URL": url,
                "ITINERA_ENVIRONMENT": "test",
                "ITINERA_FIELD_KEY": store["key"],
                "ITINERA_KEY_FILE": str(Path(folder) / "unused.key"),
                "ITINERA_LOGIN_ADDRESS_MAX_FAILURES": "0",
                "PYTHONPATH": os.pathsep.join(sys.path),
            }
            command = SERVE if protected else SERVE_UNPROTECTED
            with serving(command, env) as served, _sampled(served, protected, args):
                load = _generate(served, store, args)
            cases_after, audit_after = _counts(url)
        finally:
            if not url.startswith("sqlite"):
                drop_database(server_url, url)
    load["audit_added"] = audit_after - audit_before
    load["lost"] = load.pop("registered") - (cases_after - cases_before)
    label = "protected" if protected else "baseline"
    print(f"  {label}: {load}", flush=True)
    return load["seconds"] / load["workflows"], load


@contextmanager
def _sampled(served: Served, protected: bool, args: Any) -> Iterator[None]:
    """With ``--profile DIR``: py-spy samples every thread of the server while the load runs
    (collapsed stacks, one file per run; py-spy is not a dependency: put it on PATH)."""
    if args.profile is None:
        yield
        return
    args.profile.mkdir(parents=True, exist_ok=True)
    label = "protected" if protected else "baseline"
    out = args.profile / f"{label}-{len(list(args.profile.glob(label + '-*')))}.txt"
    spy = subprocess.Popen(
        [
            "py-spy",
            "record",
            "--pid",
            str(served.pid),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
            "--rate",
            "50",
            "--duration",
            str(int(args.seconds) + 10),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(60)


def _generate(served: Served, store: dict[str, Any], args: Any) -> dict[str, Any]:
    cpu = []  # the server's CPU time when the clock starts (after the logins and warm-up)
    load = generate(
        served.base,
        args.clients,
        args.seconds,
        store["receiver_id"],
        seeded_case_ids(store["cases"]),
        on_start=lambda: cpu.append(served.cpu_seconds()),
    )
    load["server_cpu_ms_per_workflow"] = (served.cpu_seconds() - cpu[0]) * 1000 / load["workflows"]
    return load


def _backend(report: Report, backend: str, server_url: str, args: Any) -> None:
    store = seeded(backend, server_url, args.cases, args.audit, args.clients)
    rounds = alternate(
        {
            "baseline": lambda: _run(store, server_url, False, args),
            "protected": lambda: _run(store, server_url, True, args),
        },
        rounds=args.rounds,
        same=lambda a, b: a["errors"] == b["errors"] == 0 and a["lost"] == b["lost"] == 0,
        timer=lambda run: run(),  # type: ignore[no-any-return]
    )
    report.text(f"**{backend}** ({store['cases']:,} cases, {store['audit']:,} audit entries):")
    report.table(rounds, unit="s per workflow")
    rows = [
        "| run | round | workflows | workflows/s | p50 ms | p95 ms | server CPU ms/workflow "
        "| audit entries added |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in rounds.labels:
        for number, a in enumerate(rounds.answers[label], start=1):
            rows.append(
                f"| {label} | {number} | {a['workflows']} | {a['workflows'] / a['seconds']:.1f} "
                f"| {a['p50_ms']:.0f} | {a['p95_ms']:.0f} | "
                f"{a['server_cpu_ms_per_workflow']:.1f} | {a['audit_added']:,} |"
            )
    report.text("\n".join(rows))
    ratio = rounds.ratio("protected", "baseline")
    pairs = ", ".join(f"{r:.2f}×" for r in rounds.ratios("protected", "baseline"))
    cpu = [
        statistics.median(a["server_cpu_ms_per_workflow"] for a in rounds.answers[label])
        for label in rounds.labels
    ]
    report.text(
        f"Per round: {pairs}. Server CPU per workflow (median): {cpu[1] / cpu[0]:.2f}× the "
        "baseline's."
    )
    report.goal("protection / baseline, time per workflow (median)", ratio, "<=", GOAL, "×")
    shortest = min(min(a["seconds"] for a in answers) for answers in rounds.answers.values())
    report.goal("every run lasts at least 60 s", shortest, ">=", 60.0, " s")
    report.goal("cases in the store", store["cases"], ">=", 100_000)
    report.goal("audit entries in the store", store["audit"], ">=", 1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--profile", type=Path, help="py-spy samples of each server, here")
    args = parser.parse_args()
    server_url = os.environ.get("ITINERA_BENCH_POSTGRES_URL", "")
    backends = args.backend or ["sqlite"] + (["postgresql"] if server_url else [])
    options = (
        f"--clients {args.clients} --seconds {args.seconds:g} --cases {args.cases} "
        f"--audit {args.audit} --rounds {args.rounds}"
    )
    missed = False
    for backend in backends:  # one section each, so that either can be run again alone
        report = Report(
            f"Casework under load (C7, C8; issue 13 goal 5): {backend}",
            ("ITINERA_BENCH_POSTGRES_URL=… " if backend == "postgresql" else "")
            + f"python benchmarks/casework_load.py --backend {backend} {options}",
        )
        report.text(" ".join(__doc__.split("\n\n")[1:3]).replace("\n", " "))
        _backend(report, backend, server_url, args)
        try:
            report.finish()
        except SystemExit:
            missed = True
    if missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
