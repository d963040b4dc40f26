"""The dashboard in a real Chromium, over real data (IOM Missing Migrants 2026 and Frontex
detections imported once per module): routes drawn by flow and incident points clustered on the
overview; the Central Mediterranean page with its charts; Arabic right to left."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.movements import import_file
from itinera.services.setup import initialise
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MMP_2026 = DATA / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
FRONTEX = DATA / "frontex-ibc-2025-06" / "Monthly_detections_of_IBC_as_of_2025-06-03.xlsx"
NUMBER = re.compile(r"^[1-9]\d*$")
CHARTS = ("chart-flow", "chart-dead", "chart-nationality", "chart-country")


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not MMP_2026.exists() or not FRONTEX.exists():
        pytest.skip(f"shared data not found under {DATA}")
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'itinera.db'}"
    initialise(Settings(database_url=url, environment="test"))
    db = Database(url)
    import_file(db, SYSTEM, "missing-migrants", MMP_2026)
    import_file(db, SYSTEM, "frontex", FRONTEX)
    db.dispose()
    return url


@pytest.fixture
def base_url(loaded_url: str, live_server: Callable[[str], str]) -> str:
    return live_server(loaded_url)


def test_overview_draws_routes_by_flow_and_clusters_incident_points(
    page: Page, base_url: str
) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    page.goto(f"{base_url}/?lang=en")
    the_map = page.locator("#overview-map")
    expect(the_map).to_have_attribute("data-routes-drawn", "8", timeout=15_000)
    expect(the_map).to_have_attribute("data-points-drawn", NUMBER, timeout=15_000)
    points = int(the_map.get_attribute("data-points-drawn") or 0)
    # dense points are grouped: fewer markers on the map than points
    clusters = page.locator(".marker-cluster").count()
    singles = page.locator("path.incident-point").count()
    assert clusters >= 1 and clusters + singles < points
    # the busiest route of the latest month is drawn wider than a route without a figure
    central = page.locator("path.route-central-mediterranean").first.get_attribute("stroke-width")
    southern = page.locator("path.route-southern-africa").first.get_attribute("stroke-width")
    assert float(central or 0) > float(southern or 0)
    expect(page.locator("#key-figures tbody tr")).to_have_count(8)
    expect(page.locator("#map-legend")).to_contain_text("flow")
    expect(page.locator("#open-alerts")).to_be_visible()
    assert [u for u in outside if not u.startswith("data:")] == []


def test_central_mediterranean_page_shows_its_charts(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=en")
    page.get_by_role("link", name="Central Mediterranean route").first.click()
    expect(page.locator("h1")).to_have_text("Central Mediterranean route")
    for chart in CHARTS:
        expect(page.locator(f"#{chart}")).to_have_attribute("data-rendered", NUMBER, timeout=10_000)
    # no source gives arrivals here: the mortality rate has no figure, and says so (no axes)
    expect(page.locator("#chart-mortality-empty")).to_have_text("No figure for this period.")
    expect(page.locator("#chart-mortality")).to_have_count(0)
    expect(page.locator("#chart-dead-figure h3")).to_have_text("Dead and missing per month")
    expect(page.locator("#mortality-rate")).to_be_visible()
    expect(page.locator("#chart-nationality-figure details table tbody tr").first).to_be_attached()
    expect(page.locator("#route-alerts")).to_be_attached()
    expect(page.locator("#data-sources")).to_contain_text("iom-mmp")
    csv = page.locator("#chart-dead-figure a.csv").get_attribute("href") or ""
    answer = page.request.get(base_url + csv)
    assert answer.ok and answer.text().startswith("route_id,indicator,unit,month,value")
    # the dead-and-missing table says what the chart draws, months named as the reader says
    first_row = page.locator("#chart-dead-figure tbody tr").first
    expect(first_row.locator("th")).to_have_text(re.compile(r"^[A-Z][a-z]{2} \d{4}$"))


def test_arabic_route_page_is_right_to_left_and_its_charts_render(
    page: Page, base_url: str
) -> None:
    page.goto(
        f"{base_url}/routes/central-mediterranean?lang=ar&from=2026-01&to=2026-04"
        "&indicator=dead_and_missing"
    )
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#chart-dead")).to_have_attribute("data-rendered", "4", timeout=10_000)
    expect(page.locator("#chart-mortality-empty")).to_have_text("لا توجد أرقام لهذه الفترة.")
    box = page.locator("#chart-dead").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    # the time axis and its table name the months in Arabic (Babel), not 2026-01
    first_row = page.locator("#chart-dead-figure tbody tr").first
    expect(first_row.locator("th")).to_have_text("يناير 2026")
    expect(page.locator("#route-key-figures")).to_contain_text("يناير 2026 – أبريل 2026")
    # and the time axis starts on the right, where an Arabic reader starts
    first, last = page.evaluate(
        "() => { const x = Chart.getChart(document.getElementById('chart-dead')).scales.x;"
        " return [x.getPixelForValue(0), x.getPixelForValue(3)]; }"
    )
    assert first > last, (first, last)
