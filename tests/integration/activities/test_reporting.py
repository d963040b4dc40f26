"""Partner reporting: each organisation edits only its own activities (every role checked),
periods opened and closed by a coordinator, corrections after closing with a reason, audited;
budgets only for the roles allowed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from itinera.domain.access import MATRIX, SYSTEM, Action, Actor, Role
from itinera.domain.activity import Activity, ActivityFigure, ReportState
from itinera.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from itinera.services.accounts import audit
from itinera.services.accounts.audit import AuditFilter
from itinera.services.accounts.users import create_organisation
from itinera.services.activities import reporting
from itinera.services.activities.gaps import gap_matrix
from itinera.storage.database import Database

LOGGED_IN = [r for r in Role if r is not Role.PUBLIC]


def _actor(role: Role, organisation_id: int, name: str = "") -> Actor:
    return Actor(name or f"{role.value}-{organisation_id}", frozenset({role}), 1, organisation_id)


@pytest.fixture
def two_partners(sqlite_db: Database) -> tuple[Database, int, int, Activity]:
    alpha = create_organisation(sqlite_db, SYSTEM, "Alpha Aid", "ngo").id or 0
    beta = create_organisation(sqlite_db, SYSTEM, "Beta Relief", "ngo").id or 0
    owner = _actor(Role.SERVICE_PROVIDER, alpha)
    activity = reporting.add_activity(
        sqlite_db,
        owner,
        Activity(
            None, alpha, "Health", 3, "LBY", title="Mobile clinic", budget=12_000, currency="EUR"
        ),
    )
    return sqlite_db, alpha, beta, activity


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_no_role_edits_another_organisations_activity(
    two_partners: tuple[Database, int, int, Activity], role: Role
) -> None:
    db, _alpha, beta, activity = two_partners
    outsider = _actor(role, beta)
    with pytest.raises(PermissionDeniedError):
        reporting.update_activity(db, outsider, activity.id or 0, replace(activity, title="x"))
    reporting.set_period(db, SYSTEM, "2025-03", open=True)
    with pytest.raises(PermissionDeniedError):
        reporting.report_figures(
            db, outsider, activity.id or 0, ActivityFigure("2025-03", reached=1)
        )
    assert reporting.get_activity(db, SYSTEM, activity.id or 0).title == "Mobile clinic"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_within_the_organisation_only_roles_that_enter_activities_edit(
    two_partners: tuple[Database, int, int, Activity], role: Role
) -> None:
    db, alpha, _beta, activity = two_partners
    colleague = _actor(role, alpha)
    change = replace(activity, title="Mobile clinic, two teams")
    if Action.ENTER_ACTIVITIES in MATRIX[role]:
        reporting.update_activity(db, colleague, activity.id or 0, change)
        assert reporting.get_activity(db, SYSTEM, activity.id or 0).title == change.title
    else:
        with pytest.raises(PermissionDeniedError):
            reporting.update_activity(db, colleague, activity.id or 0, change)


@pytest.mark.parametrize("role", LOGGED_IN, ids=lambda r: r.value)
def test_budgets_only_for_roles_allowed_or_the_own_organisation(
    two_partners: tuple[Database, int, int, Activity], role: Role
) -> None:
    db, alpha, beta, activity = two_partners
    others = reporting.get_activity(db, _actor(role, beta), activity.id or 0)
    own = reporting.get_activity(db, _actor(role, alpha), activity.id or 0)
    assert others.budget == (12_000 if Action.VIEW_BUDGETS in MATRIX[role] else None)
    assert own.budget == 12_000


def test_an_organisation_enters_only_its_own_activities(
    two_partners: tuple[Database, int, int, Activity],
) -> None:
    db, alpha, beta, activity = two_partners
    with pytest.raises(PermissionDeniedError):
        reporting.add_activity(db, _actor(Role.COORDINATOR, beta), replace(activity, id=None))
    with pytest.raises(ValidationError):
        reporting.add_activity(db, _actor(Role.COORDINATOR, alpha), replace(activity, pillar=9))


def test_report_submit_approve_close_and_correct_with_a_reason(
    two_partners: tuple[Database, int, int, Activity],
) -> None:
    db, alpha, beta, activity = two_partners
    partner = _actor(Role.SERVICE_PROVIDER, alpha, "partner-alpha")
    coordinator = _actor(Role.COORDINATOR, beta, "coordinator")
    activity_id = activity.id or 0
    with pytest.raises(ConflictError):  # no period open yet
        reporting.report_figures(db, partner, activity_id, ActivityFigure("2025-03", reached=40))
    with pytest.raises(PermissionDeniedError):
        reporting.set_period(db, partner, "2025-03", open=True)
    reporting.set_period(db, coordinator, "2025-03", open=True)
    assert [o.name for o in reporting.reminders(db, coordinator, "2025-03")] == ["Alpha Aid"]
    reporting.report_figures(db, partner, activity_id, ActivityFigure("2025-03", 500, 200, 40))
    assert reporting.reminders(db, coordinator, "2025-03") == []
    reporting.submit_report(db, partner, activity_id, "2025-03")
    with pytest.raises(PermissionDeniedError):
        reporting.review_report(db, partner, activity_id, "2025-03", approve=True)
    reporting.review_report(db, coordinator, activity_id, "2025-03", approve=False)
    reporting.report_figures(db, partner, activity_id, ActivityFigure("2025-03", 500, 200, 45))
    reporting.submit_report(db, partner, activity_id, "2025-03")
    reporting.review_report(db, coordinator, activity_id, "2025-03", approve=True)
    [figure] = reporting.get_activity(db, SYSTEM, activity_id).figures
    assert (figure.reached, figure.state) == (45, ReportState.APPROVED)

    reporting.set_period(db, coordinator, "2025-03", open=False)
    with pytest.raises(ConflictError):
        reporting.report_figures(db, partner, activity_id, ActivityFigure("2025-03", reached=50))
    with pytest.raises(ValidationError):
        reporting.correct_figures(
            db, partner, activity_id, ActivityFigure("2025-03", reached=50), ""
        )
    reporting.correct_figures(
        db, partner, activity_id, ActivityFigure("2025-03", 500, 200, 52), "late field sheets"
    )
    [figure] = reporting.get_activity(db, SYSTEM, activity_id).figures
    assert (figure.reached, figure.state) == (52, ReportState.APPROVED)
    matrix = gap_matrix(db, SYSTEM, "central-mediterranean", 2025)
    libya = next(r for r in matrix["countries"] if r["country"] == "LBY")
    assert (libya["pillars"]["3"]["reached"], libya["pillars"]["3"]["targeted"]) == (52, 200)
    actions = [
        e.action
        for e in audit.list_entries(
            db, SYSTEM, AuditFilter(entity="activity", entity_id=str(activity_id))
        )
    ]
    assert "correct_activity_figures" in actions
    assert actions.count("approve_activity_report") == 1
    assert actions.count("return_activity_report") == 1
    assert all("late field" not in str(e.detail) for e in audit.list_entries(db, SYSTEM))


def test_reminders_name_partners_with_a_running_activity_and_no_report(
    two_partners: tuple[Database, int, int, Activity],
) -> None:
    from datetime import date

    db, alpha, beta, activity = two_partners
    ended = reporting.add_activity(
        db,
        _actor(Role.SERVICE_PROVIDER, beta),
        Activity(None, beta, "Shelter", 3, "LBY", end=date(2024, 12, 31)),
    )
    reporting.set_period(db, SYSTEM, "2025-03", open=True)
    assert [o.id for o in reporting.reminders(db, SYSTEM, "2025-03")] == [alpha]
    reporting.report_figures(
        db, _actor(Role.SERVICE_PROVIDER, alpha), activity.id or 0, ActivityFigure("2025-03", 1)
    )
    assert reporting.reminders_due(db, SYSTEM) == {"2025-03": []}
    assert ended.id is not None
