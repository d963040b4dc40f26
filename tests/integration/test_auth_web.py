"""Login, sessions, tokens and CSRF through the web app (C8)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]


def test_login_answers_a_bearer_token_and_a_safe_session_cookie(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    username, password = make_user(sqlite_db, "caseworker", "Croix-Rouge")
    answer = anonymous_client.post(
        "/api/auth/login", json={"username": username, "password": password}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["token"].startswith("itn_")
    assert body["expires_at"] and body["role"] == "caseworker"
    cookie = answer.headers["set-cookie"].lower()
    assert "itinera_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    me = anonymous_client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == username and me.json()["roles"] == ["caseworker"]


def test_the_session_cookie_is_secure_over_https(
    sqlite_db: Database, anonymous_client: TestClient, make_user: MakeUser
) -> None:
    username, password = make_user(sqlite_db, "caseworker")
    secure = TestClient(anonymous_client.app, base_url="https://testserver")
    answer = secure.post("/api/auth/login", json={"username": username, "password": password})
    assert "secure" in answer.headers["set-cookie"].lower()


def test_the_cookie_alone_identifies_the_user_and_logout_ends_it(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    username, password = make_user(sqlite_db, "coordinator")
    login(anonymous_client, username, password)
    assert anonymous_client.get("/api/auth/me").json()["username"] == username
    page = anonymous_client.get("/login")  # any page extending base.html shows who is in
    assert username in page.text and 'action="/logout"' in page.text
    forced = anonymous_client.post("/api/auth/logout")  # what a cross-site form could send
    assert forced.status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = anonymous_client.post("/api/auth/logout", headers={"X-CSRF-Token": token.group(1)})
    assert answer.json() == {"logged_out": True}
    assert anonymous_client.get("/api/auth/me").json()["logged_in"] is False


def test_wrong_credentials_get_one_generic_401(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    username, _ = make_user(sqlite_db, "analyst")
    wrong = anonymous_client.post("/api/auth/login", json={"username": username, "password": "x"})
    unknown = anonymous_client.post("/api/auth/login", json={"username": "nobody", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "authentication_failed"


def test_a_revoked_token_is_refused(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    username, _ = make_user(sqlite_db, "service_provider")
    issued = accounts.issue_token(sqlite_db, SYSTEM, username, label="bot")
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert anonymous_client.get("/api/auth/me", headers=headers).json()["username"] == username
    accounts.revoke_token(sqlite_db, SYSTEM, issued.id)
    refused = anonymous_client.get("/api/auth/me", headers=headers)
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]
    forged = anonymous_client.get("/api/auth/me", headers={"Authorization": "Bearer itn_forged"})
    assert forged.status_code == 401


def test_a_form_post_without_its_csrf_token_is_refused(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    username, password = make_user(sqlite_db, "caseworker")
    form = {"username": username, "password": password}
    refused = anonymous_client.post("/login", data=form, follow_redirects=False)
    assert refused.status_code == 403 and "security token" in refused.json()["error"]["message"]
    refused = anonymous_client.post(
        "/login", data={**form, "csrf_token": "0" * 64}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert anonymous_client.get("/api/auth/me").json()["logged_in"] is False

    page = anonymous_client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = anonymous_client.post(
        "/login", data={**form, "csrf_token": token, "next": "//evil"}, follow_redirects=False
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/home"  # not off-site
    assert anonymous_client.get("/api/auth/me").json()["username"] == username


def test_the_login_page_reports_a_failure_without_saying_why(
    anonymous_client: TestClient,
) -> None:
    page = anonymous_client.get("/login?lang=fr")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = anonymous_client.post(
        "/login", data={"username": "nobody", "password": "x", "csrf_token": token}
    )
    assert answer.status_code == 401 and 'role="alert"' in answer.text
