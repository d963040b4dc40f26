"""Field entry in a real Chromium on a phone-sized screen: an analyst logs in, records an
observation in Arabic (right to left), sees identifying text refused beside the form, and the
route page counts the entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"


def test_an_analyst_records_an_observation_on_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Field NGO", "ngo")
        accounts.create_user(db, SYSTEM, "amina", "Field NGO", "analyst", PASSWORD)
    finally:
        db.dispose()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/field/new?lang=en")  # not logged in: the login page first
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/field/new?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("الرصد الميداني")
    form = page.locator("#observation-form")
    form.locator("select[name=route_id]").select_option("central-mediterranean")
    form.locator("select[name=incident_type]").select_option("kidnapping")
    form.locator("input[name=place]").fill("Sabha")
    form.locator("input[name=date_from]").fill("2024-02-10")
    form.locator("input[name=persons]").fill("7")
    form.locator("select[name=confidentiality]").select_option("public")
    form.locator("textarea[name=description]").fill("call +218 91 234 5678")
    form.locator("button[type=submit]").click()
    expect(page.locator("#form-errors")).to_contain_text("phone")
    box = page.locator("#observation-form").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # fits
    form = page.locator("#observation-form")
    form.locator("textarea[name=description]").fill("Group held for ransom on the road north")
    form.locator("button[type=submit]").click()
    expect(page.locator("#saved")).to_be_visible()
    page.goto(f"{base}/routes/central-mediterranean?lang=fr&from=2024-01&to=2024-03")
    expect(page.locator("#route-risks")).to_contain_text("Enlèvement")


def test_the_risk_analysis_page_maps_the_route_in_arabic_on_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    import datetime as dt

    from itinera.domain.access import Actor, Role
    from itinera.domain.monitoring import Confidentiality, RiskObservation
    from itinera.services.monitoring import entries

    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        day = dt.date(2024, 2, 10)
        entries.create_observation(
            db,
            Actor("field-analyst", frozenset({Role.ANALYST})),
            RiskObservation(
                "kidnapping",
                "central-mediterranean",
                day,
                day,
                "interview",
                "b",
                "2",
                Confidentiality.PUBLIC,
                place="Sabha",
                latitude=27.04,
                longitude=14.43,
                persons=7,
            ),
        )
    finally:
        db.dispose()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/field/analysis?lang=ar&route_id=central-mediterranean")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#risk-map")).to_have_attribute("data-risk-points-drawn", "1")
    expect(page.locator("#counts-incident_type")).to_contain_text("اختطاف")
    table = page.locator("#counts-month").bounding_box()
    assert table is not None and table["x"] >= 0 and table["x"] + table["width"] <= 390, table
    page.screenshot(path=str(tmp_path / "field-analysis-ar.png"), full_page=True)
    artefacts = Path("/tmp/itinera-test-artefacts")
    artefacts.mkdir(exist_ok=True)
    page.screenshot(path=str(artefacts / "field-analysis-ar-390.png"), full_page=True)
