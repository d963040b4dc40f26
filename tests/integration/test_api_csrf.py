"""The JSON API authenticated by the session cookie requires the CSRF header, and logout
cannot be forced cross-site (issue 10, item 14)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from itinera.storage.database import Database
from itinera.web.security import CSRF_COOKIE, sign_seed

MakeUser = Callable[..., tuple[str, str]]


def _cookie_login(client: TestClient, username: str, password: str) -> None:
    client.get("/")  # the CSRF seed cookie
    answer = client.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200 and client.cookies.get("itinera_session")


def _token(client: TestClient) -> str:
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    return sign_seed(secret, client.cookies[CSRF_COOKIE])


def test_a_cookie_call_without_the_header_changes_nothing(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _cookie_login(anonymous_client, *make_user(sqlite_db, "administrator", "Org CSRF"))
    body = {
        "username": "planted2",
        "organisation": "Org CSRF",
        "role": "analyst",
        "password": "granite otter teaspoon 48",
    }
    forged = anonymous_client.post("/api/users", json=body)
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
    wrong = anonymous_client.post("/api/users", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    users = [u["username"] for u in anonymous_client.get("/api/users").json()]
    assert "planted2" not in users  # reading with the cookie needs no header
    sent = anonymous_client.post(
        "/api/users", json=body, headers={"X-CSRF-Token": _token(anonymous_client)}
    )
    assert sent.status_code == 201, sent.text


def test_logout_cannot_be_forced_cross_site(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _cookie_login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    assert anonymous_client.post("/api/auth/logout").status_code == 403
    assert anonymous_client.get("/api/auth/me").json()["logged_in"] is True
    done = anonymous_client.post(
        "/api/auth/logout", headers={"X-CSRF-Token": _token(anonymous_client)}
    )
    assert done.status_code == 200 and done.json() == {"logged_out": True}
