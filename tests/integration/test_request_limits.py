"""Request bodies are bounded per route before they are read (issue 10, items 8 and 14)."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.storage.database import Database

MIB = 1 << 20


def _call(app: FastAPI, path: str, chunks: int, declared: bool) -> tuple[int, dict[str, Any], int]:
    """POST ``chunks`` MiB to ``path`` straight through ASGI; (status, body, chunks read)."""
    read = 0
    sent: list[dict[str, Any]] = []
    headers = [(b"content-type", b"application/json")]
    if declared:
        headers.append((b"content-length", str(chunks * MIB).encode()))

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        more = read < chunks
        return {"type": "http.request", "body": b" " * MIB, "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    # a thread of its own: a browser test run before in this worker may leave a running loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), read


def test_an_80_mb_login_body_is_refused_413_unread(sqlite_db: Database) -> None:
    app = build_app(Settings(database_url=sqlite_db.url, environment="test"), database=sqlite_db)
    status, body, read = _call(app, "/api/auth/login", 80, declared=True)
    assert (status, body["error"]["code"], read) == (413, "payload_too_large", 0)
    # Without a Content-Length (chunked), reading stops at the limit, not at 80 MB.
    status, body, read = _call(app, "/api/auth/login", 80, declared=False)
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    assert read <= 2


def test_upload_routes_take_large_bodies_up_to_their_own_limit(sqlite_db: Database) -> None:
    settings = Settings(database_url=sqlite_db.url, environment="test", max_upload_bytes=4 * MIB)
    app = build_app(settings, database=sqlite_db)
    status, _, read = _call(app, "/api/imports", 3, declared=True)
    assert status != 413  # within the upload limit (then refused for other reasons)
    status, body, read = _call(app, "/api/imports", 6, declared=True)
    assert (status, body["error"]["code"], read) == (413, "payload_too_large", 0)


def test_a_dotdot_upload_name_and_a_huge_csv_field_are_clear_refusals(client: TestClient) -> None:
    for name in ("..", "../..", "/", ""):
        answer = client.post(
            "/api/imports?wait=true",
            files={"file": (name, b"Date,Dead\n#date,#affected+dead\n2023-05,1\n", "text/csv")},
            data={"reader": "hxl", "source": "dots"},
        )
        assert answer.status_code < 500, (name, answer.text)
    field = b'id,name\n1,"' + b"a" * (MIB + 10) + b'"\n'
    for reader in ("hxl", "missing-migrants"):
        answer = client.post(
            "/api/imports?wait=true",
            files={"file": ("big-field.csv", field, "text/csv")},
            data={"reader": reader, "source": "big"},
        )
        assert answer.status_code < 500, (reader, answer.text)
        assert "field larger than" in answer.text, answer.text
