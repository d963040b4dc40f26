"""A child's tracing request from the tracing team's pages in a real Chromium, at phone width in
French and Arabic: recorded from the new-request page (name in Arabic script, route, reason for
separation), matched, confirmed by two reviewers; the candidate page asks for the verified
relationship and the best-interests step before the request can close as reunited."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.domain.case import Sex
from itinera.domain.tracing import Decision, Inquirer, NewTracingRequest, SoughtPerson
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import users as accounts
from itinera.services.tracing import review
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.matching import run_match
from itinera.services.tracing.requests import create_request, get_request, list_requests
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"
ROUTE = "central-mediterranean"


def _fits_a_phone(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways at 390 px ({width})"


def test_a_child_is_reunited_only_after_both_steps_recorded_on_the_pages(
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
        accounts.create_organisation(db, SYSTEM, "Family Links Sfax", "ngo")
        for name in ("leila", "omar"):
            accounts.create_user(db, SYSTEM, name, "Family Links Sfax", "tracing", PASSWORD)
        leila = accounts.authenticate(db, "leila", PASSWORD).actor
        omar = accounts.authenticate(db, "omar", PASSWORD).actor
        year = date.today().year - 8

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/login?lang=en&next=/tracing/requests")
        page.get_by_label("Username").fill("leila")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/tracing/requests/new?lang=fr")
        page.locator("#f-inquirer_given_name").fill("Amal")
        page.locator("#f-inquirer_family_name").fill("Mansour")
        page.locator("#f-inquirer_contact").fill("+216 20 000 000")
        page.locator("#f-relationship").fill("mère")
        page.locator("#f-given_name").fill("مريم")
        page.locator("#f-family_name").fill("منصور")
        page.locator("#f-sex").select_option("female")
        page.locator("#f-nationality").fill("sdn")
        page.locator("#f-birth_year").fill(str(year))
        page.locator("#f-languages").fill("ar, fr")
        page.locator("#f-route_id").select_option(ROUTE)
        page.locator("#f-separation_reason").select_option("shipwreck")
        page.locator("#f-distinguishing_info").fill("cicatrice au menton")
        page.locator('input[name="consent"]').check()
        _fits_a_phone(page, "the new-request page")
        page.screenshot(path=str(tmp_path / "new-request-fr.png"), full_page=True)
        page.locator("#new-request-form button[type=submit]").click()
        expect(page).to_have_url(f"{base}/tracing/requests?lang=fr")
        [mine] = list_requests(tr, leila)
        expect(page.locator(f'li[data-request="{mine.id}"]')).to_contain_text("ouverte")
        page.locator(f'li[data-request="{mine.id}"] a').first.click()
        expect(page.locator("td[data-name]").first).to_have_text("مريم")
        expect(page.locator("dl[data-person]")).to_contain_text("Méditerranée centrale")
        expect(page.locator("dl[data-person]")).to_contain_text("naufrage")
        _fits_a_phone(page, "the request page")
        page.screenshot(path=str(tmp_path / "request-fr.png"), full_page=True)
        sought = get_request(tr, leila, mine.id).sought[0]
        assert (sought.given_name, sought.route_id, sought.languages) == (
            "مريم",
            ROUTE,
            ("ar", "fr"),
        )

        inquiry = NewTracingRequest(
            Inquirer("Yusuf", "Mansour"),
            (SoughtPerson("Mariam", "Mansour", Sex.FEMALE, "SDN", birth_year=year),),
            "father",
            ("tracing",),
        )
        create_request(tr, omar, inquiry)
        run_match(tr, SYSTEM)
        [view] = review.candidates_of_request(tr, leila, mine.id)
        candidate = view.candidate.id
        review.decide(tr, leila, candidate, Decision.MATCH, "same child")
        review.decide(tr, omar, candidate, Decision.MATCH, "photo recognised")
        review.record_contact_consent(tr, leila, candidate)
        review.start_contact(tr, leila, candidate)

        page.goto(f"{base}/tracing/requests?lang=fr")
        row = page.locator(f'li[data-request="{mine.id}"]')
        row.locator('select[name="outcome"]').select_option("reunited")
        row.get_by_role("button").click()  # refused: the two steps are missing
        expect(page.locator('div.error[role="alert"]')).to_contain_text("best-interests")

        page.goto(f"{base}/tracing/candidates/{candidate}?lang=ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("#reunification-missing")).to_be_visible()
        page.locator("#f-method").select_option("documents")
        page.locator("#f-relationship-note").fill("acte de naissance vu")
        page.locator("#relationship-form button").click()
        page.locator("#f-conclusion").select_option("in the child's best interests")
        page.locator("#best-interests-form button").click()
        expect(page.locator("#reunification-ready")).to_be_visible()
        expect(page.locator("#reunification-steps li")).to_have_count(2)
        _fits_a_phone(page, "the candidate page")
        page.screenshot(path=str(tmp_path / "candidate-ar.png"), full_page=True)

        page.goto(f"{base}/tracing/requests?lang=fr")
        row = page.locator(f'li[data-request="{mine.id}"]')
        row.locator('select[name="outcome"]').select_option("reunited")
        row.get_by_role("button").click()
        expect(page.locator(f'li[data-request="{mine.id}"]')).to_contain_text("réunis")
        assert get_request(tr, leila, mine.id).outcome is not None
    finally:
        db.dispose()
