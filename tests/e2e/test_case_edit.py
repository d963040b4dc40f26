"""Casework in a real Chromium: a caseworker edits a case, sees the conflict message when a
colleague saved first, and withdraws consent for referral, in French."""

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


def test_edit_conflict_and_consent_withdrawal(
    page: Page, tmp_path: Path, live_server: Callable[..., str]
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

    page.goto(f"{base}/login?lang=en&next=/cases/new")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for label, value in [
        ("Given name", "Amina"),
        ("Family name", "Testperson"),
        ("Arrival place", "Melilla"),
        ("Arrival date", "2026-11-01"),
    ]:
        page.get_by_label(label).fill(value)
    page.get_by_label("Nationality").select_option("GIN")
    for purpose in ("registration", "screening", "referral"):  # never pre-ticked
        page.get_by_label(purpose, exact=True).check()
    page.get_by_role("button", name="Register").click()
    case_path = page.url.split(base)[1].split("?")[0]

    page.goto(f"{base}{case_path}/edit?lang=fr")
    colleague = page.context.new_page()  # the same account in a second tab saves first
    colleague.goto(f"{base}{case_path}/edit?lang=fr")
    colleague.get_by_label("Lieu d'arrivée").fill("Nador")
    colleague.get_by_role("button", name="Enregistrer").click()
    expect(colleague.locator("h1")).to_contain_text(case_path.split("/")[-1])

    page.get_by_label("Contact (facultatif)").fill("+212 611")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Quelqu'un a modifié cet enregistrement entre-temps."
    )
    expect(page.get_by_label("Lieu d'arrivée")).to_have_value("Nador")

    page.goto(f"{base}{case_path}/consent?lang=fr")
    page.get_by_label("orientation").uncheck()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    page.goto(f"{base}{case_path}/consent?lang=fr")
    expect(page.locator("#consent-withdrawn")).to_have_text("orientation")
