"""The screening rules editor on a phone, in French and Arabic (issue 12): reached from the
header, a preview on sample answers, a wrong draft refused with the error under the rules and
the typed text kept, a corrected draft saved and made active, no page wider than 390 px."""

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
SAVED = {"fr": "La version 2 est enregistrée.", "ar": "حُفظت النسخة 2."}
LINE = {"fr": "à la ligne 11", "ar": "في السطر 11"}


def _overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_administrator_edits_previews_and_saves_rules_on_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[..., str], language: str
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url, key_file=tmp_path / "field.key")
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Reception Melilla", "ngo")
        accounts.create_user(db, SYSTEM, "amal", "Reception Melilla", "administrator", PASSWORD)
    finally:
        db.dispose()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/login?lang={language}")
    page.locator("input[name=username]").fill("amal")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/home")

    page.locator('a[data-nav="screening-rules"]').click()
    expect(page.locator('li[data-version="1"][data-active="true"]')).to_be_visible()
    assert _overflow(page) <= 0, "the versions page is wider than the phone"
    page.locator("#edit-active").click()

    rules = page.locator("#f-rules_text")
    original = rules.input_value()
    page.locator("input[name=age_years]").fill("15")
    page.locator("select[name=travelling_with]").select_option("alone")
    page.locator("#preview-button").click()
    result = page.locator("#preview-result")
    expect(result.locator('[data-flag="unaccompanied-separated-child"]')).to_be_visible()
    expect(result.locator('[data-pathway="child-protection"]')).to_be_visible()
    expect(page.locator("input[name=age_years]")).to_have_value("15")
    assert _overflow(page) <= 0, "the preview is wider than the phone"

    broken = original.replace(
        "question: travelling_with, values", "question: travelling_wit, values", 1
    )
    rules.fill(broken)
    page.locator("#f-comment").fill("Seuil revu" if language == "fr" else "مراجعة العتبة")
    page.locator("#save-button").click()
    error = page.locator("#f-rules_text-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(LINE[language])
    expect(error).to_contain_text("travelling_wit")
    assert "travelling_wit" in rules.input_value()  # what was typed comes back
    assert _overflow(page) <= 0, "the refused form is wider than the phone"
    page.screenshot(path=str(tmp_path / f"rules-error-{language}.png"), full_page=True)

    rules.fill(original.replace("value: 18}", "value: 18}", 1))
    page.locator("input[name=activate]").check()
    page.locator("#save-button").click()
    expect(page.locator("#screening-notice")).to_contain_text(SAVED[language])
    expect(page.locator('li[data-version="2"][data-active="true"]')).to_be_visible()
    assert _overflow(page) <= 0
    page.screenshot(path=str(tmp_path / f"rules-saved-{language}.png"), full_page=True)
