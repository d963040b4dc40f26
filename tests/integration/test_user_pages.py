"""The administrator's users page (issue 10, item 11): own organisation only, PRG, CSRF, and
the lifecycle's effects (tokens revoked, audit) through the page."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from itinera.domain.access import SYSTEM
from itinera.services.accounts import audit
from itinera.services.accounts.audit import AuditFilter
from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]
HTML = {"accept": "text/html"}


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_an_administrator_manages_the_users_of_their_organisation_only(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    client = anonymous_client
    admin, admin_password = make_user(sqlite_db, "administrator", "Org A")
    worker, worker_password = make_user(sqlite_db, "caseworker", "Org A")
    stranger, _ = make_user(sqlite_db, "caseworker", "Org B")
    worker_headers = login(client, worker, worker_password)
    client.cookies.clear()
    login(client, admin, admin_password)

    page = client.get("/admin/users?lang=fr", headers=HTML)
    assert page.status_code == 200
    assert worker in page.text and stranger not in page.text
    assert "Désactiver" in page.text and "Changer le rôle" in page.text
    token = _csrf(page.text)

    no_csrf = client.post(f"/admin/users/{worker}/active", data={"active": "0"}, headers=HTML)
    assert no_csrf.status_code == 403

    answer = client.post(
        f"/admin/users/{worker}/active?lang=fr",
        data={"active": "0", "csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/admin/users?lang=fr&done=deactivated")
    shown = client.get(answer.headers["location"], headers=HTML)
    assert "Le compte est désactivé." in shown.text
    assert client.get("/api/auth/me", headers=worker_headers).status_code == 401  # revoked

    role = client.post(
        f"/admin/users/{worker}/role",
        data={"role": "analyst", "csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert role.status_code == 303
    weak = client.post(
        f"/admin/users/{worker}/password?lang=fr",
        data={"password": "password", "csrf_token": token},
        headers=HTML,
    )
    assert weak.status_code == 422 and "Rien n" in weak.text  # the form's problems, in French

    other = client.post(
        f"/admin/users/{stranger}/active",
        data={"active": "0", "csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert other.status_code in (403, 404)  # another organisation's user is not reachable

    actions = [e.action for e in audit.list_entries(sqlite_db, SYSTEM, AuditFilter(limit=50))]
    assert "user.deactivate" in actions and "user.role" in actions


def test_other_roles_and_anonymous_visitors_cannot_use_the_page(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> None:
    client = anonymous_client
    anonymous = client.get("/admin/users", headers=HTML, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    user, password = make_user(sqlite_db, "coordinator")
    login(client, user, password)
    assert client.get("/admin/users", headers=HTML).status_code == 403
