"""Administration over the API: organisations, users, tokens, audit trail (C8)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]


def test_an_administrator_manages_accounts_and_reads_the_audit_trail(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    admin_name, admin_password = make_user(sqlite_db, "administrator", "UNHCR")
    admin = login(anonymous_client, admin_name, admin_password)
    user = anonymous_client.post(
        "/api/users",
        headers=admin,
        json={
            "username": "analyst1",
            "organisation": "UNHCR",
            "role": "analyst",
            "password": "a long pass phrase",
        },
    )
    assert user.status_code == 201 and "password" not in user.text
    token = anonymous_client.post(
        "/api/tokens", headers=admin, json={"username": admin_name, "label": "sync", "days": 7}
    )
    assert token.status_code == 201
    bot = {"Authorization": f"Bearer {token.json()['token']}"}
    assert anonymous_client.get("/api/auth/me", headers=bot).json()["username"] == admin_name
    assert (
        anonymous_client.delete(f"/api/tokens/{token.json()['id']}", headers=admin).status_code
        == 204
    )
    assert anonymous_client.get("/api/auth/me", headers=bot).status_code == 401

    entries = anonymous_client.get("/api/audit?entity=user", headers=admin).json()
    assert {e["action"] for e in entries} >= {"user.create", "auth.login"}
    assert anonymous_client.get("/api/audit/verify", headers=admin).json()["ok"] is True
    exported = anonymous_client.get("/api/audit/export", headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows and "a long pass phrase" not in exported.text


def test_an_administrator_acts_only_within_their_organisation_and_as_nobody_else(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    """Issue 10, item 5: the administrator of B issued a token for A's caseworker and read
    A's cases as them."""
    worker_a, _ = make_user(sqlite_db, "caseworker", "Organisation A")
    colleague_b, _ = make_user(sqlite_db, "analyst", "Organisation B")
    admin_b = login(anonymous_client, *make_user(sqlite_db, "administrator", "Organisation B"))
    for body in ({"username": worker_a}, {"username": colleague_b}):
        refused = anonymous_client.post("/api/tokens", headers=admin_b, json=body)
        assert refused.status_code in {403, 404}, refused.text
    assert "token" not in refused.json()
    created = anonymous_client.post(
        "/api/organisations", headers=admin_b, json={"name": "Shadow NGO", "type": "ngo"}
    )
    assert created.status_code == 403
    foreign_user = anonymous_client.post(
        "/api/users",
        headers=admin_b,
        json={
            "username": "planted",
            "organisation": "Organisation A",
            "role": "caseworker",
            "password": "a long pass phrase",
        },
    )
    assert foreign_user.status_code == 403
    listed = {u["username"] for u in anonymous_client.get("/api/users", headers=admin_b).json()}
    assert colleague_b in listed and worker_a not in listed
    foreign_tokens = anonymous_client.get(f"/api/tokens?username={worker_a}", headers=admin_b)
    assert foreign_tokens.status_code == 404


def test_other_roles_are_refused_by_the_services(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    caseworker = login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    for method, path, body in [
        ("get", "/api/users", None),
        (
            "post",
            "/api/users",
            {
                "username": "x1",
                "organisation": "Test Organisation",
                "role": "administrator",
                "password": "a long pass phrase",
            },
        ),
        ("post", "/api/organisations", {"name": "Mine"}),
        ("get", "/api/tokens", None),
        ("get", "/api/audit", None),
        ("get", "/api/audit/export", None),
        ("get", "/api/audit/verify", None),
    ]:
        answer = anonymous_client.request(method, path, headers=caseworker, json=body)
        assert answer.status_code == 403, (path, answer.text)
    anonymous_client.cookies.clear()
    anonymous = anonymous_client.get("/api/users")  # no credentials: 401, not 403
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous_client.get("/api/organisations").status_code == 200  # public list


def test_the_audit_page_is_for_administrators_and_shows_a_broken_chain(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: MakeUser,
    login: Login,
    drop_append_only_guard: Callable[[Any], None],
) -> None:
    moved = anonymous_client.get("/admin/audit", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"].startswith("/login")
    worker = login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    assert anonymous_client.get("/admin/audit", headers=worker).status_code == 403
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator"))
    page = anonymous_client.get("/admin/audit?lang=fr", headers=admin)
    assert page.status_code == 200 and 'data-chain="ok"' in page.text
    assert "auth.login" in page.text  # the operator's user.create is not this organisation's
    with sqlite_db.engine.begin() as connection:
        drop_append_only_guard(connection)
        connection.exec_driver_sql("UPDATE audit_log SET purpose = 'x' WHERE id = 2")
    page = anonymous_client.get("/admin/audit", headers=admin)
    assert 'data-chain="broken"' in page.text and "entry</" not in page.text


def test_an_administrator_reads_only_their_organisation_s_part_of_the_trail(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    worker_a = make_user(sqlite_db, "caseworker", "Trail A")
    login(anonymous_client, *worker_a)  # an entry of organisation A
    admin_b = login(anonymous_client, *make_user(sqlite_db, "administrator", "Trail B"))
    seen = anonymous_client.get("/api/audit?limit=1000", headers=admin_b).json()
    assert seen and worker_a[0] not in {e["actor_name"] for e in seen}
    exported = anonymous_client.get("/api/audit/export", headers=admin_b).text
    assert worker_a[0] not in exported
