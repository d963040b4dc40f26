"""The administrator's users page on a phone, in French and Arabic: reached from the header,
a user deactivated with one button, the notice after the redirect, no page wider than 390 px."""

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
NOTICE = {"fr": "Le compte est désactivé.", "ar": "تم تعطيل الحساب."}


def _overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_administrator_deactivates_a_user_on_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[..., str], language: str
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url, key_file=tmp_path / "field.key")
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Reception Melilla", "ngo")
        accounts.create_user(db, SYSTEM, "amal", "Reception Melilla", "administrator", PASSWORD)
        accounts.create_user(db, SYSTEM, "nadia", "Reception Melilla", "caseworker", PASSWORD)
    finally:
        db.dispose()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/login?lang={language}")
    page.locator("input[name=username]").fill("amal")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/home")

    page.locator('a[data-nav="users"]').click()
    card = page.locator('li[data-user="nadia"]')
    expect(card).to_be_visible()
    expect(page.locator('li[data-user="amal"] form')).to_have_count(0)  # not oneself
    assert _overflow(page) <= 0, "the users page is wider than the phone"
    page.screenshot(path=str(tmp_path / f"users-{language}.png"), full_page=True)

    card.locator("form[action*='/active'] button").click()
    expect(page.locator("#users-notice")).to_contain_text(NOTICE[language])
    expect(card.locator("form[action*='/active'] button")).to_be_visible()
    assert _overflow(page) <= 0
    page.screenshot(path=f"/tmp/work/s3/users-done-{language}.png", full_page=True)
