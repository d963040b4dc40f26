"""Names from data never run as script, in every map and chart (issue 10, item 3).

A route and a service point are created through the API with names that are HTML. Each page
with a map or a chart is then opened in a real Chromium, the tooltips and popups opened, and
two defences are checked separately: the text reaches the DOM as text (no ``<img>`` element is
made from it, whatever the CSP), and the page breaks no rule of its Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x class=injected onerror="window.__xss=1">'
PASSWORD = "a long test password for the analyst"
ROUTE = {
    "id": "xss-route",
    "name": {"en": "Route " + PAYLOAD},
    "countries": [{"country": "FRA", "role": "transit"}, {"country": "GBR", "role": "destination"}],
    "legs": [{"from": "FRA", "to": "GBR", "mode": "sea"}],
}
POINT = {
    "name": "Point " + PAYLOAD,
    "kind": "multi-purpose-hub",
    "lat": 50.95,
    "lon": 1.85,
    "country": "FRA",
    "locality": PAYLOAD,
    "offers": [{"service_type": "shelter"}],
}


@pytest.fixture
def base_url(tmp_path: Path, live_server: Callable[[str], str]) -> str:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    accounts.create_organisation(db, SYSTEM, "Test NGO", "ngo")
    accounts.create_user(db, SYSTEM, "ana", "Test NGO", "analyst", PASSWORD)
    accounts.create_user(db, SYSTEM, "cora", "Test NGO", "coordinator", PASSWORD)
    db.dispose()
    return base


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page, failing the test on a CSP violation or script from data."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    assert page.evaluate("window.__xss") is None
    assert violations == []


def _create(page: Page, base: str) -> None:
    for username, path, body in (
        ("ana", "/api/routes", ROUTE),
        ("cora", "/api/services/points", POINT),
    ):
        login = page.request.post(
            f"{base}/api/auth/login", data={"username": username, "password": PASSWORD}
        )
        assert login.ok, login.text()
        token = {"Authorization": f"Bearer {login.json()['token']}"}
        created = page.request.post(f"{base}{path}", data=body, headers=token)
        assert created.status == 201, created.text()
    page.context.clear_cookies()


def _point_at(page: Page, selector: str, event: str) -> None:
    """Send ``event`` to the element itself (route lines overlap on the overview)."""
    target = page.locator(selector).first
    box = target.bounding_box()
    assert box is not None, selector
    centre = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
    target.dispatch_event(event, {**centre, "bubbles": True})


def _assert_text_only(page: Page, selector: str) -> None:
    box = page.locator(selector).last
    expect(box).to_contain_text("<img src=x", timeout=10_000)
    assert page.locator("img.injected").count() == 0


def test_the_overview_map_shows_a_route_name_as_text(watched: Page, base_url: str) -> None:
    _create(watched, base_url)
    watched.goto(f"{base_url}/?lang=en")
    the_map = watched.locator("#overview-map")
    expect(the_map).to_have_attribute("data-routes-drawn", "9", timeout=15_000)
    _point_at(watched, "path.route-xss-route", "mouseover")
    _assert_text_only(watched, ".leaflet-tooltip")
    _point_at(watched, "path.route-xss-route", "click")
    _assert_text_only(watched, ".leaflet-popup-content")


def test_the_route_page_map_and_charts_show_names_as_text(watched: Page, base_url: str) -> None:
    _create(watched, base_url)
    watched.goto(f"{base_url}/routes/xss-route?lang=en")
    expect(watched.locator("h1")).to_contain_text("<img src=x")
    expect(watched.locator("#route-map")).to_have_attribute(
        "data-routes-drawn", "1", timeout=15_000
    )
    # a dispatched mouseover reaches Leaflet even where another layer lies over the leg's path
    # (a pointer hover at its centre then hits that layer instead, and no tooltip opens)
    watched.locator("path.route-xss-route").first.dispatch_event("mouseover")
    _assert_text_only(watched, ".leaflet-tooltip")
    for canvas in watched.locator("canvas[data-chart]").all():
        expect(canvas).to_have_attribute("data-rendered", r"\d+", timeout=10_000)
    assert watched.locator("img.injected").count() == 0


def test_the_services_map_popup_shows_a_point_name_as_text(watched: Page, base_url: str) -> None:
    _create(watched, base_url)
    watched.goto(f"{base_url}/services?lang=en")
    the_map = watched.locator("#services-map")
    expect(the_map).to_have_attribute("data-points-drawn", "1", timeout=20_000)
    watched.locator("#services-map path.leaflet-interactive").last.click(force=True)
    _assert_text_only(watched, ".leaflet-popup-content")


def test_the_complementarity_map_shows_names_as_text(watched: Page, base_url: str) -> None:
    _create(watched, base_url)
    watched.goto(f"{base_url}/services/routes/xss-route?lang=en&k=1&service_types=shelter")
    the_map = watched.locator("#complementarity-map")
    expect(the_map).to_have_attribute("data-ready", "true", timeout=30_000)
    for marker in watched.locator("#complementarity-map path.leaflet-interactive").all():
        marker.hover(force=True)
    assert watched.locator("img.injected").count() == 0


def test_the_api_docs_run_under_the_policy(watched: Page, base_url: str) -> None:
    watched.goto(f"{base_url}/api/docs")
    expect(watched.locator(".swagger-ui .info .title")).to_contain_text("Itinera", timeout=20_000)
