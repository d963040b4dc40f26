"""Service maps in a real Chromium: clustered points with filters; a route's complementarity."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.services_map.imports import import_services
from itinera.storage.database import Database

pytestmark = [pytest.mark.e2e, pytest.mark.shared_data]

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def base_url(tmp_path: Path, live_server: Callable[[str], str]) -> str:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    import_services(
        db,
        SYSTEM,
        DATA / "service-points-ifr-poland-2022" / "spots.derived.csv",
        format="table",
        mapping="ifr-poland-2022",
    )
    db.dispose()
    return base


def test_map_clusters_points_and_filters_narrow_them(page: Page, base_url: str) -> None:
    everything = page.request.get(f"{base_url}/api/services").json()
    page.goto(f"{base_url}/services?lang=en")
    the_map = page.locator("#services-map")
    expect(the_map).to_have_attribute("data-points-drawn", str(len(everything)), timeout=20_000)
    expect(page.locator("#services-map .marker-cluster").first).to_be_visible()
    # a page of cards, not hundreds of rows; the count says how many match
    expect(page.locator("#directory li.service-card")).to_have_count(min(25, len(everything)))
    expect(page.locator("#directory-count")).to_have_attribute("data-total", str(len(everything)))
    wanted = page.request.get(f"{base_url}/api/services?type=health-first-aid&q=medyka").json()
    assert 0 < len(wanted) < len(everything)
    page.select_option("#filter-type", "health-first-aid")
    page.fill("#filter-q", "medyka")
    page.click("form.filters button[type=submit]")
    expect(the_map).to_have_attribute("data-points-drawn", str(len(wanted)), timeout=20_000)
    rows = page.locator("#directory li.service-card")
    expect(rows).to_have_count(min(25, len(wanted)))
    assert all("Health care and first aid" in text for text in rows.all_inner_texts())
    rows.first.locator("a").first.click()
    expect(page.locator("#offers")).to_contain_text("Health care and first aid")


def test_route_complementarity_page_shows_gaps_and_sites(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/services/routes/central-mediterranean?lang=en&k=2&service_types=shelter")
    the_map = page.locator("#complementarity-map")
    expect(the_map).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(the_map).to_have_attribute("data-sites-drawn", "2")
    assert page.locator("path.hub-site").count() == 2
    assert int(the_map.get_attribute("data-gaps-drawn") or "0") > 0
    assert page.locator("path.gap-line").count() == int(
        the_map.get_attribute("data-gaps-drawn") or "0"
    )
    expect(page.locator("#siting-table tbody tr")).to_have_count(2)
    page.click("button[data-show-type=legal-aid]")
    expect(the_map).to_have_attribute("data-service-type", "legal-aid")
    expect(page.locator("tr[data-service-type=legal-aid]")).to_have_class("selected")
