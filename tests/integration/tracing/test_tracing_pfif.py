"""PFIF 1.4 exchange on SQLite and PostgreSQL: the export validates against the RELAX NG
schema shipped in the package; an import adds persons and notes, recognises a file sent again,
reports a changed record as a conflict without overwriting anything, and refuses unsafe or
invalid XML with the line, never a value."""

from __future__ import annotations

import io
import json
import secrets
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.engines.crypto import load_cipher
from itinera.services.accounts import users as accounts
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.exchange import import_pfif
from itinera.services.tracing.pfif import export_pfif
from itinera.services.tracing.requests import get_request, list_requests
from itinera.storage.database import Database

from .conftest import new_user

etree = pytest.importorskip("lxml.etree", reason="PFIF validation needs lxml")

NS = "http://zesty.ca/pfif/1.4"


def _person(record_id: str, full: str, given: str, family: str, note: str = "") -> str:
    return (
        f"<pfif:person><pfif:person_record_id>{record_id}</pfif:person_record_id>"
        "<pfif:author_name>ICRC tracing desk</pfif:author_name>"
        "<pfif:author_email>desk@example.org</pfif:author_email>"
        "<pfif:source_date>2026-11-30T10:00:00Z</pfif:source_date>"
        f"<pfif:full_name>{full}</pfif:full_name><pfif:given_name>{given}</pfif:given_name>"
        f"<pfif:family_name>{family}</pfif:family_name>"
        "<pfif:alternate_names>Mohamed Abderrahmane\nMhamed Abd al-Rahman</pfif:alternate_names>"
        "<pfif:sex>male</pfif:sex><pfif:date_of_birth>1994</pfif:date_of_birth>"
        f"{note}</pfif:person>"
    )


def _note(record_id: str, status: str = "believed_alive") -> str:
    return (
        f"<pfif:note><pfif:note_record_id>{record_id}</pfif:note_record_id>"
        "<pfif:author_name>Field volunteer</pfif:author_name>"
        "<pfif:source_date>2026-11-30T11:00:00Z</pfif:source_date>"
        f"<pfif:status>{status}</pfif:status>"
        "<pfif:last_known_location>Agadez</pfif:last_known_location>"
        "<pfif:text>Seen at the bus station</pfif:text></pfif:note>"
    )


def _document(*records: str) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><pfif:pfif xmlns:pfif="{NS}">'
    return f"{head}{''.join(records)}</pfif:pfif>"


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "field.key"  # one key for the module's database


@pytest.fixture()
def tracing(tracing_database_url: str, key_file: Path) -> Tracing:
    settings = Settings(database_url=tracing_database_url, environment="test", key_file=key_file)
    return Tracing(Database(tracing_database_url), load_cipher(settings))


def test_import_adds_then_recognises_then_reports_conflicts(
    tracing: Tracing, tmp_path: Path
) -> None:
    team = accounts.authenticate(
        tracing.db, *new_user(tracing.db, "tracing", f"Links P {secrets.token_hex(3)}")
    ).actor
    domain = f"other-{secrets.token_hex(3)}.org"
    first = tmp_path / "first.xml"
    first.write_text(
        _document(
            _person(f"{domain}/p1", "محمد عبد الرحمن", "محمد", "عبد الرحمن", _note(f"{domain}/n1")),
            _note(f"{domain}/n2", "information_sought"),
            _person("itinera.local/T-1.1", "Local Person", "Local", "Person"),
        ),
        "utf-8",
    )
    report = import_pfif(tracing, team, first, domain="itinera.local")
    assert report.status.value == "imported", report.message
    assert report.counts == {"persons": 1, "notes": 2, "unchanged": 0, "conflicts": 1}
    assert [i.value for i in report.issues] == ["itinera.local/T-1.1"]  # own domain: kept
    assert "desk@example.org" not in json.dumps(report.as_dict())
    [request] = list_requests(tracing, team)
    stored = get_request(tracing, team, request.id)
    assert stored.sought[0].given_name == "محمد"
    assert stored.sought[0].other_spellings == ("Mohamed Abderrahmane", "Mhamed Abd al-Rahman")
    assert stored.sought[0].birth_year == 1994

    again = import_pfif(tracing, team, first, domain="itinera.local")
    assert again.counts == {"persons": 0, "notes": 0, "unchanged": 3, "conflicts": 1}

    changed = tmp_path / "changed.xml"
    changed.write_text(
        _document(_person(f"{domain}/p1", "Mohamed Abderrahmane", "Mohamed", "Abderrahmane")),
        "utf-8",
    )
    conflict = import_pfif(tracing, team, changed, domain="itinera.local")
    assert conflict.counts["conflicts"] == 1 and conflict.counts["persons"] == 0
    assert conflict.issues[0].row == 1 and conflict.issues[0].value == f"{domain}/p1"
    assert get_request(tracing, team, request.id).sought[0].given_name == "محمد"  # untouched
    tracing.db.dispose()


def test_unsafe_or_invalid_pfif_is_refused_and_the_export_is_valid(
    tracing: Tracing, tmp_path: Path
) -> None:
    from itinera.importers.pfif import pfif_schema

    team = accounts.authenticate(
        tracing.db, *new_user(tracing.db, "tracing", f"Links Q {secrets.token_hex(3)}")
    ).actor
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE pfif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        f'<pfif:pfif xmlns:pfif="{NS}">&b;</pfif:pfif>',
        "utf-8",
    )
    refused = import_pfif(tracing, team, bomb, domain="itinera.local")
    assert refused.status.value == "rejected"
    assert "document type declaration" in refused.message
    missing = tmp_path / "missing.xml"
    missing.write_text(
        _document(
            _person("x.org/1", "Secret Name", "Secret", "Name").replace(
                "<pfif:full_name>Secret Name</pfif:full_name>", ""
            )
        ),
        "utf-8",
    )
    invalid = import_pfif(tracing, team, missing, domain="itinera.local")
    assert invalid.status.value == "rejected"
    assert invalid.issues[0].message.startswith("not PFIF 1.4, line 1: ")
    assert "Secret" not in json.dumps(invalid.as_dict())
    assert list_requests(tracing, team) == []  # nothing stored

    export = io.BytesIO()
    import_pfif(
        tracing,
        team,
        _write(tmp_path, _document(_person("y.org/1", "A B", "A", "B"))),
        domain="itinera.local",
    )
    assert export_pfif(tracing, SYSTEM, export, domain="itinera.local") >= 1
    document = etree.fromstring(export.getvalue())
    assert pfif_schema().validate(document), pfif_schema().error_log
    assert b"desk@example.org" not in export.getvalue()  # contact never exported unasked
    tracing.db.dispose()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"{secrets.token_hex(3)}.xml"
    path.write_text(text, "utf-8")
    return path


def test_import_at_the_command_line(
    tracing_database_url: str, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", tracing_database_url)
    monkeypatch.setenv("ITINERA_KEY_FILE", str(key_file))
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    org = f"Links CLI P {secrets.token_hex(3)}"
    db = Database(tracing_database_url)
    accounts.create_organisation(db, SYSTEM, org, "ngo")
    db.dispose()
    source = _write(tmp_path, _document(_person("z.org/1", "Fatima Ali", "Fatima", "Ali")))
    run = CliRunner().invoke(build_cli(), ["tracing", "import", str(source), "--org", org])
    assert run.exit_code == 0, run.output
    assert "imported (1 persons, 0 notes, 0 unchanged, 0 conflicts)" in run.output
