"""The tracing review page in a real Chromium: a request entered in Arabic script waits in the
review queue of the organisation that registered the person in Latin spelling; the reviewer
sees both sides (names as given and in Latin, ``dir="auto"``) and the explanation, confirms,
records the sought person's consent, then starts contact."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM, Actor
from itinera.domain.case import Purpose, Sex
from itinera.domain.case_record import ConsentStatement, NewCase
from itinera.domain.tracing import Inquirer, NewTracingRequest, SoughtPerson
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.casework.cases import register_case
from itinera.services.casework.context import Casework
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.matching import run_match
from itinera.services.tracing.requests import create_request
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"


def _log_in(page: Page, base: str, username: str, target: str) -> None:
    page.goto(f"{base}/login?lang=en&next={target}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _actor(db: Database, username: str) -> Actor:
    found = accounts.authenticate(db, username, PASSWORD).actor
    assert found.organisation_id is not None
    return found


def test_review_confirm_consent_contact(
    page: Page, tmp_path: Path, live_server: Callable[..., str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    key = generate_key()
    base = live_server(
        url, field_key=base64.b64encode(key).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    cipher = FieldCipher([key])
    try:
        accounts.create_organisation(db, SYSTEM, "Tracing Service Niamey", "ngo")
        accounts.create_organisation(db, SYSTEM, "Reception Lampedusa", "ngo")
        accounts.create_user(db, SYSTEM, "salma", "Tracing Service Niamey", "tracing", PASSWORD)
        accounts.create_user(db, SYSTEM, "marco", "Reception Lampedusa", "caseworker", PASSWORD)
        accounts.create_user(db, SYSTEM, "giulia", "Reception Lampedusa", "tracing", PASSWORD)
        register_case(
            Casework(db, cipher, audit.record),
            _actor(db, "marco"),
            NewCase(
                given_name="Mhamed",
                family_name="Abderrahmane",
                sex=Sex.MALE,
                date_of_birth=date(1994, 6, 2),
                nationality="SDN",
                arrival_place="Lampedusa",
                arrival_date=date(2026, 9, 1),
                contact=None,
                document_numbers=(),
                route_id=None,
                consent=ConsentStatement((Purpose.REGISTRATION, Purpose.TRACING)),
            ),
        )
        tr = Tracing(db, cipher)
        create_request(
            tr,
            _actor(db, "salma"),
            NewTracingRequest(
                Inquirer("Salma", "Requester"),
                (SoughtPerson("محمد", "عبد الرحمن", Sex.MALE, "SDN", birth_year=1994),),
                "brother",
                ("tracing",),
            ),
        )
        assert run_match(tr, SYSTEM).new_candidates == 1
    finally:
        db.dispose()

    _log_in(page, base, "giulia", "/tracing")
    likely = page.locator('ul[data-band="likely"]')
    likely.locator("a[data-candidate]").first.click()
    expect(page.locator("h1")).to_have_text("Candidate match")
    sought = page.locator("#sought")
    expect(sought.locator("td[data-name]").first).to_have_text("محمد")
    expect(sought.locator("td[data-name]").first).to_have_attribute("dir", "auto")
    expect(page.locator("#other")).to_contain_text("Mhamed")
    expect(page.locator("#other")).to_contain_text("mhamed")
    expect(page.locator("#explanation")).to_contain_text("same name (variant dictionary)")
    shown = page.url
    page.goto(f"{shown}{'&' if '?' in shown else '?'}lang=ar")
    expect(page.locator("#explanation")).to_contain_text("الأب")  # father's name, translated
    expect(page.locator("#explanation")).to_contain_text("آخر مشاهدة")  # date last seen
    page.goto(f"{shown}{'&' if '?' in shown else '?'}lang=en")
    expect(page.get_by_role("button", name="Start contact")).to_have_count(0)
    page.get_by_label("match", exact=True).check()
    page.get_by_label("Reason").fill("names, year and nationality agree")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#candidate-status")).to_have_text("confirmed")
    page.get_by_role("button", name="Start contact").click()  # refused: no consent yet
    expect(page.locator('div.error[role="alert"]')).to_contain_text("consent")
    page.get_by_role("button", name="The sought person consents to contact").click()
    page.get_by_role("button", name="Start contact").click()
    expect(page.locator("#candidate-status")).to_have_text("confirmed")
    expect(page.locator('div.error[role="alert"]')).to_have_count(0)

    page.goto(f"{base}/tracing?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
