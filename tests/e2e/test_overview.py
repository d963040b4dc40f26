"""The overview map in a real Chromium: eight routes drawn and listed; Arabic is rtl."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

EIGHT = {
    "west-africa-atlantic",
    "western-mediterranean",
    "central-mediterranean",
    "east-africa",
    "eastern-mediterranean",
    "gulf-of-aden",
    "south-west-asia-europe",
    "southern-africa",
}


@pytest.fixture
def base_url(tmp_path: Path, live_server: Callable[[str], str]) -> str:
    return live_server(f"sqlite:///{tmp_path / 'e2e.db'}")


def test_overview_draws_all_eight_routes_over_country_shapes(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=en")
    the_map = page.locator("#overview-map")
    expect(the_map).to_have_attribute("data-routes-drawn", "8", timeout=15_000)
    assert set(the_map.get_attribute("data-route-ids").split()) == EIGHT
    for route_id in EIGHT:
        assert page.locator(f"path.route-{route_id}").count() >= 1, route_id
    # country shapes come from the locally served world-atlas file, not a tile server
    assert page.locator(".leaflet-overlay-pane path:not(.route-line)").count() > 100
    expect(page.locator("#route-list li")).to_have_count(8)


def test_clicking_a_route_opens_its_page(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=en")
    page.get_by_role("link", name="Central Mediterranean route").click()
    expect(page.locator("h1")).to_have_text("Central Mediterranean route")
    expect(page.locator("#route-map")).to_have_attribute("data-routes-drawn", "1", timeout=15_000)
    expect(page.locator("ol.legs li").first).to_be_visible()


def test_arabic_overview_is_right_to_left(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("مسارات التحركات المختلطة")
    expect(page.locator("#overview-map")).to_have_attribute(
        "data-routes-drawn", "8", timeout=15_000
    )


def test_the_page_makes_no_request_outside_this_machine(page: Page, base_url: str) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    page.goto(f"{base_url}/")
    expect(page.locator("#overview-map")).to_have_attribute(
        "data-routes-drawn", "8", timeout=15_000
    )
    assert [u for u in outside if not u.startswith("data:")] == []
