"""The public pages over the demo data in a real Chromium (issue 12), in French and Arabic at
320 and 390 px: no element reaches outside the viewport (in right-to-left pages an overflow to
the right does not even scroll, so ``scrollWidth`` alone would miss it); the back link points
the way reading goes back; the key figures' period is chosen with a GET form that works
without script, with the sources' "data as of"; map groups count dead and missing persons."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from itinera.config import Settings
from itinera.services.setup import initialise

pytestmark = pytest.mark.e2e

PUBLIC = [
    "/",
    "/routes/central-mediterranean",
    "/routes/east-africa",
    "/services",
    "/services/routes/central-mediterranean",
    "/sources",
    "/login",
    "/help/{lang}",
    "/help/{lang}/services",
    "/help/{lang}/articles",
    "/help/{lang}/contact",
    "/help/{lang}/track",
]
# elements placed off screen on purpose (the skip link until focused, the form's honeypot)
OFF_SCREEN = ("skip", "trap")
OUTSIDE = """(offScreen) => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (offScreen.some((name) => el.classList.contains(name))) continue;
    let clipped = false;  // inside a box that scrolls or clips: the page itself stays put
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; }
    }
    if (!clipped && (box.right > width + 1 || box.left < -1)) {
      found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
    }
  }
  return found.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('public') / 'itinera.db'}"
    initialise(Settings(database_url=url, environment="test"), demo=True)
    return url


@pytest.fixture
def base_url(demo_url: str, live_server: Callable[[str], str]) -> str:
    return live_server(demo_url)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_public_page_reaches_outside_a_phone(page: Page, base_url: str, language: str) -> None:
    outside = {}
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in PUBLIC:
            url = f"{base_url}{path.format(lang=language)}?lang={language}"
            assert page.goto(url).ok, path  # type: ignore[union-attr]
            page.wait_for_load_state("networkidle")
            if found := page.evaluate(OUTSIDE, list(OFF_SCREEN)):
                outside[f"{path}@{width}"] = found
                Path("/tmp/pages").mkdir(exist_ok=True)
                name = path.strip("/").replace("/", "-").replace("{lang}", language) or "root"
                page.screenshot(path=f"/tmp/pages/outside-{language}-{width}-{name}.png")
    assert outside == {}, f"elements outside the {language} viewport: {outside}"


@pytest.mark.parametrize(("language", "arrow"), [("fr", "←"), ("ar", "→")])
def test_the_back_link_points_back_in_the_reading_direction(
    page: Page, base_url: str, language: str, arrow: str
) -> None:
    page.goto(f"{base_url}/routes/central-mediterranean?lang={language}")
    back = page.locator("main a[href^='/?lang=']").first
    expect(back).to_have_text(re.compile(rf"^{arrow} "))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_period_is_chosen_without_script_and_says_what_its_data_are(
    browser: Browser, base_url: str, language: str
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/?lang={language}")
        form = page.locator("#period-form")
        form.locator("input[name=from]").fill("2019-01")
        form.locator("input[name=to]").fill("2019-12")
        form.locator("button[type=submit]").click()
        months = {"fr": "janv. 2019 – déc. 2019", "ar": "يناير 2019 – ديسمبر 2019"}[language]
        expect(page.locator("#key-figures-title")).to_contain_text(months)  # Babel's names
        assert "from=2019-01" in page.url and "to=2019-12" in page.url
        # the three demo sources with their spans; UNHCR's end before 2019 does: noted
        expect(page.locator("#data-as-of li")).to_have_count(3)
        expect(page.locator("#coverage-note")).to_contain_text("UNHCR")
        page.goto(f"{base_url}/?lang={language}&from=2019-13")
        expect(page.locator("#period-error")).to_be_visible()
    finally:
        context.close()


def test_map_groups_count_dead_and_missing_not_grid_cells(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/?lang=fr")
    the_map = page.locator("#overview-map")
    expect(the_map).to_have_attribute("data-points-drawn", re.compile(r"^[1-9]"), timeout=15_000)
    points = int(the_map.get_attribute("data-points-drawn") or 0)
    singles = page.locator("path.incident-point").count()
    labels = page.locator(".marker-cluster span").all_inner_texts()
    assert labels, "no group drawn"
    counted = sum(int(re.sub(r"\D", "", label)) for label in labels)
    # every grid cell holds at least one dead or missing person, most hold several: a group
    # counting cells would show exactly the points it holds
    assert counted > points - singles
    first = page.locator("#period-form input[name=from]").input_value()
    last = page.locator("#period-form input[name=to]").input_value()
    assert the_map.get_attribute("data-points") == f"/api/incidents/points?from={first}&to={last}"
