"""Partner entry in a real Chromium at 390 px, in Arabic and French: a partner adds an activity
(the missing sector shown next to its field first), reports figures of the open period and
submits them; the coordinator approves the report on the activity's page. No page scrolls
sideways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.services.activities import reporting
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"
SHOTS = Path("/tmp/itinera-activities-shots")
WORDS = {
    "fr": {
        "save": "Enregistrer",
        "draft": "Enregistrer comme brouillon",
        "submitted": "soumis",
        "approve": "Approuver",
        "approved": "approuvé",
        "sector": "Secteur",
    },
    "ar": {
        "save": "حفظ",
        "draft": "حفظ كمسودة",
        "submitted": "مقدَّم",
        "approve": "اعتماد",
        "approved": "معتمد",
        "sector": "القطاع",
    },
}


def _login(page: Page, base: str, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login?lang={language}&next=/activities")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_partner_reports_and_coordinator_approves_at_390px(
    page: Page, tmp_path: Path, live_server: Callable[..., str], language: str
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Alpha Aid", "ngo")
        accounts.create_organisation(db, SYSTEM, "Coordination", "un")
        accounts.create_user(db, SYSTEM, "amal", "Alpha Aid", "service_provider", PASSWORD)
        accounts.create_user(db, SYSTEM, "coord", "Coordination", "coordinator", PASSWORD)
        reporting.set_period(db, SYSTEM, "2025-03", open=True)
    finally:
        db.dispose()
    words = WORDS[language]
    page.set_viewport_size({"width": 390, "height": 844})
    SHOTS.mkdir(exist_ok=True)

    _login(page, base, "amal", language)
    page.goto(f"{base}/activities/new?lang={language}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    page.locator("#f-title").fill("Mobile clinic")
    page.locator("#f-pillar").select_option("3")
    page.locator("#f-country").select_option("LBY")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator("#f-sector-error")).to_contain_text(words["sector"])
    expect(page.locator("#f-title")).to_have_value("Mobile clinic")  # what was typed is kept
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"form-error-{language}.png"), full_page=True)
    page.locator("#f-sector").fill("Health")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator("h1")).to_have_text("Mobile clinic")
    activity_path = page.url.split(base)[1].split("?")[0]

    page.locator("#f-targeted").fill("500")
    page.locator("#f-reached").fill("120")
    page.get_by_role("button", name=words["draft"]).click()
    page.locator("button.submit-report").click()
    expect(page.locator("li[data-period='2025-03'] .badge")).to_have_text(words["submitted"])
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"activity-{language}.png"), full_page=True)

    _login(page, base, "coord", language)
    page.goto(f"{base}/activities/periods?lang={language}")
    page.locator("#waiting a").click()
    expect(page).to_have_url(f"{base}{activity_path}?lang={language}")
    page.get_by_role("button", name=words["approve"]).click()
    expect(page.locator("li[data-period='2025-03'] .badge")).to_have_text(words["approved"])
    _no_sideways_scroll(page)
    page.goto(f"{base}/activities/periods?lang={language}")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / f"periods-{language}.png"), full_page=True)
