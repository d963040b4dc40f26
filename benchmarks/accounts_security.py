"""Cost of the data-protection machinery (C8), each against its baseline in the same run.

    .venv/bin/python benchmarks/accounts_security.py [--postgres URL] [--entries 20000]

- field encryption: AES-256-GCM encrypt + decrypt of a 20-character name, against copying the
  string (the "encryption off" baseline);
- audit: one transaction inserting a row, with and without an audit entry appended to the hash
  chain, sequential and with 8 threads (appends serialise on the chain head);
- audit verify: entries checked per second;
- login: Argon2id verification (p50, p95), against a SHA-256 of the password.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.setup import initialise
from itinera.storage.database import Database

ACTOR = Actor("bench", frozenset({Role.CASEWORKER}), user_id=1, organisation_id=1)


def timed(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def bench_cipher() -> None:
    cipher, value = FieldCipher([generate_key()]), "Amina Testperson-0001"
    n = 20_000
    plain = timed(lambda: str(value + "").encode().decode(), n)
    sealed = timed(
        lambda: cipher.decrypt(
            cipher.encrypt(value, context="cases.given_name:1"), context="cases.given_name:1"
        ),
        n,
    )
    index = timed(lambda: cipher.blind_index(value, context="cases.name"), n)
    print(
        f"field encrypt+decrypt: {sealed * 1e6:.1f} µs (baseline copy {plain * 1e6:.2f} µs); "
        f"blind index {index * 1e6:.1f} µs"
    )


def _repeat(fn: Callable[[bool], None], flag: bool, times: int) -> None:
    for _ in range(times):
        fn(flag)


def bench_audit(db: Database, label: str, n: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bench (id INTEGER, note TEXT)"))

    def write(with_audit: bool) -> None:
        with db.transaction() as session:
            session.execute(text("INSERT INTO bench (id, note) VALUES (1, 'x')"))
            if with_audit:
                audit.record(
                    session,
                    ACTOR,
                    action="case.edit",
                    entity="case",
                    entity_id="1",
                    purpose="casework",
                    origin="web:127.0.0.1",
                    detail={"fields": ["given_name"]},
                )

    for threads in (1, 8):
        rates = {}
        for with_audit in (False, True):
            per_thread = n // threads
            start = time.perf_counter()
            workers = [
                threading.Thread(target=_repeat, args=(write, with_audit, per_thread))
                for _ in range(threads)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            rates[with_audit] = per_thread * threads / (time.perf_counter() - start)
        print(
            f"{label} {threads} thread(s): {rates[False]:.0f} tx/s without audit, "
            f"{rates[True]:.0f} tx/s with audit (ratio {rates[False] / rates[True]:.2f}x)"
        )


def bench_verify(db: Database, label: str, entries: int) -> None:
    have = audit.verify(db).checked
    with db.transaction() as session:
        for i in range(max(0, entries - have)):
            audit.record(
                session,
                ACTOR,
                action="case.view",
                entity="case",
                entity_id=str(i),
                purpose="casework",
            )
    start = time.perf_counter()
    result = audit.verify(db)
    seconds = time.perf_counter() - start
    print(
        f"{label} verify: {result.checked} entries in {seconds:.2f} s "
        f"({result.checked / seconds:.0f}/s), ok={result.ok}"
    )


def bench_login(db: Database) -> None:
    from itinera.domain.access import SYSTEM

    accounts.create_organisation(db, SYSTEM, "Bench")
    accounts.create_user(db, SYSTEM, "bench-user", "Bench", "caseworker", "a long pass phrase")
    times = []
    for _ in range(20):
        start = time.perf_counter()
        accounts.authenticate(db, "bench-user", "a long pass phrase")
        times.append(time.perf_counter() - start)
    baseline = timed(lambda: hashlib.sha256(b"a long pass phrase").hexdigest(), 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"login (Argon2id + session + audit): p50 {statistics.median(times) * 1e3:.0f} ms, "
        f"p95 {p95 * 1e3:.0f} ms (baseline sha256 {baseline * 1e6:.1f} µs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL SQLAlchemy URL (empty database)")
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--transactions", type=int, default=2_000)
    args = parser.parse_args()
    bench_cipher()
    with tempfile.TemporaryDirectory() as tmp:
        urls = [("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if args.postgres:
            urls.append(("postgresql", args.postgres))
        for label, url in urls:
            db = Database(url)
            initialise(Settings(database_url=url, environment="test"), database=db)
            bench_audit(db, label, args.transactions)
            bench_verify(db, label, args.entries)
            if label == "sqlite":
                bench_login(db)
            db.dispose()


if __name__ == "__main__":
    main()
