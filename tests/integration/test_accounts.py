"""Organisations, users, login without lockout, tokens, and no personal data in logs (C8)."""

from __future__ import annotations

import logging

import pytest

from itinera.domain.access import SYSTEM, Actor, AuthenticationError, Role
from itinera.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

PASSWORD = "correct horse battery"
POLICY = accounts.LoginPolicy(session_hours=8)
CASEWORKER = Actor("cw", frozenset({Role.CASEWORKER}), user_id=99, organisation_id=1)


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    accounts.create_organisation(
        sqlite_db, SYSTEM, "Croix-Rouge française", "red-cross-red-crescent", "CRF"
    )
    accounts.create_user(sqlite_db, SYSTEM, "Amina.Worker", "CRF", "caseworker", PASSWORD)
    return sqlite_db


def test_a_user_logs_in_with_any_case_of_username_and_gets_an_actor(db: Database) -> None:
    issued = accounts.authenticate(db, "amina.worker", PASSWORD, "web:1.2.3.4", policy=POLICY)
    actor = accounts.actor_for_token(db, issued.token)
    assert actor is not None and actor.username == "Amina.Worker"
    assert actor.roles == frozenset({Role.CASEWORKER}) and actor.organisation_id is not None
    assert accounts.actor_for_session(db, issued.token) == actor
    assert accounts.actor_for_token(db, issued.token, now=issued.expires_at) is None  # expired


def test_bad_input_names_the_field_and_stores_nothing(db: Database) -> None:
    with pytest.raises(ValidationError) as raised:
        accounts.create_user(db, SYSTEM, "x", "CRF", "wizard", "short")
    assert {e.field for e in raised.value.errors} == {"username", "role", "password"}
    with pytest.raises(ValidationError, match="org: no organisation called 'MSF'"):
        accounts.create_user(db, SYSTEM, "someone", "MSF", "caseworker", PASSWORD)
    with pytest.raises(ConflictError):
        accounts.create_user(db, SYSTEM, "AMINA.WORKER", "CRF", "analyst", PASSWORD)
    with pytest.raises(ConflictError):
        accounts.create_organisation(db, SYSTEM, "croix-rouge  française")
    with pytest.raises(ValidationError, match="type"):
        accounts.create_organisation(db, SYSTEM, "New", "charity")
    assert [u.username for u in accounts.list_users(db, SYSTEM)] == ["Amina.Worker"]
    assert len(accounts.list_organisations(db)) == 1


def test_only_administrators_manage_accounts(db: Database) -> None:
    with pytest.raises(PermissionDeniedError):
        accounts.create_user(db, CASEWORKER, "other", "CRF", "administrator", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        accounts.create_organisation(db, CASEWORKER, "Mine")
    with pytest.raises(PermissionDeniedError):
        accounts.issue_token(db, CASEWORKER, "Amina.Worker")


@pytest.mark.parametrize(
    "weak",
    ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "123456789012", "Amina.Worker2026"],
)
def test_long_but_guessable_passwords_are_refused(db: Database, weak: str) -> None:
    """Issue 10, item 14: only the length was checked."""
    with pytest.raises(ValidationError) as raised:
        accounts.create_user(db, SYSTEM, "Amina.Worker2", "CRF", "caseworker", weak)
    assert [e.field for e in raised.value.errors] == ["password"]
    assert "guess" in raised.value.errors[0].message
    from itinera.services.accounts import lifecycle

    with pytest.raises(ValidationError):
        lifecycle.change_password(db, SYSTEM, "Amina.Worker", weak)
    assert accounts.authenticate(db, "Amina.Worker", PASSWORD, policy=POLICY).token


def test_failures_never_lock_the_victim_out(db: Database) -> None:
    """Issue 10, item 13: five requests by anyone used to lock any account."""
    for _ in range(20):
        with pytest.raises(AuthenticationError) as raised:
            accounts.authenticate(db, "Amina.Worker", "wrong", policy=POLICY)
        assert raised.value.message == accounts.LOGIN_FAILED
    assert accounts.authenticate(db, "Amina.Worker", PASSWORD, policy=POLICY).token
    entries = audit.list_entries(db, SYSTEM, audit.AuditFilter(action="auth.login_failed"))
    assert len(entries) >= 20 and entries[0].detail == {"failures": 20}


def test_every_refusal_does_the_same_argon2_work(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused login for an unknown, inactive or existing account verifies one hash."""
    from itinera.services.accounts import lifecycle

    calls: list[str] = []
    real = accounts._verify

    def counting(hashed: str, password: str) -> bool:
        calls.append(hashed)
        return real(hashed, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    accounts.create_user(db, SYSTEM, "gone", "CRF", "caseworker", PASSWORD)
    lifecycle.set_active(db, SYSTEM, "gone", False)
    for username in ("nobody", "gone", "Amina.Worker"):
        calls.clear()
        with pytest.raises(AuthenticationError) as raised:
            accounts.authenticate(db, username, "wrong", policy=POLICY)
        assert raised.value.message == accounts.LOGIN_FAILED
        assert len(calls) == 1 and calls[0].startswith("$argon2id$"), username


def test_tokens_are_stored_as_hashes_and_revocation_is_immediate(db: Database) -> None:
    issued = accounts.issue_token(db, SYSTEM, "Amina.Worker", label="sync", days=30)
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM api_tokens").scalars().all()
    assert issued.token not in stored and accounts.token_hash(issued.token) in stored
    assert accounts.actor_for_token(db, issued.token) is not None
    accounts.revoke_token(db, SYSTEM, issued.id)
    assert accounts.actor_for_token(db, issued.token) is None
    assert accounts.logout(db, issued.token) is False
    listed = accounts.list_tokens(db, SYSTEM, "amina.worker")
    assert [t.revoked_at is not None for t in listed] == [True]


def test_logs_carry_neither_the_password_nor_the_username(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthenticationError):
        accounts.authenticate(db, "Amina.Worker", "my-secret-guess", policy=POLICY)
    with pytest.raises(AuthenticationError):
        accounts.authenticate(db, "Unknown.Person", "another-secret", policy=POLICY)
    accounts.authenticate(db, "Amina.Worker", PASSWORD, policy=POLICY)
    text = caplog.text.casefold()
    assert "login refused" in text
    for secret in ("my-secret-guess", "another-secret", PASSWORD, "amina", "unknown.person"):
        assert secret.casefold() not in text
