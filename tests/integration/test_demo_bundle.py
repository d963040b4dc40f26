"""The demo bundle in the package: within 5 MB, every file attributed, loaded by
``itinera init --demo`` with no ../shared/data, twice without change, and regenerated from the
publishers' files byte for byte (where those files are present)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_app, build_cli
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.services.demo_build import build_bundle, bundle_size
from itinera.services.demo_manifest import MANIFEST, MAX_BUNDLE_BYTES, read_manifest
from itinera.storage.database import Database
from itinera.web.deps import current_actor

BUNDLE = Path(__file__).resolve().parents[2] / "src" / "itinera" / "demo" / "bundle"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
ANALYST = Actor("test-analyst", frozenset({Role.ANALYST}))


def test_the_packaged_bundle_is_the_default() -> None:
    assert Settings().demo_bundle_dir.resolve() == BUNDLE.resolve()


def test_bundle_fits_the_size_limit() -> None:
    size = bundle_size(BUNDLE)
    assert 100_000 < size <= MAX_BUNDLE_BYTES == 5 * 1024 * 1024


def test_manifest_names_publisher_licence_and_retrieval_date_of_every_file() -> None:
    files = read_manifest(BUNDLE)
    on_disk = {
        p.relative_to(BUNDLE).as_posix()
        for p in BUNDLE.rglob("*")
        if p.is_file() and p.name not in (MANIFEST, "README.md")
    }
    assert {f.path for f in files} == on_disk
    for entry in files:
        origin = entry.origin
        assert origin.publisher.strip() and origin.licence.strip() and origin.location.strip()
        assert date.fromisoformat(origin.retrieved) <= date.today()
        data = (BUNDLE / entry.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256 and len(data) == entry.bytes
        assert sum(entry.records.values()) > 0
    readme = (BUNDLE / "README.md").read_text("utf-8")
    for entry in files:  # the README repeats the attribution for a human reader
        assert entry.path in readme and entry.origin.licence in readme
    assert "itinera demo build" in readme


@pytest.fixture
def no_shared_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    """A clone without ../shared/data: the data folder setting points at an empty folder."""
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    monkeypatch.setenv("ITINERA_DEMO_DATA_DIR", str(empty))
    monkeypatch.delenv("ITINERA_DEMO_BUNDLE_DIR", raising=False)
    monkeypatch.setenv("ITINERA_DATABASE_URL", database_url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    monkeypatch.setenv("ITINERA_KEY_FILE", str(tmp_path / "field.key"))
    return database_url


@pytest.fixture
def analyst(no_shared_data: str) -> Iterator[TestClient]:
    db = Database(no_shared_data)
    with TestClient(build_app(Settings(), database=db)) as client:
        client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
        yield client
    db.dispose()


def _init_demo() -> list[str]:
    result = CliRunner(mix_stderr=False).invoke(build_cli(), ["init", "--demo", "--json"])
    assert result.exit_code == 0, result.stderr
    return list(json.loads(result.stdout)["demo"])


def _placed(client: TestClient) -> Callable[[str, str], int]:
    def count(source: str, method: str) -> int:
        query = f"/api/observations?source={source}&route_method={method}&limit=1"
        return int(client.get(query).json()["total"])

    return count


def test_init_demo_loads_the_bundle_without_shared_data_and_twice_changes_nothing(
    no_shared_data: str, analyst: TestClient
) -> None:
    manifest = read_manifest(BUNDLE)
    first = _init_demo()
    assert not any("skipped" in line for line in first), first
    sources = {s["key"]: s for s in analyst.get("/api/sources").json()}
    for entry in manifest:
        if entry.capability == "movements":
            assert sources[entry.source]["current_observations"] >= entry.records["observations"]
    assert sources["frontex-ibc"]["current_observations"] == 172_284
    # issue 11: figures reloaded from the bundle keep how the import placed them on a route
    placed = _placed(analyst)
    assert placed("unhcr-med", "place-rule") > 0 and placed("unhcr-med", "publisher") == 0
    assert placed("iom-mmp", "coordinates") > 0 and placed("frontex-ibc", "alias") > 0
    cells = analyst.get("/api/incidents/points?from=2014-01&to=2025-04").json()["features"]
    assert len(cells) > 1000  # the map's clusters: incidents with coordinates
    services = analyst.get("/api/services").json()
    expected = sum(e.records["points"] for e in manifest if e.capability == "services")
    assert len(services) == expected > 800

    second = _init_demo()
    assert all(re.search(r"already imported| 0 points added, 0 updated", s) for s in second)
    again = {s["key"]: s["current_observations"] for s in analyst.get("/api/sources").json()}
    assert again == {key: s["current_observations"] for key, s in sources.items()}
    assert len(analyst.get("/api/services").json()) == expected


def test_pages_show_the_bundle(no_shared_data: str, analyst: TestClient) -> None:
    _init_demo()
    sources_page = analyst.get("/sources?lang=en").text
    for publisher in ("IOM Missing Migrants Project", "Frontex"):
        assert publisher in sources_page
    dashboard = analyst.get("/?lang=en")
    assert dashboard.status_code == 200
    route = analyst.get("/routes/central-mediterranean?lang=en")
    assert route.status_code == 200
    # issue 11, item 6: on the demo data the reconciliation lists real differences, each with
    # both publishers' figures, and the sources page shows them.
    related = {c["id"]: c for c in analyst.get("/api/reconciliation").json()["related"]}
    sea = related["sea-arrivals-vs-sea-detections"]
    assert sea["left"]["source"] == "unhcr-med" and sea["right"]["source"] == "frontex-ibc"
    assert sea["differences"] and all(d["left"] != d["right"] for d in sea["differences"])
    assert 'data-comparison="sea-arrivals-vs-sea-detections"' in sources_page


@pytest.mark.shared_data
def test_the_committed_bundle_is_what_the_build_writes(tmp_path: Path) -> None:
    rebuilt = build_bundle(SHARED, tmp_path / "bundle")
    committed = {f.path: f.sha256 for f in read_manifest(BUNDLE)}
    assert {f.path: f.sha256 for f in rebuilt} == committed
    assert (tmp_path / "bundle" / MANIFEST).read_bytes() == (BUNDLE / MANIFEST).read_bytes()
