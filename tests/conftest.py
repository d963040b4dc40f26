"""Shared pytest fixtures for Itinera's unit, integration and end-to-end tests.

Environment (set by ``scripts/test``):

- ``ITINERA_TEST_POSTGRES_URL``: SQLAlchemy URL of a throw-away PostgreSQL server
  (``postgresql+psycopg://postgres@127.0.0.1:54329/itinera_test``).
- ``ITINERA_TEST_CHROMIUM``: Chromium executable for Playwright (default ``/usr/bin/chromium``).
- ``CI``: when set, a missing PostgreSQL server, Chromium or ``../shared/data`` fails the
  tests instead of skipping them.

Marker ``shared_data``: the test reads the publishers' original files in ``../shared/data``
(beside the checkout; :data:`SHARED_DATA`). A clone without that folder skips it with the reason;
CI, which has the folder, runs it. Everything else, ``itinera init --demo`` included, needs only
the demo bundle in the repository.

Fixtures:

- ``postgres_url`` (session): the server URL above.
- ``database_url``: a fresh, empty database per test, once on SQLite and once on PostgreSQL
  (test ids ``[sqlite]`` / ``[postgresql]``; the PostgreSQL case carries the ``postgres`` mark).
- ``chromium_path`` (session), ``browser`` (session), ``page`` (fresh context per test).
- ``live_server``: a factory; ``live_server(database_url)`` initialises that database with
  ``itinera.services.setup.initialise`` and serves ``itinera.web.app.create_app`` with uvicorn
  on 127.0.0.1 at a free port in a background thread, returning the base URL
  (``http://127.0.0.1:PORT``). Servers stop when the test ends.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import pytest

if TYPE_CHECKING:
    import uvicorn
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SERVER_START_TIMEOUT = 30.0
SERVER_STOP_TIMEOUT = 10.0


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> NoReturn:
    """Skip locally, fail under CI: CI must run every test."""
    if _in_ci():
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shared_data") and not SHARED_DATA.is_dir():
        _unavailable(
            f"needs the publishers' original files in {SHARED_DATA} (../shared/data beside "
            "the checkout), which this clone does not have"
        )


# --- databases -------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _capabilities_registered() -> None:
    """What ``bootstrap`` does at start-up: readers, demo loaders, retention policies, columns."""
    from itinera.bootstrap import register_capabilities

    register_capabilities()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("ITINERA_TEST_POSTGRES_URL", "").strip()
    if not url:
        _unavailable("ITINERA_TEST_POSTGRES_URL is not set (scripts/test starts a server)")
    return url


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test; yields its SQLAlchemy URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'itinera.sqlite3'}"
        return

    from tests.postgres_database import throwaway_database

    server_url: str = request.getfixturevalue("postgres_url")
    with throwaway_database(server_url, "itinera_t") as url:
        yield url


# --- browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("ITINERA_TEST_CHROMIUM", "").strip() or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(f"Chromium not found at {path} (run scripts/install-system-packages)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


# --- live server -----------------------------------------------------------------------


class LiveServer(Protocol):
    """``live_server(database_url, **settings)`` -> base URL such as ``http://127.0.0.1:PORT``."""

    def __call__(self, database_url: str, /, **settings: Any) -> str: ...


class _ServerThread:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))  # the kernel picks a free port: no races
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_config=None,  # leave logging to pytest
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        self._server: uvicorn.Server = uvicorn.Server(config)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"live-server-{self.port}", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # reported by start()/stop() in the test's thread
            self._error = exc

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive():
                self._socket.close()
                raise RuntimeError(f"live server failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"live server did not start within {SERVER_START_TIMEOUT}s")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(SERVER_STOP_TIMEOUT)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(SERVER_STOP_TIMEOUT)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError("live server did not stop")
        if self._error is not None:
            raise RuntimeError(f"live server crashed: {self._error!r}") from self._error


@pytest.fixture
def live_server() -> Iterator[LiveServer]:
    servers: list[_ServerThread] = []

    def start(database_url: str, /, **settings: Any) -> str:
        # Imported here so that collection works while these modules are being written.
        from itinera.bootstrap import build_app
        from itinera.config import Settings
        from itinera.services.setup import initialise

        config = Settings(database_url=database_url, environment="test", **settings)
        initialise(config)
        server = _ServerThread(build_app(config))
        server.start()
        servers.append(server)
        return server.url

    yield start

    errors: list[BaseException] = []
    for server in reversed(servers):
        try:
            server.stop()
        except BaseException as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
