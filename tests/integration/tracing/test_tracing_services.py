"""Tracing services on SQLite and PostgreSQL: a child's match needs two different reviewers;
key rotation re-encrypts every tracing column and the request still reads back."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor
from itinera.domain.case import Sex
from itinera.domain.errors import ConflictError
from itinera.domain.tracing import (
    CandidateStatus,
    Decision,
    Inquirer,
    NewTracingRequest,
    SoughtPerson,
)
from itinera.engines.crypto import FieldCipher, load_cipher, read_keys
from itinera.engines.names import name_keys
from itinera.services.accounts import users as accounts
from itinera.services.tracing import review
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.learning import dictionary_for_run
from itinera.services.tracing.matching import run_match
from itinera.services.tracing.requests import create_request, get_request
from itinera.storage.database import Database

from .conftest import new_user

TRACING_COLUMNS = {
    "tracing_requests": ["inquirer_given_name_enc", "inquirer_family_name_enc"],
    "tracing_persons": ["given_name_enc", "family_name_enc", "other_spellings_enc"],
    "tracing_reviews": ["reason_enc"],
    "tracing_learned_spellings": ["spelling_enc"],
}


def _actor(db: Database, user: tuple[str, str]) -> Actor:
    return accounts.authenticate(db, *user).actor


def _request(child_year: int, *names: str) -> NewTracingRequest:
    given, family = names
    return NewTracingRequest(
        Inquirer("Amal", "Requester", "+249 900 000 000"),
        (
            SoughtPerson(
                given,
                family,
                Sex.FEMALE,
                "ERI",
                birth_year=child_year,
                other_spellings=("Seynab Tesfay",),
            ),
        ),
        "daughter",
        ("tracing",),
    )


def test_a_child_needs_two_reviewers_and_rotation_keeps_everything_readable(
    tracing_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "keys" / "field.key"
    settings = Settings(database_url=tracing_database_url, environment="test", key_file=key_file)
    db = Database(tracing_database_url)
    tr = Tracing(db, load_cipher(settings))
    suffix = secrets.token_hex(3)
    one = _actor(db, new_user(db, "tracing", f"Family Links A {suffix}"))
    two = _actor(db, new_user(db, "tracing", f"Family Links A {suffix}"))
    child_year = date.today().year - 12
    first = create_request(tr, one, _request(child_year, "ዘይነብ", "ተስፋይ"))
    second = create_request(tr, two, _request(child_year, "Zeinab", "Tesfaye"))
    run_match(tr, SYSTEM)
    candidates = review.candidates_of_request(tr, one, first.id)
    assert [c.candidate.kind.value for c in candidates] == ["tracing request"]
    candidate = candidates[0].candidate
    assert candidate.child and candidates[0].reference is not None
    assert candidates[0].reference.startswith(second.id)

    decided = review.decide(tr, one, candidate.id, Decision.MATCH, "same girl, same village")
    assert decided.status is CandidateStatus.AWAITING_SECOND_REVIEW
    with pytest.raises(ConflictError):
        review.decide(tr, one, candidate.id, Decision.MATCH, "again")
    with pytest.raises(ConflictError):
        review.start_contact(tr, one, candidate.id)
    with db.transaction() as session:
        assert name_keys("ዘይነብ", dictionary_for_run(session, tr)).canonical != "zainab"
    confirmed = review.decide(tr, two, candidate.id, Decision.MATCH, "confirmed by photo")
    assert confirmed.status is CandidateStatus.CONFIRMED
    with db.transaction() as session:  # the confirmed match taught the Ethiopic spelling
        assert name_keys("ዘይነብ", dictionary_for_run(session, tr)).canonical == "zainab"

    with db.engine.connect() as connection:
        before = {
            f"{t}.{c}": [v for (v,) in connection.execute(text(f"SELECT {c} FROM {t}")) if v]
            for t, columns in TRACING_COLUMNS.items()
            for c in columns
        }
    assert all(before.values()), before
    monkeypatch.setenv("ITINERA_DATABASE_URL", tracing_database_url)
    monkeypatch.setenv("ITINERA_KEY_FILE", str(key_file))
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    monkeypatch.delenv("ITINERA_FIELD_KEY", raising=False)
    result = CliRunner().invoke(build_cli(), ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    new_id = FieldCipher(read_keys(settings)).current_key_id
    with db.engine.connect() as connection:
        for name in before:
            table, column = name.split(".")
            tokens = [v for (v,) in connection.execute(text(f"SELECT {column} FROM {table}")) if v]
            assert {t.partition(":")[0] for t in tokens} == {new_id}, name
    rotated = Tracing(db, load_cipher(settings))
    again = get_request(rotated, one, first.id)
    assert again.sought[0].given_name == "ዘይነብ"
    assert again.sought[0].other_spellings == ("Seynab Tesfay",)
    assert again.inquirer is not None and again.inquirer.contact == "+249 900 000 000"
    db.dispose()
