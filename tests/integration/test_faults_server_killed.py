"""Fault injection: the server is killed (``kill -9``) while caseworkers register cases.

Every case the server acknowledged (201) is in the store after the kill; no case is stored
without its audit entry, and the audit chain verifies. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.setup import initialise
from itinera.storage.accounts.tables import audit_log
from itinera.storage.casework.tables import cases
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, key_file: Path, port: int) -> subprocess.Popen[bytes]:
    command = "from itinera.bootstrap import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={
            **os.environ,
            "ITINERA_DATABASE_URL": url,
            "ITINERA_ENVIRONMENT": "test",
            "ITINERA_KEY_FILE": str(key_file),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _register(base: str, token: str, acknowledged: list[str], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
        while not stop.is_set():
            try:
                answer = client.post("/api/cases", json=CASE)
            except httpx.TransportError:
                return  # the server is gone
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])


def test_nothing_acknowledged_is_lost_and_nothing_half_written(
    database_url: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "keys" / "field.key"
    settings = Settings(database_url=database_url, environment="test", key_file=key_file)
    initialise(settings)
    db = Database(database_url)
    accounts.create_organisation(db, SYSTEM, "Killed NGO", "ngo")
    password = "correct horse battery staple 42"
    accounts.create_user(db, SYSTEM, "killed-worker", "Killed NGO", "caseworker", password)
    db.dispose()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(database_url, key_file, port)
    try:
        _wait_until_up(base)
        login = {"username": "killed-worker", "password": password}
        token = httpx.post(f"{base}/api/auth/login", json=login, timeout=30).json()["token"]
        acknowledged: list[str] = []
        stop = threading.Event()
        workers = [
            threading.Thread(target=_register, args=(base, token, acknowledged, stop))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)  # mid-transaction: four writers in flight
        server.wait(10)
        stop.set()
        for worker in workers:
            worker.join(10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)

    assert len(acknowledged) >= 20
    db = Database(database_url)
    try:
        with db.transaction() as session:
            stored = set(session.execute(select(cases.c.id)).scalars())
            registered = session.execute(
                select(func.count())
                .select_from(audit_log)
                .where(audit_log.c.action == "case.register")
            ).scalar_one()
        assert set(acknowledged) <= stored  # nothing acknowledged is lost
        assert registered == len(stored)  # every stored case has its audit entry, and back
        assert len(stored) <= len(acknowledged) + 4  # at most the ones in flight
        assert audit.verify(db).ok
    finally:
        db.dispose()
