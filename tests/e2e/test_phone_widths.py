"""Phones first: no page is wider than the viewport at 320 and 390 px, in English, French and
Arabic, for the public pages and the pages of a caseworker, a receiving organisation, an
administrator and an analyst; tables scroll inside their own box instead."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from itinera.domain.access import SYSTEM
from itinera.domain.organisation import Organisation
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
USERS = {
    "nadia": ("Reception Melilla", "caseworker"),
    "lucia": ("Servicio de Protección de Menores", "service_provider"),
    "root": ("Reception Melilla", "administrator"),
    "ana": ("Observatory", "analyst"),
}


def _overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    answer = page.request.post(
        f"{base}/api/auth/login", data={"username": username, "password": PASSWORD}
    )
    assert answer.ok  # the session cookie is shared with the page


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_no_page_is_wider_than_a_phone(
    page: Page, tmp_path: Path, live_server: Callable[..., str], language: str
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(
        url, field_key=base64.b64encode(generate_key()).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    try:
        for organisation in {o for o, _ in USERS.values()}:
            accounts.create_organisation(db, SYSTEM, organisation, "ngo")
        for username, (organisation, role) in USERS.items():
            accounts.create_user(db, SYSTEM, username, organisation, role, PASSWORD)
    finally:
        db.dispose()
    token = page.request.post(
        f"{base}/api/auth/login", data={"username": "nadia", "password": PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    case_id = page.request.post(f"{base}/api/cases", data=CASE, headers=bearer).json()["id"]
    page.request.post(
        f"{base}/api/cases/{case_id}/screenings",
        data={"answers": {"travelling_with": "alone"}},
        headers=bearer,
    )
    receiver = next(
        o.id for o in _organisations(url) if o.name == "Servicio de Protección de Menores"
    )
    referral = page.request.post(
        f"{base}/api/referrals",
        headers=bearer,
        data={
            "case_id": case_id,
            "to_organisation_id": receiver,
            "pathway": "child-protection",
            "urgency": "immediate",
            "reason": "travelling alone",
        },
    ).json()["id"]
    pages = {
        None: ["/", "/routes/central-mediterranean", "/services", "/sources", "/login"],
        "nadia": [
            "/home",
            "/cases",
            "/cases/new",
            f"/cases/{case_id}",
            f"/cases/{case_id}/edit",
            f"/cases/{case_id}/consent",
            "/referrals/sent",
            "/follow-ups",
            f"/referrals/{referral}",
        ],
        "lucia": ["/home", "/referrals", f"/referrals/{referral}"],
        "root": ["/home", "/admin/audit"],
        "ana": ["/home", "/imports"],
    }
    too_wide = {}
    for user, paths in pages.items():
        if user:
            _log_in(page, base, user)
        else:
            page.context.clear_cookies()
        for width in (320, 390):
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                page.goto(f"{base}{path}?lang={language}")
                extra = _overflow(page)
                if extra > 0:
                    too_wide[f"{user}:{path}@{width}"] = extra
                    name = path.strip("/").replace("/", "-") or "root"
                    page.screenshot(path=f"/tmp/pages/wide-{language}-{width}-{name}.png")
    assert too_wide == {}, f"pages wider than the phone (px): {too_wide}"


def _organisations(url: str) -> list[Organisation]:
    db = Database(url)
    try:
        return accounts.list_organisations(db)
    finally:
        db.dispose()
