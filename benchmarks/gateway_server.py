"""The server side of ``gateway_load.py``: the app under uvicorn in a child process.

The child is started as ``gateway_load.py --serve URL --port N``; it publishes one article,
lifts the per-address submission limit (one loopback address stands for many people) and
serves the app as ``itinera serve`` does (``bootstrap.build_server_app``: start-up's objects
frozen out of the garbage collector, decision 0037), or with the collector as Python leaves it
(``--collector default``, the comparison of the same run). ``--stages PATH`` writes the
server's own timings there at shutdown (``gateway_stages.py``).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

__all__ = ["bench_app", "http_stack", "serve", "server_cpu", "start"]

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
SCRIPT = Path(__file__).with_name("gateway_load.py")


def serve(url: str, port: int, key: str, workers: int, collector: str, stages: str) -> None:
    """The child process: the app on ``port`` with one published article."""
    import uvicorn

    from itinera.bootstrap import build_app, build_server_app
    from itinera.config import Settings
    from itinera.domain.access import SYSTEM
    from itinera.services.gateway import articles
    from itinera.services.setup import initialise
    from itinera.storage.database import Database
    from itinera.web.login_limit import LoginRateLimiter

    unused = Path(tempfile.gettempdir()) / "bench-unused.key"
    settings = Settings(database_url=url, environment="test", field_key=key, key_file=unused)
    initialise(settings)
    db = Database(url)
    folder = Path(tempfile.mkdtemp())
    (folder / "asylum-in-tunisia.ar.md").write_text(ARTICLE.format(filler="نص " * 400), "utf-8")
    articles.import_articles(db, SYSTEM, folder)
    quiet = {"host": "127.0.0.1", "port": port, "log_level": "warning", "access_log": False}
    if workers > 1:  # each process builds its app from the environment (itinera serve's way)
        db.dispose()
        os.environ["ITINERA_BENCH_URL"] = url
        uvicorn.run("gateway_server:bench_app", factory=True, workers=workers, **quiet)
        return
    build = build_app if collector == "default" else build_server_app
    app: Any = build(settings, database=db)
    app.state.gateway_submissions = LoginRateLimiter(0, 1.0)  # 0: no per-address limit
    if stages:
        from gateway_stages import install

        app = install(app, Path(stages))
    uvicorn.run(app, **quiet)


def bench_app() -> Any:
    """The app of one worker process (``--workers`` above 1, PostgreSQL only)."""
    from itinera.bootstrap import build_server_app
    from itinera.config import Settings
    from itinera.web.login_limit import LoginRateLimiter

    unused = Path(tempfile.gettempdir()) / "bench-unused.key"
    key = os.environ["ITINERA_BENCH_FIELD_KEY"]
    url = os.environ["ITINERA_BENCH_URL"]
    settings = Settings(database_url=url, environment="test", field_key=key, key_file=unused)
    app = build_server_app(settings)
    app.state.gateway_submissions = LoginRateLimiter(0, 1.0)
    return app


def http_stack() -> str:
    """What uvicorn will use here: httptools and uvloop when installed, else h11 and asyncio."""
    import uvicorn

    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"uvicorn {uvicorn.__version__} with {parser} and {loop}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    url: str, key: str, workers: int = 1, collector: str = "settled", stages: str = ""
) -> tuple[subprocess.Popen[bytes], str]:
    """A server child on a free port, once it answers ``/api/health``."""
    port = _free_port()
    command = [sys.executable, str(SCRIPT), "--serve", url, "--port", str(port)]
    command += ["--workers", str(workers), "--collector", collector, "--stages", stages]
    child = subprocess.Popen(command, env={**os.environ, "ITINERA_BENCH_FIELD_KEY": key})
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return child, base
        except httpx.HTTPError:
            time.sleep(0.2)
    child.kill()
    raise RuntimeError("the server did not start")


def server_cpu(pid: int) -> float:
    """CPU seconds of the server: its process and its worker processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's id
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total
