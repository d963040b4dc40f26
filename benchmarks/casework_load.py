"""Casework under load (C7, C8): 50 concurrent caseworkers register, screen and refer.

For each database (SQLite file; PostgreSQL when ``ITINERA_BENCH_POSTGRES_URL`` names a server)
the same workload runs twice against a uvicorn server on loopback: once as shipped (AES-GCM
field encryption, hash-chained audit trail) and once with both turned off through the app's
internal ``state.casework`` (a pass-through cipher and a no-op audit, defined here only: no
setting can do this). Reported: workflows per second, requests per second, p95 latency per
request, and the protected / unprotected time ratio (goal ≤ 1.5×).

    .venv/bin/python benchmarks/casework_load.py [--workers 50] [--rounds 6] [--repeats 3]
    ITINERA_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:54334/itinera_test \\
        .venv/bin/python benchmarks/casework_load.py
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from argon2 import PasswordHasher
from psycopg import sql
from sqlalchemy.engine import make_url

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.engines.crypto import generate_key, load_cipher
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.casework.context import Casework
from itinera.services.setup import initialise
from itinera.storage.database import Database

CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "contact": "+212 600 000 000",
    "document_numbers": ["P1"],
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}
PASSWORD = "benchmark pass phrase"
WRITE_QUEUE = True


class PlainCipher:
    """Benchmark only: stores the text as is (the 'protection off' baseline)."""

    def encrypt(self, plaintext: str, *, context: str) -> str:
        return plaintext

    def decrypt(self, token: str, *, context: str) -> str:
        return token


def no_audit(*_: Any, **__: Any) -> None:
    """Benchmark only: records nothing."""


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}"


def _run(url: str, protected: bool, workers: int, rounds: int) -> dict[str, float]:
    key = base64.b64encode(generate_key()).decode()
    settings = Settings(
        database_url=url,
        environment="test",
        field_key=key,
        key_file=Path(tempfile.gettempdir()) / "bench-unused.key",
    )
    initialise(settings)
    db = Database(url)
    accounts.create_organisation(db, SYSTEM, "Reception", "ngo")
    receiver = accounts.create_organisation(db, SYSTEM, "Child protection", "state")
    names = [f"cw{i}" for i in range(workers)]
    for name in names:
        accounts.create_user(db, SYSTEM, name, "Reception", "caseworker", PASSWORD)
    if not WRITE_QUEUE:  # measure the old behaviour: writers poll in SQLite's busy handler
        db._write_lock = None
    app = build_app(settings, database=db)
    app.state.casework = (
        Casework(db, load_cipher(settings), audit.record)
        if protected
        else Casework(db, PlainCipher(), no_audit)
    )
    server, thread, base = _serve(app)
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            token = client.post(
                "/api/auth/login", json={"username": name, "password": PASSWORD}
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            barrier.wait()
            for _ in range(rounds):
                mine = []
                start = time.perf_counter()
                answer = client.post("/api/cases", json=CASE, headers=headers)
                mine.append(time.perf_counter() - start)
                case_id = answer.raise_for_status().json()["id"]
                start = time.perf_counter()
                client.post(
                    f"/api/cases/{case_id}/screenings",
                    headers=headers,
                    json={"answers": {"travelling_with": "alone"}},
                ).raise_for_status()
                mine.append(time.perf_counter() - start)
                start = time.perf_counter()
                client.post(
                    "/api/referrals",
                    headers=headers,
                    json={
                        "case_id": case_id,
                        "to_organisation_id": receiver.id,
                        "pathway": "child-protection",
                        "urgency": "immediate",
                        "reason": "alone",
                    },
                ).raise_for_status()
                mine.append(time.perf_counter() - start)
                with lock:
                    latencies.extend(mine)

    barrier = threading.Barrier(workers + 1)
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(worker, name) for name in names]
        barrier.wait()
        began = time.perf_counter()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - began
    server.should_exit = True
    thread.join(10)
    db.dispose()
    latencies.sort()
    return {
        "seconds": elapsed,
        "workflows_per_s": workers * rounds / elapsed,
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def _postgres_database(server_url: str) -> tuple[str, str]:
    name = f"itinera_bench_{secrets.token_hex(4)}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(server_url).set(database=name).render_as_string(False), admin


def _drop(admin: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(name)))
        )


def _fresh_run(backend: str, protected: bool, workers: int, rounds: int) -> dict[str, float]:
    """One run on a new database (a SQLite file, or a PostgreSQL database dropped after)."""
    if backend == "sqlite":
        url, admin = f"sqlite:///{tempfile.mkdtemp(prefix='itinera-bench-')}/bench.db", ""
    else:
        url, admin = _postgres_database(os.environ["ITINERA_BENCH_POSTGRES_URL"])
    try:
        return _run(url, protected, workers, rounds)
    finally:
        if admin:
            _drop(admin, url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="baseline/protected pairs per database, run alternately",
    )
    parser.add_argument(
        "--no-write-queue",
        action="store_true",
        help="SQLite: no BEGIN IMMEDIATE write queue (the behaviour before it)",
    )
    args = parser.parse_args()
    global WRITE_QUEUE
    WRITE_QUEUE = not args.no_write_queue
    # Accounts are set up with a test-sized Argon2id: logins happen before the clock starts,
    # and 50 production-cost hashes per run would only lengthen the setup.
    accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("ITINERA_BENCH_POSTGRES_URL") else [])
    print(f"{args.workers} workers × {args.rounds} workflows (register, screen, refer)")
    print("| database | protection | workflows/s | requests/s | p50 ms | p95 ms | seconds |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend in backends:
        seconds: dict[bool, list[float]] = {False: [], True: []}
        for protected in (False, True):  # warm-up (imports, statement caches), not reported
            _fresh_run(backend, protected, 5, 1)
        for protected in [False, True] * args.repeats:
            r = _fresh_run(backend, protected, args.workers, args.rounds)
            seconds[protected].append(r["seconds"])
            label = "encryption + audit" if protected else "both off (baseline)"
            print(
                f"| {backend} | {label} | {r['workflows_per_s']:.1f} | "
                f"{r['requests_per_s']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                f"{r['seconds']:.1f} |",
                flush=True,
            )
        pairs = [p / b for b, p in zip(seconds[False], seconds[True], strict=True)]
        ratio = statistics.median(seconds[True]) / statistics.median(seconds[False])
        print(
            f"| {backend} | ratio of median times, protected / baseline | {ratio:.2f}× "
            f"| pairs: {', '.join(f'{x:.2f}×' for x in pairs)} | | | |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
