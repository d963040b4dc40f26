"""Service lists in a real Chromium: a coordinator logs in, imports the real IFR Poland 2022
list through the import page, sees the points on the map, then edits a point: a bad
coordinate is refused next to its field, the fixed one is saved."""

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
SPOTS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "service-points-ifr-poland-2022"
    / "spots.derived.csv"
)


@pytest.mark.shared_data
def test_a_coordinator_imports_the_list_sees_the_map_and_fixes_a_coordinate(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Polish Red Cross", "red-cross-red-crescent")
        accounts.create_user(db, SYSTEM, "marta", "Polish Red Cross", "coordinator", PASSWORD)
    finally:
        db.dispose()

    page.goto(f"{base}/services/import?lang=en")  # not logged in: the login page first
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Import a service list")

    page.get_by_label("Format", exact=True).select_option("table")
    page.get_by_label("Service list file").set_input_files(str(SPOTS))
    page.get_by_label("Saved mapping name (table format)").fill("ifr-poland-2022")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "imported")
    added = int(page.locator("#points-added").inner_text())
    assert added > 0

    page.locator("#see-map").click()
    expect(page.locator("#services-map")).to_have_attribute(
        "data-points-drawn", str(added), timeout=20_000
    )
    expect(page.locator("#directory-count")).to_have_attribute("data-total", str(added))
    page.locator("#directory li.service-card").first.locator("a").first.click()
    point_url = page.url.split("?")[0]

    page.locator("#edit-point").click()
    good_lat = page.locator("#lat").input_value()
    page.locator("#lat").fill("95.5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-lat")).to_contain_text("outside -90..90")
    expect(page.locator("#lat")).to_have_value("95.5")  # kept as typed, nothing saved
    assert page.request.get(point_url.replace("/services/", "/api/services/")).json()[
        "lat"
    ] == float(good_lat)

    page.locator("#lat").fill("50.0615")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{point_url}?lang=en")
    expect(page.locator("dl.panel")).to_contain_text("50.0615")
    stored = page.request.get(point_url.replace("/services/", "/api/services/")).json()
    assert (stored["lat"], stored["version"]) == (50.0615, 2)
