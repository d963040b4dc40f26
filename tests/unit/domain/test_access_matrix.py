"""Every role against every action, against a table written here by hand (not from MATRIX)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from itinera.domain.access import (
    ANONYMOUS,
    MATRIX,
    SYSTEM,
    Action,
    Actor,
    Role,
    can,
    matrix_markdown,
    require,
)
from itinera.domain.errors import PermissionDeniedError

PUBLIC = {"view_routes", "view_aggregates", "view_services"}
CASEWORK = {
    "register_case",
    "view_case",
    "edit_case",
    "screen_case",
    "refer_case",
    "receive_referral",
    "update_referral",
}
MONITORING = {"record_field_monitoring", "view_internal_monitoring"}
PARTNER = {"view_activities", "enter_activities"}
ACTIVITY_COORDINATION = {
    "import_activities",
    "review_activity_reports",
    "manage_reporting_periods",
    "view_budgets",
    "merge_organisations",
    "manage_monitoring_plan",
}
GATEWAY = {"view_gateway_queue", "answer_gateway"}
EXPECTED: dict[str, set[str]] = {
    "administrator": {
        "view_routes",
        "edit_routes",
        "view_aggregates",
        "view_exact_figures",
        "import_movements",
        "manage_sources",
        "view_services",
        "edit_services",
        "import_services",
        "manage_organisations",
        "manage_users",
        "manage_tokens",
        "view_audit",
        "export_audit",
        "apply_retention",
        "manage_screening_rules",
        "erase_case",
        "export_cases_pseudonymised",
        "run_tracing_match",
        "export_tracing",
        "manage_gateway_channels",
        "name_gateway_focal_points",
        "edit_gateway_articles",
        *MONITORING,
    }
    | PARTNER
    | ACTIVITY_COORDINATION,
    "analyst": PUBLIC
    | MONITORING
    | {
        "edit_routes",
        "view_exact_figures",
        "import_movements",
        "manage_sources",
        "view_activities",
    },
    "coordinator": PUBLIC
    | CASEWORK
    | GATEWAY
    | PARTNER
    | ACTIVITY_COORDINATION
    | {
        "edit_gateway_articles",
        "view_exact_figures",
        "edit_services",
        "import_services",
        "erase_case",
        "export_cases_pseudonymised",
        *MONITORING,
    },
    "caseworker": PUBLIC | CASEWORK | GATEWAY | {"view_activities"},
    "service_provider": PUBLIC | {"receive_referral", "update_referral"} | PARTNER,
    "gateway_agent": PUBLIC
    | GATEWAY
    | {
        "edit_gateway_articles",
        "register_case",
        "view_case",
        "screen_case",
        "refer_case",
        "view_activities",
    },
    "tracing": PUBLIC
    | {
        "request_tracing",
        "review_tracing",
        "run_tracing_match",
        "export_tracing",
        "view_activities",
    },
    "official": PUBLIC | {"view_activities"},
    "public": PUBLIC,
}

CASES = [(role, action) for role in Role for action in Action]


def test_the_expected_table_names_every_role_and_only_real_actions() -> None:
    assert set(EXPECTED) == {r.value for r in Role}
    known = {a.value for a in Action}
    for allowed in EXPECTED.values():
        assert allowed <= known


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_role_against_action(role: Role, action: Action) -> None:
    actor = Actor(f"someone-{role.value}", frozenset({role}), user_id=1, organisation_id=1)
    allowed = action.value in EXPECTED[role.value]
    assert can(actor, action) is allowed
    if allowed:
        require(actor, action)
    else:
        with pytest.raises(PermissionDeniedError, match=action.value.replace("_", " ")):
            require(actor, action)


def test_anonymous_and_system() -> None:
    assert {a.value for a in Action if can(ANONYMOUS, a)} == EXPECTED["public"]
    assert {a.value for a in Action if can(SYSTEM, a)} == EXPECTED["administrator"]


def test_no_role_may_read_cases_without_being_in_casework() -> None:
    readers = {r.value for r in Role if Action.VIEW_CASE in MATRIX[r]}
    assert readers == {"coordinator", "caseworker", "gateway_agent"}


def test_docs_access_md_shows_the_current_matrix() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "access.md"
    pattern = r"<!-- matrix:start -->\n(.*?)<!-- matrix:end -->"
    found = re.search(pattern, doc.read_text("utf-8"), re.S)
    assert found, "docs/access.md lost its matrix markers"
    assert found.group(1) == matrix_markdown(), "run scripts/access-doc to regenerate the table"
