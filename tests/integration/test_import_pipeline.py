"""The one import pipeline seen from outside, for both kinds that use it today (movement data
and service lists): the same issues-CSV columns from the API and from both import pages, and
the same strict-refusal output from both ``import`` commands (errors first, then a count of
warnings)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.storage.database import Database

COLUMNS = ["file", "row", "column", "tag", "value", "severity", "message", "suggestion"]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CSV_LINK = re.compile(r'id="issues-csv" href="([^"]+)"')
MOVEMENTS = (
    "Date,Route,Country,Place,Dead\n"
    "#date,#region+route,#country+code,#loc+name,#affected+dead\n"
    "2023-05,Central Mediterranean Route,ITA,Almería,12\n"
    "2023-07,Central Mediterranean Route,LBY,Zuwara,-1\n"
).encode("latin-1")  # read as Latin-1: a warning before the error of the last row
SERVICES = (
    "Org,Sector,Lat,Lon,Place\n#org,#sector,#geo+lat,#geo+lon,#loc+name\n"
    + "".join(f"UNHCR,Coordination,13.5,2.{n:02d},Niamey\n" for n in range(25))  # 25 warnings
    + "IRC,Hairdressing,13.5,2.1,Niamey\n"  # unknown sector: the error
)


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def _upload(client: TestClient, page: str, name: str, data: bytes, **form: str) -> str:
    token = TOKEN.search(client.get(f"{page}?lang=en").text)
    assert token is not None
    answer = client.post(
        f"{page}?lang=en",
        files={"file": (name, data, "text/csv")},
        data={"csrf_token": token.group(1), **form},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def _data_link(html: str) -> str:
    link = CSV_LINK.search(html)
    assert link is not None and link.group(1).startswith("data:text/csv;charset=utf-8,")
    return unquote(link.group(1).split(",", 1)[1])


def test_every_issues_csv_has_the_same_columns(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    client = anonymous_client
    login(client, *make_user(sqlite_db, "analyst"))
    dry = _upload(client, "/imports", "m.csv", MOVEMENTS, reader="hxl", dry_run="on")
    from_page = _rows(_data_link(dry))
    batch_page = _upload(client, "/imports", "m.csv", MOVEMENTS, reader="hxl")  # redirected
    api_link = CSV_LINK.search(batch_page)
    assert api_link is not None and api_link.group(1).startswith("/api/imports/")
    from_api = _rows(client.get(api_link.group(1)).text)
    assert from_page == from_api
    assert [(r["file"], r["row"], r["column"], r["severity"]) for r in from_api] == [
        ("m.csv", "", "", "warning"),
        ("m.csv", "4", "dead", "error"),
    ]

    login(client, *make_user(sqlite_db, "coordinator"))
    html = _upload(client, "/services/import", "s.csv", SERVICES.encode(), format="hxl")
    services = _rows(_data_link(html))
    assert len(services) == 26 and {r["file"] for r in services} == {"s.csv"}
    assert ("28", "Sector", "Hairdressing", "error") in {
        (r["row"], r["column"], r["value"], r["severity"]) for r in services
    }


@pytest.fixture
def itinera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    runner, app = CliRunner(mix_stderr=False), build_cli()
    assert runner.invoke(app, ["init"]).exit_code == 0
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_a_strict_refusal_prints_the_errors_first_for_both_kinds(
    itinera: Callable[..., object], tmp_path: Path
) -> None:
    movements, services = tmp_path / "m.csv", tmp_path / "s.csv"
    movements.write_bytes(MOVEMENTS)
    services.write_text(SERVICES, "utf-8")

    refused = itinera("import", "hxl", movements, "--strict")
    assert refused.exit_code == 1  # type: ignore[attr-defined]
    assert refused.stdout.startswith("rejected: rejected under --strict: 1 error(s)")  # type: ignore[attr-defined]
    lines = refused.stderr.splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("error: m.csv, row 4, column 'dead', value '-1': ")
    assert lines[1:] == ["and 1 warning(s) (--json lists them)"]

    refused = itinera("services", "import", services, "--strict")
    assert refused.exit_code == 1  # type: ignore[attr-defined]
    lines = refused.stdout.splitlines()  # type: ignore[attr-defined]
    issues = [line.strip() for line in lines if line.startswith("  ") and "sector" not in line[:30]]
    assert issues[0].startswith("error: s.csv, row 28, column 'Sector', value 'Hairdressing'")
    assert issues[1:] == ["and 25 warning(s) (--json lists them)"]
    assert "nothing stored" in lines[-1]
