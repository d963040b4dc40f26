"""The service directory on a phone: service cards, 25 to a page, with the service types and
the country by name in the reader's language (no code), contact and last-verified date."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.service_point import (
    ContactChannel,
    ContactKind,
    PointKind,
    ServiceOffer,
    ServicePoint,
)
from itinera.services.services_map import registry
from itinera.storage.database import Database


def _visible(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(
    ("language", "country", "health"),
    [
        ("fr", "Niger", "Soins de santé et premiers secours"),
        ("ar", "النيجر", "الرعاية الصحية والإسعافات الأولية"),
    ],
)
def test_the_directory_is_paged_cards_in_the_readers_language(
    sqlite_db: Database, language: str, country: str, health: str
) -> None:
    for number in range(30):
        registry.create_point(
            sqlite_db,
            SYSTEM,
            ServicePoint(
                id=None,
                name=f"Poste de santé {number}",
                kind=PointKind.NGO_SERVICE_POINT,
                lat=16.9,
                lon=7.9,
                country="NER",
                locality="Agadez",
                offers=(ServiceOffer("health-first-aid", opening_hours="24/7", languages=("ha",)),),
                contacts=(ContactChannel(ContactKind.PHONE, "+227 20 00 00 00"),),
                last_verified=date(2026, 11, 20),
            ),
        )
    settings = Settings(database_url=sqlite_db.url, environment="test")
    with TestClient(build_app(settings, database=sqlite_db)) as client:
        first = client.get(f"/services?lang={language}").text
        second = client.get(f"/services?lang={language}&page=2").text
    assert first.count('class="card service-card') == 25
    assert second.count('class="card service-card') == 5
    seen = _visible(first)
    assert health in seen and country in seen and "+227 20 00 00 00" in seen
    assert "health-first-aid" not in seen and not re.search(r"\bNER\b", seen)
    assert 'href="tel:+22720000000"' in first
