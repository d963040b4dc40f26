"""The role × action matrix tested through the pages (issue 10, item 15): every page route of
the application, GET and POST (with a valid CSRF token), for every role and for an anonymous
visitor, expected from ``MATRIX`` itself. Allowed: anything but 403 or a redirect to the login.
Refused: 403 for a logged-in user, the login (or 403) for an anonymous visitor; 404 where the
page looks its record up before the role (the ids here do not exist, so nothing is revealed,
and an allowed role must then answer 404 too, never 200).

``PAGES`` names the action each page route needs (``PUBLIC`` for open pages, ``LOGGED_IN``
for pages any account may see); a page route missing from it fails the last test, so a new
page cannot escape this check.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from itinera.domain.access import MATRIX, Action, Role
from itinera.storage.database import Database
from itinera.web.security import CSRF_COOKIE, SESSION_COOKIE, sign_seed

MakeUser = Callable[..., tuple[str, str]]
PUBLIC, LOGGED_IN = "public", "logged-in"
Need = Action | str | frozenset[Action]
PAGES: dict[tuple[str, str], Need] = {
    ("GET", "/favicon.ico"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/routes/{route_id}"): PUBLIC,
    ("GET", "/routes/{route_id}/gaps"): PUBLIC,
    ("GET", "/sources"): PUBLIC,
    ("GET", "/services"): PUBLIC,
    ("GET", "/services/points/{point_id}"): PUBLIC,
    ("GET", "/services/routes/{route_id}"): PUBLIC,
    ("GET", "/activities/plan"): PUBLIC,
    ("GET", "/activities/indicators/{code}"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/help"): PUBLIC,
    ("GET", "/help/{lang}"): PUBLIC,
    ("GET", "/help/{lang}/contact"): PUBLIC,
    ("POST", "/help/{lang}/contact"): PUBLIC,
    ("GET", "/help/{lang}/services"): PUBLIC,
    ("GET", "/help/{lang}/articles"): PUBLIC,
    ("GET", "/help/{lang}/articles/{slug}"): PUBLIC,
    ("GET", "/help/{lang}/track"): PUBLIC,
    ("GET", "/home"): LOGGED_IN,
    ("GET", "/imports"): Action.IMPORT_MOVEMENTS,
    ("POST", "/imports"): Action.IMPORT_MOVEMENTS,
    ("GET", "/imports/{batch_id}"): PUBLIC,  # the report of a batch, like /api/imports/{id}
    ("POST", "/imports/{batch_id}/remove"): Action.IMPORT_MOVEMENTS,
    ("GET", "/services/import"): Action.IMPORT_SERVICES,
    ("POST", "/services/import"): Action.IMPORT_SERVICES,
    ("GET", "/services/points/new"): Action.EDIT_SERVICES,
    ("POST", "/services/points/new"): Action.EDIT_SERVICES,
    ("GET", "/services/points/{point_id}/edit"): Action.EDIT_SERVICES,
    ("POST", "/services/points/{point_id}/edit"): Action.EDIT_SERVICES,
    ("POST", "/services/points/{point_id}/verify"): Action.EDIT_SERVICES,
    ("POST", "/services/points/{point_id}/status"): Action.EDIT_SERVICES,
    ("GET", "/activities/import"): Action.IMPORT_ACTIVITIES,
    ("POST", "/activities/import"): Action.IMPORT_ACTIVITIES,
    ("GET", "/admin/audit"): Action.VIEW_AUDIT,
    ("GET", "/admin/users"): Action.MANAGE_USERS,
    ("POST", "/admin/users/{username}/active"): Action.MANAGE_USERS,
    ("POST", "/admin/users/{username}/role"): Action.MANAGE_USERS,
    ("POST", "/admin/users/{username}/password"): Action.MANAGE_USERS,
    ("GET", "/admin/screening"): Action.MANAGE_SCREENING_RULES,
    ("GET", "/admin/screening/new"): Action.MANAGE_SCREENING_RULES,
    ("POST", "/admin/screening/new"): Action.MANAGE_SCREENING_RULES,
    ("POST", "/admin/screening/{version_id}/activate"): Action.MANAGE_SCREENING_RULES,
    ("GET", "/cases"): Action.VIEW_CASE,
    ("GET", "/cases/new"): Action.REGISTER_CASE,
    ("POST", "/cases/new"): Action.REGISTER_CASE,
    ("GET", "/cases/{case_id}"): Action.VIEW_CASE,
    ("POST", "/cases/{case_id}/screen"): Action.SCREEN_CASE,
    ("POST", "/cases/{case_id}/refer"): Action.REFER_CASE,
    ("GET", "/cases/{case_id}/edit"): Action.VIEW_CASE,
    ("GET", "/cases/{case_id}/consent"): Action.VIEW_CASE,
    ("POST", "/cases/{case_id}/edit"): Action.EDIT_CASE,
    ("POST", "/cases/{case_id}/consent"): Action.EDIT_CASE,
    ("GET", "/referrals/sent"): Action.REFER_CASE,
    ("GET", "/referrals"): Action.RECEIVE_REFERRAL,
    ("GET", "/follow-ups"): frozenset({Action.REFER_CASE, Action.RECEIVE_REFERRAL}),
    ("GET", "/referrals/{referral_id}"): Action.RECEIVE_REFERRAL,
    ("POST", "/referrals/{referral_id}/transition"): Action.UPDATE_REFERRAL,
    ("GET", "/field/new"): Action.RECORD_FIELD_MONITORING,
    ("POST", "/field/observations/new"): Action.RECORD_FIELD_MONITORING,
    ("POST", "/field/notes/new"): Action.RECORD_FIELD_MONITORING,
    ("GET", "/tracing"): Action.REVIEW_TRACING,
    ("GET", "/tracing/candidates/{candidate_id}"): Action.REVIEW_TRACING,
    ("POST", "/tracing/candidates/{candidate_id}/{action}"): Action.REVIEW_TRACING,
    ("GET", "/tracing/requests/{request_id}/intake"): Action.REQUEST_TRACING,
    ("POST", "/tracing/requests/{request_id}/intake"): Action.REQUEST_TRACING,
    ("GET", "/tracing/requests"): Action.REQUEST_TRACING,
    ("GET", "/tracing/requests/new"): Action.REQUEST_TRACING,
    ("GET", "/tracing/requests/{request_id}"): Action.REQUEST_TRACING,
    ("POST", "/tracing/requests/new"): Action.REQUEST_TRACING,
    ("POST", "/tracing/requests/{request_id}/outcome"): Action.REQUEST_TRACING,
    ("GET", "/gateway/queue"): Action.VIEW_GATEWAY_QUEUE,
    ("GET", "/gateway/queue/{code}"): Action.VIEW_GATEWAY_QUEUE,
    ("POST", "/gateway/queue/{code}/answers"): Action.ANSWER_GATEWAY,
    ("GET", "/activities"): Action.VIEW_ACTIVITIES,
    ("GET", "/activities/new"): Action.ENTER_ACTIVITIES,
    ("POST", "/activities/new"): Action.ENTER_ACTIVITIES,
    ("GET", "/activities/{activity_id}"): Action.VIEW_ACTIVITIES,
    ("GET", "/activities/{activity_id}/edit"): Action.ENTER_ACTIVITIES,
    ("POST", "/activities/{activity_id}/edit"): Action.ENTER_ACTIVITIES,
    ("POST", "/activities/{activity_id}/figures"): Action.ENTER_ACTIVITIES,
    ("POST", "/activities/{activity_id}/submit"): Action.ENTER_ACTIVITIES,
    ("POST", "/activities/{activity_id}/review"): Action.REVIEW_ACTIVITY_REPORTS,
    ("GET", "/activities/periods"): Action.REVIEW_ACTIVITY_REPORTS,
    ("POST", "/activities/periods"): Action.MANAGE_REPORTING_PERIODS,
    ("GET", "/activities/organisations"): Action.MERGE_ORGANISATIONS,
    ("POST", "/activities/organisations/suggestions/{suggestion_id}"): Action.MERGE_ORGANISATIONS,
    ("GET", "/field/analysis"): PUBLIC,
    ("GET", "/jobs/{job_id}"): LOGGED_IN,
    ("POST", "/jobs/{job_id}/cancel"): LOGGED_IN,
}
VALUES = {
    "route_id": "central-mediterranean",
    "batch_id": "999999",
    "point_id": "999999",
    "code": "NO-SUCH",
    "case_id": "C-0000-0000-0000",
    "referral_id": "999999",
    "candidate_id": "999999",
    "request_id": "T-0000-0000-0000",
    "lang": "en",
    "slug": "no-such-article",
    "username": "nobody-here",
    "version_id": "999999",
    "activity_id": "999999",
    "suggestion_id": "999999",
    "job_id": "999999",
    "action": "decision",
}
SEED = "access-pages-seed"


def _page_routes(app: object) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and not route.path.startswith("/api")
        for method in route.methods
    }


@pytest.fixture
def sessions(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> dict[Role, str | None]:
    found: dict[Role, str | None] = {Role.PUBLIC: None}
    for role in Role:
        if role is Role.PUBLIC:
            continue
        username, password = make_user(sqlite_db, role.value)
        answer = anonymous_client.post(
            "/api/auth/login", json={"username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
        found[role] = answer.cookies.get(SESSION_COOKIE) or anonymous_client.cookies.get(
            SESSION_COOKIE
        )
        anonymous_client.cookies.clear()
    return found


def _allowed(need: Need, role: Role) -> bool:
    if need == PUBLIC:
        return True
    if need == LOGGED_IN:
        return role is not Role.PUBLIC
    if isinstance(need, frozenset):
        return bool(need & MATRIX[role])
    assert isinstance(need, Action)
    return need in MATRIX[role]


def _to_login(status: int, location: str) -> bool:
    return status in (302, 303, 307) and location.startswith("/login")


@pytest.mark.parametrize("page", sorted(PAGES), ids=lambda p: f"{p[0]} {p[1]}")
def test_every_role_gets_what_the_matrix_says_through_the_pages(
    anonymous_client: TestClient, sessions: dict[Role, str | None], page: tuple[str, str]
) -> None:
    method, template = page
    path = re.sub(r"\{(\w+)\}", lambda m: VALUES[m.group(1)], template)
    secret = anonymous_client.app.state.settings.secret_key  # type: ignore[attr-defined]
    wrong = []
    for role, session in sessions.items():
        anonymous_client.cookies.clear()
        anonymous_client.cookies.set(CSRF_COOKIE, SEED)
        if session:
            anonymous_client.cookies.set(SESSION_COOKIE, session)
        answer = anonymous_client.request(
            method,
            path,
            headers={"accept": "text/html", "x-csrf-token": sign_seed(secret, SEED)},
            data={} if method == "POST" else None,
            follow_redirects=False,
        )
        status, location = answer.status_code, answer.headers.get("location", "")
        refused = status in (401, 403) or _to_login(status, location)
        allowed = _allowed(PAGES[page], role)
        if not allowed and status == 404 and "{" in template:
            continue  # the record is looked up first and does not exist: nothing is revealed
        if allowed == refused or (not allowed and session and status != 403):
            wrong.append((role.value, status, location))
    assert not wrong, f"{method} {template}: {wrong}"


def test_every_page_route_names_what_it_needs(anonymous_client: TestClient) -> None:
    routes = _page_routes(anonymous_client.app)
    assert routes - set(PAGES) == set(), "page routes missing from PAGES"
    assert set(PAGES) - routes == set(), "PAGES names routes that no longer exist"
