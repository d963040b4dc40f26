"""The monitoring plan: catalogue plus user indicators, targets, progress from activities and
direct values, a page per indicator, the XLSX export with one sheet per pillar."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from itinera.domain.access import ANONYMOUS, SYSTEM, Actor, Role
from itinera.domain.activity import Activity, ActivityFigure, Aggregation
from itinera.domain.errors import PermissionDeniedError, ValidationError
from itinera.domain.monitoring_plan import MonitoringIndicator, Target
from itinera.services.accounts.users import create_organisation
from itinera.services.activities import monitoring, reporting
from itinera.storage.database import Database


def _partner_with_figures(db: Database, indicator: str) -> None:
    org = create_organisation(db, SYSTEM, "Alpha Aid", "ngo").id or 0
    partner = Actor("partner", frozenset({Role.SERVICE_PROVIDER}), 1, org)
    activity = reporting.add_activity(
        db, partner, Activity(None, org, "Health", 3, "LBY", indicator=indicator)
    )
    for month, reached in (("2025-01", 120), ("2025-02", 80)):
        reporting.set_period(db, SYSTEM, month, open=True)
        reporting.report_figures(
            db, partner, activity.id or 0, ActivityFigure(month, reached=reached)
        )


def test_catalogue_targets_and_progress_from_activities(sqlite_db: Database) -> None:
    codes = {i.code for i in monitoring.list_indicators(sqlite_db, ANONYMOUS)}
    assert {"people-assisted-in-transit", "assisted-returns"} <= codes
    _partner_with_figures(sqlite_db, "people-assisted-in-transit")
    coordinator = Actor("coordinator", frozenset({Role.COORDINATOR}), 2, None)
    monitoring.set_target(sqlite_db, coordinator, "people-assisted-in-transit", Target("2025", 400))
    done = monitoring.progress(sqlite_db, ANONYMOUS, "people-assisted-in-transit", 2025)
    assert done.months == {"2025-01": 120, "2025-02": 80}
    assert (done.total, done.target, done.share_of_target) == (200, 400, 0.5)
    assert done.on_track is False
    with pytest.raises(PermissionDeniedError):
        monitoring.set_target(sqlite_db, ANONYMOUS, "assisted-returns", Target("2025", 1))


def test_user_indicators_survive_a_catalogue_reload(sqlite_db: Database) -> None:
    mine = MonitoringIndicator(
        "women-in-safe-spaces",
        {"en": "Women using safe spaces", "fr": "Femmes fréquentant les espaces sûrs"},
        3,
        aggregation=Aggregation.MAX,
    )
    coordinator = Actor("coordinator", frozenset({Role.COORDINATOR}), 2, None)
    assert monitoring.save_indicator(sqlite_db, coordinator, mine) == "added"
    edited = replace(
        monitoring.get_indicator(sqlite_db, ANONYMOUS, "assisted-returns"), baseline=1200
    )
    monitoring.save_indicator(sqlite_db, coordinator, edited)
    assert monitoring.load_catalogue(sqlite_db).get("kept") == 1
    assert monitoring.get_indicator(sqlite_db, ANONYMOUS, "assisted-returns").baseline == 1200
    monitoring.record_value(sqlite_db, coordinator, mine.code, Target("2025-03", 30))
    monitoring.record_value(sqlite_db, coordinator, mine.code, Target("2025-04", 45))
    assert monitoring.progress(sqlite_db, ANONYMOUS, mine.code, 2025).total == 45  # cumulative
    with pytest.raises(ValidationError):
        monitoring.save_indicator(sqlite_db, coordinator, replace(mine, code="Bad Code"))


def test_xlsx_has_one_sheet_per_pillar_and_pages_show_the_trend(
    sqlite_db: Database, anonymous_client: TestClient
) -> None:
    _partner_with_figures(sqlite_db, "people-assisted-in-transit")
    workbook = load_workbook(io.BytesIO(monitoring.export_plan_xlsx(sqlite_db, SYSTEM, 2025)))
    assert workbook.sheetnames == [f"Pillar {n}" for n in range(1, 7)]
    rows = list(workbook["Pillar 3"].iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == "people-assisted-in-transit")
    assert row[11] == 200
    page = anonymous_client.get(
        "/activities/indicators/people-assisted-in-transit?year=2025&lang=fr"
    )
    assert page.status_code == 200 and "Évolution par rapport à la cible" in page.text
    assert "2025-02" in page.text
    plan = anonymous_client.get("/activities/plan?year=2025&lang=ar")
    assert plan.status_code == 200 and "خطة الرصد" in plan.text
    assert anonymous_client.get("/activities/indicators/nothing").status_code == 404
