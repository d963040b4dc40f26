"""Several server processes on PostgreSQL (issue 10, "several workers"): the same mixed load
against ``itinera serve --workers 1`` and ``--workers 4``, and no acknowledged write lost.

Each run starts the server as its own command, then a load generator in another process
(httpx, ``--clients`` threads for ``--seconds``) sends a mix: per client, a casework write
(``POST /api/cases``, as a logged-in caseworker) then three public reads (the home page, the
route list, one route). Reported: requests per second (the harness's figure, higher is
better), and after each run the ``cases`` rows counted in the database against the writes the
server acknowledged (201). Not in CI.

    ITINERA_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:55410/itinera_test \\
        .venv/bin/python benchmarks/bench_workers.py [--seconds 10] [--clients 16] [--rounds 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import psycopg
from argon2 import PasswordHasher
from psycopg import sql
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Report, alternate

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.engines.crypto import generate_key
from itinera.services.accounts import users as accounts
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
    "consent": {
        "purposes": ["registration"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}
PASSWORD = "benchmark pass phrase"
GENERATE = [sys.executable]
SERVE = [sys.executable, "-c", "from itinera.bootstrap import main; main()", "serve"]
READS = ("/?lang=en", "/api/routes", "/api/routes/central-mediterranean")


def generate(base: str, clients: int, seconds: float) -> dict[str, float]:
    """The load generator (run in its own process): every client logs in, then all send their
    loops for ``seconds``; counts of answers by kind and the seconds actually taken."""
    counts = {"requests": 0, "writes_acknowledged": 0, "errors": 0}
    lock = threading.Lock()
    ready, go = threading.Barrier(clients + 1), threading.Barrier(clients + 1)
    deadline: list[float] = []  # set once every client has logged in

    def client(number: int) -> None:
        mine = {"requests": 0, "writes_acknowledged": 0, "errors": 0}
        with httpx.Client(base_url=base, timeout=60) as http:
            login = {"username": f"cw{number}", "password": PASSWORD}
            token = http.post("/api/auth/login", json=login).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            ready.wait()
            go.wait()
            while time.monotonic() < deadline[0]:
                answer = http.post("/api/cases", json=CASE, headers=headers)
                mine["writes_acknowledged"] += answer.status_code == 201
                mine["errors"] += answer.status_code >= 400
                for path in READS:
                    mine["errors"] += http.get(path).status_code >= 400
                mine["requests"] += 1 + len(READS)
        with lock:
            for key, value in mine.items():
                counts[key] += value

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    deadline.append(started + seconds)
    go.wait()
    for thread in threads:
        thread.join()
    return {**counts, "seconds": time.monotonic() - started}


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served(NamedTuple):
    base: str  # http://127.0.0.1:port
    pid: int  # the server process (the group leader)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(command: list[str], env: dict[str, str], workers: int = 1) -> Iterator[Served]:
    """``command --workers N --port P`` (an ``itinera serve``) in its own process group,
    answering on /api/health; stopped (SIGTERM to the group) on leaving."""
    port = _port()
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [*command, "--workers", str(workers), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        try:
            base = _healthy(server, port, errors)
            yield Served(base, server.pid)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(30)


def _healthy(server: subprocess.Popen[bytes], port: int, errors: Any) -> str:
    base = f"http://127.0.0.1:{port}"
    while True:
        if server.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"the server stopped: {errors.read()[-2000:].decode()}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return base
        except httpx.HTTPError:
            time.sleep(0.2)


def _run(url: str, env: dict[str, str], workers: int, clients: int, seconds: float) -> Any:
    before = _cases(url)
    with serving(SERVE, env, workers) as served:
        base = served.base
        script = Path(__file__).resolve()
        load = subprocess.run(
            [*GENERATE, str(script), "--generate", base, *_load_options(clients, seconds)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        counts = json.loads(load.stdout.strip().splitlines()[-1])
        if not counts["requests"]:
            raise RuntimeError(f"the load generator sent nothing: {load.stderr[-2000:]}")
    stored = _cases(url) - before
    lost = counts["writes_acknowledged"] - stored
    print(f"  {workers} worker(s): {counts}, cases stored {stored}", flush=True)
    return counts["requests"] / counts["seconds"], {"lost": lost}


def _load_options(clients: int, seconds: float) -> list[str]:
    return ["--clients", str(clients), "--seconds", str(seconds)]


def _cases(url: str) -> int:
    with psycopg.connect(libpq(url)) as conn:
        return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])  # type: ignore[index]


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _database(server_url: str, clients: int) -> tuple[str, str]:
    """A new database with the catalogue and ``clients`` caseworkers; (url, admin url)."""
    name = f"itinera_workers_{secrets.token_hex(4)}"
    admin = libpq(server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(server_url).set(database=name).render_as_string(False)
    initialise(Settings(database_url=url, environment="test"))
    accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # setup only
    db = Database(url)
    accounts.create_organisation(db, SYSTEM, "Reception", "ngo")
    for number in range(clients):
        accounts.create_user(db, SYSTEM, f"cw{number}", "Reception", "caseworker", PASSWORD)
    db.dispose()
    return url, admin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate, args.clients, args.seconds)))
        return
    server_url = os.environ["ITINERA_BENCH_POSTGRES_URL"]
    url, admin = _database(server_url, args.clients)
    env = {
        **os.environ,
        "ITINERA_DATABASE_URL": url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_FIELD_KEY": base64.b64encode(generate_key()).decode(),
        "ITINERA_KEY_FILE": str(Path(tempfile.gettempdir()) / "bench-workers-unused.key"),
        "ITINERA_LOGIN_ADDRESS_MAX_FAILURES": "0",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    many = f"{args.workers} workers"

    def timed(run: Any) -> tuple[float, Any]:
        return run()  # type: ignore[no-any-return]

    try:
        rounds = alternate(
            {
                "1 worker": lambda: _run(url, env, 1, args.clients, args.seconds),
                many: lambda: _run(url, env, args.workers, args.clients, args.seconds),
            },
            rounds=args.rounds,
            same=lambda a, b: a == b == {"lost": 0},
            timer=timed,
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            name = sql.Identifier(str(make_url(url).database))
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    report = Report(
        "Several workers on PostgreSQL (casework writes and public pages)",
        "ITINERA_BENCH_POSTGRES_URL=… python benchmarks/bench_workers.py "
        + " ".join(_load_options(args.clients, args.seconds))
        + f" --rounds {args.rounds} --workers {args.workers}",
    )
    report.text(
        f"Each run: `itinera serve --workers N` on a fresh port, then a load generator in its own "
        f"process ({args.clients} clients, {args.seconds:g} s): per loop one `POST /api/cases` "
        f"as a caseworker and three public reads (home page, route list, one route). "
        f"Figures are requests per second (higher is better). After every run the `cases` rows "
        f"are counted in the database: every write answered 201 is there (the runs agree only "
        f"when nothing was lost). {os.cpu_count()} cores shared with the "
        f"load generator and with other users of the machine."
    )
    report.table(rounds, unit="requests/s")
    report.text(
        "Several processes only help with free cores (one per process): on a small or loaded "
        "machine they add context switches; rerun on the deployment host before sizing "
        "`ITINERA_WORKERS`."
    )
    report.goal(
        f"{many} serve more requests per second than 1 (median ratio)",
        rounds.ratio(many, "1 worker"),
        ">=",
        1.1,
        "×",
    )
    report.goal("acknowledged writes lost", 0.0, "<=", 0.0)
    report.finish()


if __name__ == "__main__":
    main()
