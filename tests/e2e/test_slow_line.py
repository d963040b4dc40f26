"""Weight and speed in a browser: on an emulated 1.6 Mbit/s line with 150 ms latency, the
overview's map shows its routes over the country shapes within 3 s; a second visit gets the
static files from the browser's cache (content-hashed URLs served immutable)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SLOW_LINE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
BUDGET_SECONDS = 3.0


def test_the_overview_is_usable_within_3_s_on_a_slow_line(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    base = live_server(f"sqlite:///{tmp_path / 'e2e.db'}")
    page.goto(f"{base}/login?lang=fr")  # warm the server (templates, catalogue), not the page
    page.context.clear_cookies()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_LINE)
    started = time.monotonic()
    page.goto(f"{base}/?lang=fr")
    the_map = page.locator("#overview-map")
    expect(the_map).to_have_attribute("data-routes-drawn", "8", timeout=15_000)
    elapsed = time.monotonic() - started
    assert page.locator(".leaflet-overlay-pane path:not(.route-line)").count() > 100
    assert elapsed <= BUDGET_SECONDS, f"the map took {elapsed:.1f} s on the slow line"

    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    page.goto(f"{base}/?lang=fr")
    expect(the_map).to_have_attribute("data-routes-drawn", "8", timeout=15_000)
    cached = []
    page.on("response", lambda r: cached.append(r.url) if "/static/" in r.url else None)
    page.reload()
    expect(the_map).to_have_attribute("data-routes-drawn", "8", timeout=15_000)
    assert all("?v=" in url for url in cached), cached
