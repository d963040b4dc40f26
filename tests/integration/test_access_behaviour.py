"""The role × action matrix tested as behaviour (issue 10, item 15): for every role and every
action, a real request through the API, expected from ``MATRIX`` itself, so a route that
forgets its check fails here. Allowed: anything but 401/403 (a 404 for a case that does not
exist still passed the check). Refused: 403.

Every action of the matrix is either exercised below or listed in ``NOT_OVER_THE_API`` with the
reason; a new action without either fails the last test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from itinera.domain.access import MATRIX, Action, Role
from itinera.storage.database import Database

MakeUser = Callable[..., tuple[str, str]]
Login = Callable[[TestClient, str, str], dict[str, str]]
NO_CASE = "C-0000-0000-0000"
NEW_CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}
REQUESTS: dict[Action, tuple[str, str, dict[str, Any] | None]] = {
    Action.VIEW_ROUTES: ("get", "/api/routes", None),
    Action.EDIT_ROUTES: ("delete", "/api/routes/no-such-route", None),
    Action.VIEW_AGGREGATES: ("get", "/api/observations", None),
    Action.VIEW_SERVICES: ("get", "/api/services", None),
    Action.EDIT_SERVICES: ("delete", "/api/services/points/999999", None),
    Action.MANAGE_USERS: ("get", "/api/users", None),
    Action.MANAGE_TOKENS: ("get", "/api/tokens", None),
    Action.VIEW_AUDIT: ("get", "/api/audit", None),
    Action.EXPORT_AUDIT: ("get", "/api/audit/export", None),
    Action.REGISTER_CASE: ("post", "/api/cases", NEW_CASE),
    Action.VIEW_CASE: ("get", f"/api/cases/{NO_CASE}", None),
    Action.EDIT_CASE: ("patch", f"/api/cases/{NO_CASE}", {"version": 1, "sex": "male"}),
    Action.SCREEN_CASE: ("post", f"/api/cases/{NO_CASE}/screenings", {"answers": {}}),
    Action.REFER_CASE: (
        "post",
        "/api/referrals",
        {"case_id": NO_CASE, "to_organisation_id": 1, "pathway": "x", "reason": "r"},
    ),
    Action.RECEIVE_REFERRAL: ("get", "/api/referrals/inbox", None),
    Action.ERASE_CASE: ("delete", f"/api/cases/{NO_CASE}", None),
    Action.EXPORT_CASES_PSEUDONYMISED: ("get", "/api/cases/export", None),
    Action.REQUEST_TRACING: ("get", "/api/tracing/requests", None),
    Action.REVIEW_TRACING: ("get", "/api/tracing/review", None),
    Action.VIEW_ACTIVITIES: ("get", "/api/activities", None),
    Action.VIEW_GATEWAY_QUEUE: ("get", "/api/gateway/queue", None),
    Action.EDIT_GATEWAY_ARTICLES: ("get", "/api/gateway/articles/stale", None),
}
NOT_OVER_THE_API = {
    Action.VIEW_EXACT_FIGURES: "no route of its own: the same routes answer suppressed or "
    "exact figures (tests/integration/movements/test_small_cells.py)",
    Action.IMPORT_MOVEMENTS: "an upload: tests/integration/test_import_pipeline.py",
    Action.IMPORT_SERVICES: "an upload: tests/integration/test_import_pipeline.py",
    Action.MANAGE_SOURCES: "no route yet",
    Action.MANAGE_ORGANISATIONS: "the operator's, at the command line (separation of duties): "
    "tests/integration/test_admin_api.py refuses it to every web role",
    Action.APPLY_RETENTION: "command line only (itinera retention apply)",
    Action.MANAGE_SCREENING_RULES: "no route yet",
    Action.UPDATE_REFERRAL: "a referral is invisible (404) before the role is checked: "
    "tests/integration/casework/test_case_services.py",
    Action.RUN_TRACING_MATCH: "command line only (itinera tracing match)",
    Action.EXPORT_TRACING: "command line only (itinera tracing export --format pfif)",
    Action.RECORD_FIELD_MONITORING: "a JSON body validated before the role is checked: "
    "tests/integration/reports/test_field_api.py refuses the public",
    Action.VIEW_INTERNAL_MONITORING: "no route of its own: the same routes answer public or "
    "internal entries (tests/integration/reports/test_field_api.py)",
    Action.ENTER_ACTIVITIES: "a JSON body validated before the role is checked; editing is "
    "scoped to the own organisation: tests/integration/activities/test_api.py",
    Action.IMPORT_ACTIVITIES: "an upload: tests/integration/activities/test_import_page.py",
    Action.REVIEW_ACTIVITY_REPORTS: "needs a submitted report: tests/integration/activities",
    Action.MANAGE_REPORTING_PERIODS: "a JSON body validated before the role is checked: "
    "tests/integration/activities",
    Action.VIEW_BUDGETS: "no route of its own: budgets are shown or hidden in the activity "
    "answers (tests/integration/activities/test_reporting.py)",
    Action.MERGE_ORGANISATIONS: "command line only (itinera activities organisations)",
    Action.MANAGE_MONITORING_PLAN: "command line and pages: tests/integration/activities",
    Action.ANSWER_GATEWAY: "a JSON body validated before the role is checked: "
    "tests/integration/gateway",
    Action.MANAGE_GATEWAY_CHANNELS: "command line only (itinera gateway channels add)",
    Action.NAME_GATEWAY_FOCAL_POINTS: "command line only (itinera gateway focal-points add)",
}
WEB_ROLES = [r for r in Role if r is not Role.PUBLIC]


@pytest.fixture
def clients(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser, login: Login
) -> dict[Role, dict[str, str]]:
    return {r: login(anonymous_client, *make_user(sqlite_db, r.value)) for r in WEB_ROLES}


@pytest.mark.parametrize("action", sorted(REQUESTS, key=lambda a: a.value), ids=str)
def test_every_role_gets_what_the_matrix_says(
    anonymous_client: TestClient, clients: dict[Role, dict[str, str]], action: Action
) -> None:
    method, path, body = REQUESTS[action]
    wrong = []
    for role in Role:
        headers = clients.get(role, {})
        if role is Role.PUBLIC:
            anonymous_client.cookies.clear()
        answer = anonymous_client.request(method, path, headers=headers, json=body)
        allowed = action in MATRIX[role]
        refused = answer.status_code in {401, 403}
        if allowed == refused:
            wrong.append((role.value, answer.status_code, answer.text[:120]))
        if not allowed and role is not Role.PUBLIC:
            assert answer.status_code == 403, (role, answer.text)
    assert not wrong, f"{action.value}: {wrong}"


def test_every_action_is_exercised_or_explained() -> None:
    assert set(REQUESTS) | set(NOT_OVER_THE_API) == set(Action)
    assert not set(REQUESTS) & set(NOT_OVER_THE_API)
