"""User lifecycle (issue 10, item 11): deactivate, reactivate, change password and role over
the API and the CLI; each revokes every session and token, and each is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.accounts.audit import AuditFilter
from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]
NEW_PASSWORD = "granite otter teaspoon 48"


def _actions(db: Database, user_name: str) -> list[str]:
    user = next(u for u in accounts.list_users(db, SYSTEM) if u.username == user_name)
    entries = audit.list_entries(db, SYSTEM, AuditFilter("user", str(user.id), limit=1000))
    return [e.action for e in entries]


def test_deactivation_revokes_every_token_and_reactivation_revives_none(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    name, password = make_user(sqlite_db, "caseworker", "Org L")
    worker = login(anonymous_client, name, password)
    api_token = accounts.issue_token(sqlite_db, SYSTEM, name, label="bot").token
    bot = {"Authorization": f"Bearer {api_token}"}
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator", "Org L"))
    answer = anonymous_client.post(f"/api/users/{name}/deactivate", headers=admin)
    assert answer.status_code == 200 and answer.json()["active"] is False
    for headers in (worker, bot):
        assert anonymous_client.get("/api/auth/me", headers=headers).status_code == 401
    again = anonymous_client.post(f"/api/users/{name}/activate", headers=admin)
    assert again.json()["active"] is True
    for headers in (worker, bot):
        assert anonymous_client.get("/api/auth/me", headers=headers).status_code == 401
    assert login(anonymous_client, name, password)  # the person may log in anew
    assert {"user.deactivate", "user.activate"} <= set(_actions(sqlite_db, name))


def test_a_role_change_takes_effect_at_once_and_ends_sessions(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    name, password = make_user(sqlite_db, "coordinator", "Org R")
    session = login(anonymous_client, name, password)
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator", "Org R"))
    bad = anonymous_client.put(f"/api/users/{name}/role", headers=admin, json={"role": "wizard"})
    assert bad.status_code == 422
    changed = anonymous_client.put(
        f"/api/users/{name}/role", headers=admin, json={"role": "official"}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "official"
    assert anonymous_client.get("/api/auth/me", headers=session).status_code == 401
    relogged = login(anonymous_client, name, password)
    assert anonymous_client.get("/api/auth/me", headers=relogged).json()["roles"] == ["official"]
    assert "user.role" in _actions(sqlite_db, name)


def test_changing_ones_password_ends_every_session(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    name, password = make_user(sqlite_db, "analyst", "Org P")
    first, second = login(anonymous_client, name, password), login(anonymous_client, name, password)
    wrong = anonymous_client.post(
        "/api/auth/password",
        headers=first,
        json={"current_password": "not it at all", "password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    changed = anonymous_client.post(
        "/api/auth/password",
        headers=first,
        json={"current_password": password, "password": NEW_PASSWORD},
    )
    assert changed.status_code == 204
    for headers in (first, second):
        assert anonymous_client.get("/api/auth/me", headers=headers).status_code == 401
    failed = anonymous_client.post("/api/auth/login", json={"username": name, "password": password})
    assert failed.status_code == 401
    assert login(anonymous_client, name, NEW_PASSWORD)
    actions = _actions(sqlite_db, name)
    assert "user.password" in actions
    assert password not in repr(audit.list_entries(sqlite_db, SYSTEM, AuditFilter(limit=1000)))


def test_administrators_manage_only_their_own_organisation(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    foreign, _ = make_user(sqlite_db, "caseworker", "Org X")
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator", "Org Y"))
    for method, path, body in [
        ("post", f"/api/users/{foreign}/deactivate", None),
        ("put", f"/api/users/{foreign}/role", {"role": "analyst"}),
        ("put", f"/api/users/{foreign}/password", {"password": NEW_PASSWORD}),
    ]:
        answer = anonymous_client.request(method, path, headers=admin, json=body)
        assert answer.status_code == 404, (path, answer.text)
    worker = login(anonymous_client, *make_user(sqlite_db, "caseworker", "Org Y"))
    refused = anonymous_client.post(f"/api/users/{foreign}/deactivate", headers=worker)
    assert refused.status_code == 403


def test_the_command_line_deactivates_changes_role_and_password(
    sqlite_db: Database, make_user: MakeUser, tmp_path: Path
) -> None:
    env = {
        "ITINERA_DATABASE_URL": sqlite_db.url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_KEY_FILE": str(tmp_path / "field.key"),
    }
    run, app = CliRunner().invoke, build_cli()
    name, _ = make_user(sqlite_db, "caseworker", "Org C")
    token = accounts.issue_token(sqlite_db, SYSTEM, name).token
    assert run(app, ["users", "role", name, "analyst"], env=env).exit_code == 0
    assert accounts.actor_for_token(sqlite_db, token) is None
    changed = run(
        app, ["users", "password", name, "--password-stdin"], input=NEW_PASSWORD + "\n", env=env
    )
    assert changed.exit_code == 0, changed.output
    assert accounts.authenticate(sqlite_db, name, NEW_PASSWORD).actor.roles == {"analyst"}
    assert run(app, ["users", "deactivate", name], env=env).exit_code == 0
    assert not next(u for u in accounts.list_users(sqlite_db, SYSTEM) if u.username == name).active
    assert {"user.role", "user.password", "user.deactivate"} <= set(_actions(sqlite_db, name))
