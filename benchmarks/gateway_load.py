"""The Digital Gateway under load (C9): 200 concurrent clients on the public article page and
the intake endpoint, compared in the same run with the app's ``/api/health``.

For each database (SQLite file; PostgreSQL when ``ITINERA_BENCH_POSTGRES_URL`` names a server)
a uvicorn server on loopback serves the app with one published article. Three phases of
``--seconds`` each, the same ``--clients`` threads each time: ``/api/health``, the article page
``/help/ar/articles/…``, and ``POST /api/gateway/submissions``. The per-address submission
limit is lifted for the benchmark (one loopback address stands for many people). Reported:
requests per second of each phase, the article/health throughput ratio (goal ≥ 0.5), the p95
latency of intake (goal < 300 ms), and whether every 201 left exactly one stored submission.

    .venv/bin/python benchmarks/gateway_load.py [--clients 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.engines.crypto import generate_key
from itinera.services.gateway import articles
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.web.login_limit import LoginRateLimiter

ARTICLE = """---
slug: asylum-in-tunisia
language: ar
title: طلب اللجوء في تونس
topic: asylum-procedure
country: TUN
status: published
last_reviewed: 2026-11-01
---
يمكنك تقديم طلب اللجوء لدى المفوضية في تونس العاصمة وصفاقس وجرجيس. {filler}
"""


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}"


def _phase(
    base: str, clients: int, seconds: float, call: Callable[[httpx.Client], int]
) -> tuple[float, list[float], int]:
    """(requests per second, latencies, successes) of ``clients`` threads for ``seconds``."""
    latencies: list[float] = []
    ok = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status = call(client)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    ok[0] += status < 300

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(client_loop)
    return len(latencies) / (time.perf_counter() - started), latencies, ok[0]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def _run(url: str, clients: int, seconds: float) -> dict[str, float]:
    key = base64.b64encode(generate_key()).decode()
    unused = Path(tempfile.gettempdir()) / "bench-unused.key"
    settings = Settings(database_url=url, environment="test", field_key=key, key_file=unused)
    initialise(settings)
    db = Database(url)
    folder = Path(tempfile.mkdtemp())
    (folder / "asylum-in-tunisia.ar.md").write_text(ARTICLE.format(filler="نص " * 400), "utf-8")
    articles.import_articles(db, SYSTEM, folder)
    app = build_app(settings, database=db)
    app.state.gateway_submissions = LoginRateLimiter(0, 1.0)  # 0: no per-address limit
    server, thread, base = _serve(app)
    try:
        health, _, _ = _phase(base, clients, seconds, lambda c: c.get("/api/health").status_code)
        page, _, _ = _phase(
            base,
            clients,
            seconds,
            lambda c: c.get("/help/ar/articles/asylum-in-tunisia").status_code,
        )
        body = {"kind": "question", "text": "سؤال للاختبار", "language": "ar"}
        intake, latencies, created = _phase(
            base,
            clients,
            seconds,
            lambda c: c.post("/api/gateway/submissions", json=body).status_code,
        )
    finally:
        server.should_exit = True
        thread.join()
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM gateway_submissions")).scalar()
    db.dispose()
    return {
        "health_rps": health,
        "article_rps": page,
        "ratio": page / health,
        "intake_rps": intake,
        "intake_p95_ms": _p95(latencies) * 1000,
        "created": created,
        "stored": float(stored or 0),
    }


def _postgres(server_url: str) -> tuple[str, Callable[[], None]]:
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"itinera_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    targets: list[tuple[str, str, Callable[[], None]]] = []
    folder = Path(tempfile.mkdtemp())
    targets.append(("sqlite", f"sqlite:///{folder / 'bench.db'}", lambda: None))
    if os.environ.get("ITINERA_BENCH_POSTGRES_URL"):
        url, drop = _postgres(os.environ["ITINERA_BENCH_POSTGRES_URL"])
        targets.append(("postgresql", url, drop))
    print(f"{args.clients} clients, {args.seconds:g} s per phase")
    print("database    health/s  article/s  ratio  intake/s  intake p95  stored/created")
    for name, url, cleanup in targets:
        try:
            r = _run(url, args.clients, args.seconds)
        finally:
            cleanup()
        print(
            f"{name:<10} {r['health_rps']:>8.0f} {r['article_rps']:>10.0f} {r['ratio']:>6.2f}"
            f" {r['intake_rps']:>9.0f} {r['intake_p95_ms']:>8.0f} ms"
            f"  {r['stored']:.0f}/{r['created']:.0f}"
        )


if __name__ == "__main__":
    main()
