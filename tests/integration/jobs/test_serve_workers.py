"""``itinera serve --workers N`` (issue 10, "several workers"): refused on SQLite; on
PostgreSQL N processes answer, a job submitted to one is followed from any, and the login
limiter, counted per process, refuses a guesser within N times its limit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.storage.database import Database

WORKERS = 2
MAX_FAILURES = 3  # per address and account, in each process


def test_several_workers_are_refused_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    result = CliRunner(mix_stderr=False).invoke(build_cli(), ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.stderr and "one process" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.fixture
def server(module_database_url: str, tmp_path: Path) -> Iterator[str]:
    if module_database_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL")
    port = _free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "ITINERA_DATABASE_URL": module_database_url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_JOBS_DIR": str(tmp_path / "jobs"),
        "ITINERA_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
    }
    command = "from itinera.bootstrap import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--workers", str(WORKERS), "--port", str(port)],
        env=environment,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None and time.monotonic() < deadline
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
        assert len(_children(process.pid)) >= WORKERS
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def test_workers_share_jobs_and_bound_the_login_guesser(
    server: str, module_database_url: str, make_user: Callable[..., tuple[str, str]]
) -> None:
    db = Database(module_database_url)
    username, password = make_user(db, "analyst")
    db.dispose()
    statuses = []
    for _ in range(WORKERS * MAX_FAILURES + 1):
        with httpx.Client(base_url=server) as fresh:  # a new connection: any process
            answer = fresh.post("/api/auth/login", json={"username": username, "password": "x"})
            statuses.append(answer.status_code)
    # each process counts its own failures and the kernel spreads connections unevenly, so the
    # bound is on the total: at most N x the limit got through, the rest were refused
    assert statuses.count(401) <= WORKERS * MAX_FAILURES, statuses
    assert 429 in statuses, statuses
    assert set(statuses[:MAX_FAILURES]) == {401}
    with httpx.Client(base_url=server, timeout=30) as client:
        token = client.post(
            "/api/auth/login",
            json={"username": username, "password": password},
            headers={"X-Forwarded-For": "192.0.2.7"},
        )
        if token.status_code == 429:  # the same address as the guesser: another one
            pytest.fail("the victim's own login should not share the guesser's limit")
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        data = b"Date,Route,Country,Dead\n#date,#region+route,#country+code,#affected+dead\n"
        queued = client.post(
            "/api/imports",
            files={"file": ("w.csv", data + b"2023-05,Central Mediterranean Route,ITA,3\n")},
            data={"reader": "hxl", "source": "workers"},
            headers=headers,
        )
        assert queued.status_code == 202, queued.text
        deadline = time.monotonic() + 60
        while (job := client.get(queued.headers["location"], headers=headers).json())["status"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert job["status"] == "done" and job["result"]["report"]["observations"] == 1, job
