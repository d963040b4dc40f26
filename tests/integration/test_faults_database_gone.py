"""Fault injection: the database disappears under a running server, then comes back.

Every request meanwhile answers a clean 503 (JSON for the API with ``Retry-After``, a
translated page for browsers), never a traceback; the server serves again by itself once the
database is back. SQLite: the file is moved away (what a removed volume or a deleted file does
to new connections). PostgreSQL: the server is cut off by a TCP relay the test controls (the
test cannot stop a shared CI server).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.services.setup import initialise
from itinera.storage.database import Database, sqlite_file


class Relay:
    """A TCP relay to the database server that the test can cut and restore."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                _shut(end)

    def cut(self) -> None:
        self.open = False
        for end in list(self.sockets):
            _shut(end)
        self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _shut(end: socket.socket) -> None:
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RDWR)
    end.close()


@pytest.fixture
def outage(database_url: str, tmp_path: Path) -> Iterator[tuple[str, object]]:
    """(URL the server uses, a switch with ``cut()`` and ``restore()``)."""
    initialise(Settings(database_url=database_url, environment="test"))
    path = sqlite_file(database_url)
    if path is not None:
        aside = tmp_path / "moved-away.sqlite3"

        class FileSwitch:
            def cut(self) -> None:
                shutil.move(path, aside)

            def restore(self) -> None:
                for leftover in path.parent.glob(path.name + "*"):
                    leftover.unlink()  # what SQLite created in its place
                shutil.move(aside, path)

        yield database_url, FileSwitch()
        return
    url = make_url(database_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    try:
        yield url.set(host="127.0.0.1", port=relay.port).render_as_string(False), relay
    finally:
        relay.close()


def test_requests_answer_503_while_the_database_is_gone_then_recover(
    outage: tuple[str, object],
) -> None:
    url, switch = outage
    db = Database(url)
    settings = Settings(database_url=url, environment="test")
    with TestClient(build_app(settings, database=db), raise_server_exceptions=False) as client:
        assert client.get("/api/routes").status_code == 200
        db.dispose()  # the pool forgets its connections, as after a restart of the database
        switch.cut()  # type: ignore[attr-defined]

        api = client.get("/api/routes")
        assert api.status_code == 503
        assert api.headers["retry-after"] == "30"
        assert api.json()["error"]["code"] == "store_unavailable"
        assert "Traceback" not in api.text and "sqlalchemy" not in api.text.lower()

        page = client.get("/?lang=fr", headers={"accept": "text/html"})
        assert page.status_code == 503
        assert "Momentanément indisponible" in page.text
        assert "Traceback" not in page.text

        switch.restore()  # type: ignore[attr-defined]
        assert client.get("/api/routes").status_code == 200
    db.dispose()
