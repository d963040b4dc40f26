"""Logging in and out in a real Chromium: wrong password refused, session cookie HttpOnly."""

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


def test_a_caseworker_logs_in_sees_their_name_and_logs_out(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Croix-Rouge française", "ngo", "CRF")
        accounts.create_user(db, SYSTEM, "nadia", "CRF", "caseworker", PASSWORD)
    finally:
        db.dispose()

    page.goto(f"{base}/?lang=en")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()

    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header .user")).to_have_text("nadia")
    session = next(c for c in page.context.cookies() if c["name"] == "itinera_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not any(c["name"] == "itinera_session" for c in page.context.cookies())
