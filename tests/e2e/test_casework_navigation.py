"""Casework you can move around in, on a phone, in French and Arabic: after login the
caseworker lands on her home, reaches her cases and the referrals sent from the header
without typing a URL, screens a case, and no page is wider than the 390 px viewport."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.engines.crypto import generate_key
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"
CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the viewport (0 when it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_caseworker_finds_her_cases_from_her_home_on_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[..., str], language: str
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(
        url, field_key=base64.b64encode(generate_key()).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Reception Melilla", "ngo")
        accounts.create_user(db, SYSTEM, "nadia", "Reception Melilla", "caseworker", PASSWORD)
    finally:
        db.dispose()
    page.set_viewport_size({"width": 390, "height": 800})
    token = page.request.post(
        f"{base}/api/auth/login", data={"username": "nadia", "password": PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    case_id = page.request.post(f"{base}/api/cases", data=CASE, headers=bearer).json()["id"]
    page.context.clear_cookies()

    page.goto(f"{base}/login?lang={language}")
    page.locator("input[name=username]").fill("nadia")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/home")
    expect(page.locator("#home-cases")).to_contain_text(case_id)
    assert _overflow(page) <= 0, "the home is wider than the phone"
    page.screenshot(path=f"/tmp/pages/home-{language}.png", full_page=True)

    page.locator('a[data-nav="cases"]').click()
    page.locator("#f-number").fill(case_id[-4:])
    page.locator("form.filters-form button[type=submit]").click()
    expect(page.locator(f'li[data-case="{case_id}"]')).to_be_visible()
    assert _overflow(page) <= 0, "the case list is wider than the phone"
    page.screenshot(path=f"/tmp/pages/cases-{language}.png", full_page=True)

    page.locator(f'li[data-case="{case_id}"] a').click()
    page.locator("select[name=travelling_with]").select_option("alone")
    page.locator("#screening button[type=submit]").click()
    expect(page.locator('article.flag[data-flag="unaccompanied-separated-child"]')).to_be_visible()
    page.reload()  # post/redirect/get: a reload shows the result and screens nothing again
    expect(page.locator('article.flag[data-flag="unaccompanied-separated-child"]')).to_be_visible()
    assert "unaccompanied-separated-child" not in page.locator("#screening-result h3").inner_text()
    assert _overflow(page) <= 0, "the case page is wider than the phone"
    page.screenshot(path=f"/tmp/pages/case-{language}.png", full_page=True)
    screenings = page.request.get(f"{base}/api/cases/{case_id}", headers=bearer).json()
    assert len(screenings["screenings"]) == 1

    page.locator('a[data-nav="sent"]').click()
    expect(page.locator("h1")).not_to_have_text("Referrals sent")
    assert _overflow(page) <= 0, "the referrals sent are wider than the phone"
