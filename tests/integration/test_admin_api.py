"""Administration over the API: organisations, users, tokens, audit trail (C8)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient

from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]


def test_an_administrator_manages_accounts_and_reads_the_audit_trail(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator", "UNHCR"))
    created = anonymous_client.post(
        "/api/organisations", headers=admin, json={"name": "Fundación Cruz Blanca", "type": "ngo"}
    )
    assert created.status_code == 201, created.text
    bad = anonymous_client.post(
        "/api/organisations", headers=admin, json={"name": "X", "type": "charity"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "type"
    user = anonymous_client.post(
        "/api/users",
        headers=admin,
        json={
            "username": "provider1",
            "organisation": "Fundación Cruz Blanca",
            "role": "service_provider",
            "password": "a long pass phrase",
        },
    )
    assert user.status_code == 201 and "password" not in user.text
    token = anonymous_client.post(
        "/api/tokens", headers=admin, json={"username": "provider1", "label": "sync", "days": 7}
    )
    assert token.status_code == 201
    bot = {"Authorization": f"Bearer {token.json()['token']}"}
    assert anonymous_client.get("/api/auth/me", headers=bot).json()["username"] == "provider1"
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
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    moved = anonymous_client.get("/admin/audit", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"].startswith("/login")
    worker = login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    assert anonymous_client.get("/admin/audit", headers=worker).status_code == 403
    admin = login(anonymous_client, *make_user(sqlite_db, "administrator"))
    page = anonymous_client.get("/admin/audit?lang=fr", headers=admin)
    assert page.status_code == 200 and 'data-chain="ok"' in page.text
    assert "auth.login" in page.text and "user.create" in page.text
    with sqlite_db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_log SET purpose = 'x' WHERE id = 2")
    page = anonymous_client.get("/admin/audit", headers=admin)
    assert 'data-chain="broken"' in page.text and "entry</" not in page.text
