"""The Digital Gateway in a real Chromium with JavaScript off, on a 390 px phone in Arabic: read
an article for the route, find the nearest open legal-aid point, send a complaint, read the
answer a staff member wrote in French by the tracking code. Every page fits 320 px and weighs
under 100 KB transferred."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.service_point import PointKind, ServiceOffer, ServicePoint
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.services.accounts import audit
from itinera.services.gateway import articles
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway
from itinera.services.services_map import registry
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

AGENT = Actor("agent-fr", frozenset({Role.GATEWAY_AGENT}), user_id=9, organisation_id=1)
ARTICLE = """---
slug: asylum-in-tunisia
language: ar
title: طلب اللجوء في تونس
topic: asylum-procedure
country: TUN
status: published
last_reviewed: 2026-11-01
---
يمكنك تقديم طلب اللجوء لدى المفوضية في تونس العاصمة وصفاقس وجرجيس.
"""


def _weigh(browser: Browser, url: str) -> int:
    """Bytes transferred to load ``url`` in a fresh browser (empty cache): the page and
    everything it pulls in, as the network delivered them."""
    sizes: list[int] = []
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]))
        page.goto(url)
        page.wait_for_load_state("load")
    finally:
        context.close()
    return sum(sizes)


def _fits(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return int(width) <= int(page.viewport_size["width"]) if page.viewport_size else False


def test_a_person_in_arabic_without_javascript(
    browser: Browser, tmp_path: Path, live_server: Callable[..., str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    key = generate_key()
    base = live_server(
        url, field_key=base64.b64encode(key).decode(), key_file=tmp_path / "unused.key"
    )
    db = Database(url)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "asylum-in-tunisia.ar.md").write_text(ARTICLE, "utf-8")
    articles.import_articles(db, SYSTEM, folder)
    registry.create_point(
        db,
        SYSTEM,
        ServicePoint(
            None,
            "Maison du droit Sfax",
            PointKind.NGO_SERVICE_POINT,
            34.74,
            10.76,
            country="TUN",
            locality="Sfax",
            offers=(ServiceOffer("legal-aid", opening_hours="Mo-Fr 09:00-16:00"),),
            last_verified=date(2026, 11, 20),
        ),
    )
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        weights = {}
        weights["home"] = _weigh(browser, f"{base}/help/ar")
        page.goto(f"{base}/help/ar")
        assert page.locator("html").get_attribute("dir") == "rtl" and _fits(page)
        page.get_by_role("link", name="معلومات").click()
        page.get_by_label("على طريقك").select_option("central-mediterranean")
        page.get_by_role("button", name="عرض").click()
        page.get_by_role("link", name="طلب اللجوء في تونس").click()
        assert "المفوضية" in page.content() and _fits(page)
        weights["article"] = _weigh(browser, page.url)

        page.goto(f"{base}/help/ar/services")
        page.get_by_label("المدينة أو المكان").fill("Sfax")
        page.get_by_label("الخدمة").select_option("legal-aid")
        page.locator("form button").click()
        assert "Maison du droit Sfax" in page.content() and _fits(page)
        weights["services"] = _weigh(browser, page.url)

        page.goto(f"{base}/help/ar/contact?kind=complaint")
        weights["contact"] = _weigh(browser, page.url)
        page.get_by_label("رسالتك").fill("طلب مني موظف مالاً مقابل موعد")
        page.get_by_role("button", name="إرسال").click()
        code = page.locator(".code bdi").inner_text()
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", code)

        gateway = Gateway(db, FieldCipher([key]), audit.record)
        queue_service.answer(gateway, AGENT, code, "Merci. Nous traitons votre plainte.", "fr")

        page.goto(f"{base}/help/ar/track")
        page.get_by_label("رمز المتابعة الخاص بك").fill(code.lower().replace("-", " "))
        page.get_by_role("button", name="عرض").click()
        assert "Merci. Nous traitons votre plainte." in page.content() and _fits(page)
        weights["track"] = _weigh(browser, page.url)

        page.set_viewport_size({"width": 320, "height": 640})
        for path in ("/help/ar", "/help/ar/contact", "/help/ti/services", "/help/fr/track"):
            page.goto(base + path)
            assert _fits(page), path
        assert all(0 < w < 100_000 for w in weights.values()), weights
    finally:
        context.close()
        db.dispose()
