"""The tracing team's intake page in a real Chromium, at phone width in Arabic and French: a
person's consented "tracing" message to the Digital Gateway waits on the queue page as a request
awaiting intake; the officer records who is sought and the consent, and the request opens."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import users as accounts
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.gateway_handover import open_gateway_inquiry
from itinera.services.tracing.requests import get_request
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"


def test_the_intake_of_a_gateway_request(
    page: Page, tmp_path: Path, live_server: Callable[..., str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    key = generate_key()
    base = live_server(
        url, field_key=base64.b64encode(key).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    tr = Tracing(db, FieldCipher([key]))
    try:
        accounts.create_organisation(db, SYSTEM, "Family Links Tripoli", "ngo")
        accounts.create_user(db, SYSTEM, "amina", "Family Links Tripoli", "tracing", PASSWORD)
        officer = accounts.authenticate(db, "amina", PASSWORD).actor
        assert officer.organisation_id is not None
        opened = open_gateway_inquiry(
            tr, SYSTEM, officer.organisation_id, "7K3MQ9TX2B4R5Z", language="ar", contact="+218"
        )
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/login?lang=en&next=/tracing")
        page.get_by_label("Username").fill("amina")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/tracing?lang=ar")
        link = page.locator(f'[data-request="{opened.request_id}"]')
        expect(link).to_be_visible()
        page.screenshot(path=str(tmp_path / "queue-ar.png"), full_page=True)
        page.goto(f"{base}/tracing/requests/{opened.request_id}/intake?lang=fr")
        expect(page.locator("#intake-facts")).to_contain_text("7K3M-Q9TX-2B4R-5Z")
        page.locator("#f-inquirer_given_name").fill("Amal")
        page.locator("#f-inquirer_family_name").fill("Mansour")
        page.locator("#f-given_name").fill("سعيد")
        page.locator("#f-family_name").fill("حسن")
        page.locator("#f-nationality").fill("LBY")
        page.locator('input[name="consent"]').check()
        page.screenshot(path=str(tmp_path / "intake-fr.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the intake page scrolls sideways at 390 px ({width})"
        page.locator("#intake-form button[type=submit]").click()
        expect(page).to_have_url(f"{base}/tracing?lang=fr")
        request = get_request(tr, officer, opened.request_id)
        assert request.status.value == "open" and len(request.sought) == 1
        assert request.inquirer is not None and request.inquirer.contact == "+218"
    finally:
        db.dispose()
