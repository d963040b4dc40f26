"""Casework in a real Chromium: a caseworker registers an arrival, screens her (the
unaccompanied-child flag fires and explains itself), refers her to child protection; the
receiving organisation's user logs in and sees the referral with only the shared fields."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.engines.crypto import generate_key
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"


def _log_in(page: Page, base: str, username: str, target: str) -> None:
    page.goto(f"{base}/login?lang=en&next={target}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_register_screen_refer_and_receive(
    page: Page, tmp_path: Path, live_server: Callable[..., str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(
        url, field_key=base64.b64encode(generate_key()).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "Reception Melilla", "ngo")
        accounts.create_organisation(db, SYSTEM, "Servicio de Protección de Menores", "state")
        accounts.create_user(db, SYSTEM, "nadia", "Reception Melilla", "caseworker", PASSWORD)
        accounts.create_user(
            db, SYSTEM, "lucia", "Servicio de Protección de Menores", "service_provider", PASSWORD
        )
    finally:
        db.dispose()

    _log_in(page, base, "nadia", "/cases/new")
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Testperson")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Date of birth").fill(f"{date.today().year - 15}-03-14")
    page.get_by_label("Nationality").select_option("GIN")
    page.get_by_label("Arrival place").fill("Melilla")
    page.get_by_label("Arrival date").fill(date.today().isoformat())
    page.get_by_label("Contact (optional)").fill("+212 600 000 000")
    page.get_by_label("Document number (optional)").fill("P1234567")
    for purpose in ("registration", "screening", "referral"):  # never pre-ticked
        page.get_by_label(purpose, exact=True).check()
    page.get_by_role("button", name="Register").click()
    # a child: refused until her assent and her guardian's consent are stated (never pre-ticked)
    expect(page.locator("#child-assent .field-error")).to_be_visible()
    page.get_by_label("The child assents").check()
    page.get_by_label("A parent or legal guardian consents").check()
    for purpose in ("registration", "screening", "referral"):
        page.get_by_label(purpose, exact=True).check()
    page.get_by_role("button", name="Register").click()
    expect(page.locator("h1")).to_contain_text("Case")

    page.get_by_label("Who is the person travelling with?").select_option("alone")
    page.get_by_role("button", name="Screen").click()
    flag = page.locator('article.flag[data-flag="unaccompanied-separated-child"]')
    expect(flag).to_be_visible()
    expect(flag.locator(".explanation")).to_contain_text("unaccompanied child")
    expect(flag).to_contain_text("Who is the person travelling with?")
    expect(flag).to_contain_text("Nobody (alone)")

    form = page.locator('form.referral-form[data-pathway="child-protection"]')
    form.get_by_label("Receiving organisation").select_option(
        label="Servicio de Protección de Menores"
    )
    form.get_by_label("Reason").fill("Girl of 15 travelling alone")
    form.get_by_role("button", name="Refer").click()
    expect(page.locator("#referral-status")).to_have_attribute("data-status", "sent")
    referral_path = page.url.split(base)[1].split("?")[0]

    page.context.clear_cookies()
    _log_in(page, base, "lucia", "/referrals")
    page.locator(f'a[href^="{referral_path}"]').click()
    shared = page.locator("#shared-fields")
    expect(shared.locator('[data-field="given_name"]')).to_have_text("Amina")
    expect(shared.locator('[data-field="flags"]')).to_contain_text(
        "Unaccompanied or separated child"
    )
    names = [dt.get_attribute("data-name") for dt in shared.locator("dt").all()]
    assert "contact" not in names and "document_numbers" not in names
    assert "P1234567" not in page.content() and "+212 600" not in page.content()
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#referral-status")).to_have_text("Accepted")
