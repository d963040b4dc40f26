"""A mapping named in a request is looked up by name, never opened as a path (issue 10, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from itinera.storage.database import Database

from .conftest import IFR_POLAND

PACKAGED = (
    Path(__file__).resolve().parents[3]
    / "src/itinera/reference/data/service_mapping_ifr_poland_2022.yaml"
)


def _import(client: TestClient, mapping: str) -> dict[str, object]:
    answer = client.post(
        "/api/services/import?wait=true",
        files={"file": ("list.csv", b"name,lat,lon\nA,1,2\n", "text/csv")},
        data={"format": "table", "mapping": mapping, "dry_run": "true"},
    )
    assert answer.status_code == 422, answer.text
    return dict(answer.json()["error"])


@pytest.mark.parametrize("kind", ["passwd", "database", "relative", "packaged-file"])
def test_a_path_in_the_mapping_field_is_refused_unread(
    coordinator_client: TestClient, sqlite_db: Database, kind: str, tmp_path: Path
) -> None:
    database_file = sqlite_db.url.removeprefix("sqlite:///")
    before = Path(database_file).stat().st_mtime_ns
    path = {
        "passwd": "/etc/passwd",
        "database": database_file,
        "relative": "../../../../etc/passwd",
        "packaged-file": str(PACKAGED),  # a real, valid mapping file: still not opened
    }[kind]
    error = _import(coordinator_client, path)
    assert error["code"] == "validation_error"
    assert "mapping name is lower-case letters" in str(error["message"])
    assert "root" not in json.dumps(error)  # nothing of the file reaches the answer
    assert Path(database_file).stat().st_mtime_ns == before


def test_a_mapping_by_name_or_as_a_document_still_works(coordinator_client: TestClient) -> None:
    content = IFR_POLAND.read_bytes()
    by_name = coordinator_client.post(
        "/api/services/import?wait=true",
        files={"file": ("spots.csv", content, "text/csv")},
        data={"format": "table", "mapping": "ifr-poland-2022", "dry_run": "true"},
    )
    assert by_name.status_code == 200, by_name.text
    document = json.dumps(yaml.safe_load(PACKAGED.read_text("utf-8")))
    as_json = coordinator_client.post(
        "/api/services/import?wait=true",
        files={"file": ("spots.csv", content, "text/csv")},
        data={"format": "table", "mapping": document, "dry_run": "true"},
    )
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["rows_read"] == by_name.json()["rows_read"] > 0
