"""``itinera keys rotate`` over the real case columns (cases, case_screenings, referrals,
referral_events), on SQLite and PostgreSQL: every ciphertext moves to the new key, the old key
leaves the key file, and the API still answers the plaintext to the caseworker."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from itinera.bootstrap import build_app, build_cli
from itinera.config import Settings
from itinera.engines.crypto import FieldCipher, read_keys
from itinera.storage.database import Database

from .conftest import new_user
from .test_api_cases import CASE

cli = build_cli()

CASE_COLUMNS = {
    "cases": [
        "given_name_enc",
        "family_name_enc",
        "date_of_birth_enc",
        "contact_enc",
        "document_numbers_enc",
    ],
    "case_screenings": ["answers_enc"],
    "referrals": ["reason_enc"],
    "referral_events": ["reason_enc"],
}


def _login(client: TestClient, user: tuple[str, str]) -> dict[str, str]:
    answer = client.post("/api/auth/login", json={"username": user[0], "password": user[1]})
    assert answer.status_code == 200, answer.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _tokens(db: Database) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with db.engine.connect() as connection:
        for table, columns in CASE_COLUMNS.items():
            for column in columns:
                found[f"{table}.{column}"] = [
                    str(v)
                    for (v,) in connection.execute(
                        text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
                    )
                ]
    return found


def _register_screen_refer_decline(
    client: TestClient, worker: dict[str, str], receiver: dict[str, str]
) -> str:
    case_id = client.post("/api/cases", json=CASE, headers=worker).json()["id"]
    screened = client.post(
        f"/api/cases/{case_id}/screenings",
        headers=worker,
        json={"answers": {"travelling_with": "alone"}},
    )
    assert screened.status_code == 201, screened.text
    receiver_org = client.get("/api/auth/me", headers=receiver).json()["organisation_id"]
    referred = client.post(
        "/api/referrals",
        headers=worker,
        json={
            "case_id": case_id,
            "to_organisation_id": receiver_org,
            "pathway": "child-protection",
            "urgency": "immediate",
            "reason": "alone at the port",
        },
    )
    assert referred.status_code == 201, referred.text
    declined = client.post(
        f"/api/referrals/{referred.json()['id']}/transitions",
        headers=receiver,
        json={"to": "declined", "reason": "no places"},
    )
    assert declined.status_code == 200, declined.text
    return str(case_id)


def test_rotation_re_encrypts_every_case_column(
    casework_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "keys" / "field.key"
    settings = Settings(database_url=casework_database_url, environment="test", key_file=key_file)
    db = Database(casework_database_url)
    suffix = secrets.token_hex(3)
    users = [
        new_user(db, "caseworker", f"Rotation NGO {suffix}"),
        new_user(db, "service_provider", f"Rotation Child Protection {suffix}"),
    ]
    with TestClient(build_app(settings, database=db)) as client:
        worker, receiver = (_login(client, u) for u in users)
        case_id = _register_screen_refer_decline(client, worker, receiver)
    (old_key,) = read_keys(settings)
    old_id = FieldCipher([old_key]).current_key_id
    before = _tokens(db)
    assert all(before.values()), f"a case column holds no ciphertext: {before}"

    monkeypatch.setenv("ITINERA_DATABASE_URL", casework_database_url)
    monkeypatch.setenv("ITINERA_KEY_FILE", str(key_file))
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    monkeypatch.delenv("ITINERA_FIELD_KEY", raising=False)
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output

    keys_now = read_keys(settings)
    assert old_key not in keys_now and len(keys_now) == 1
    new_id = FieldCipher(keys_now).current_key_id
    assert new_id != old_id and f"new key {new_id}" in result.output
    after = _tokens(db)
    for name, tokens in after.items():
        assert len(tokens) == len(before[name]), name
        assert {t.partition(":")[0] for t in tokens} == {new_id}, f"{name} kept an old key"
        assert f"{name}: {len(before[name])} values re-encrypted" in result.output
    with TestClient(build_app(settings, database=db)) as client:  # a restarted server
        worker, receiver = (_login(client, u) for u in users)
        read = client.get(f"/api/cases/{case_id}", headers=worker)
        assert read.status_code == 200, read.text
        body = read.json()
        assert (body["given_name"], body["family_name"], body["date_of_birth"]) == (
            "Amina",
            "Testperson",
            "2010-03-14",
        )
        assert body["document_numbers"] == ["P1234567"]
    db.dispose()
