"""A serving process leaves start-up's objects out of the garbage collector (decision 0037):
``itinera serve`` builds its app with ``bootstrap.build_server_app``, which freezes what
start-up left and raises the youngest generation's threshold; building an app for a test
changes neither."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_app, build_cli
from itinera.config import Settings
from itinera.web.collector import SERVING_THRESHOLDS, settle_after_start_up


class _Node:
    me: _Node | None = None


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """The test process's collector as it was (nothing left frozen, Python's thresholds)."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("collector_restored")
def test_settling_freezes_what_lives_and_still_collects_new_cycles() -> None:
    survivor = [object() for _ in range(100)]
    settle_after_start_up()
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == SERVING_THRESHOLDS
    # a cycle made after start-up is still found and freed
    node = _Node()
    node.me = node
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


@pytest.mark.usefixtures("collector_restored")
def test_itinera_serve_serves_the_settled_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'test.db'}", environment="test")
    build_app(settings)  # a test's app: the collector left alone
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() != SERVING_THRESHOLDS
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    result = CliRunner(mix_stderr=False).invoke(build_cli(), ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.stderr
    assert len(served) == 1 and served[0].title == "Itinera"
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold() == SERVING_THRESHOLDS
