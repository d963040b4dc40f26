"""The service directory searched in the reader's language: "santé" and "الصحية" find the
health points that "health" finds, and a country is found by its French or Arabic name."""

from __future__ import annotations

import pytest

from itinera.domain.access import ANONYMOUS, SYSTEM
from itinera.domain.service_point import PointKind, ServiceOffer, ServicePoint
from itinera.services.services_map import registry
from itinera.storage.database import Database


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("health", True),
        ("santé", True),
        ("sante", True),  # accents folded, as a phone keyboard types it
        ("الصحية", True),
        ("Niger", True),
        ("النيجر", True),
        ("juridique", False),  # legal aid is not offered there
    ],
)
def test_a_search_in_any_language_finds_the_point(store: Database, words: str, found: bool) -> None:
    point_id = registry.create_point(
        store,
        SYSTEM,
        ServicePoint(
            id=None,
            name="Centre de transit",
            kind=PointKind.MIGRANT_RESOURCE_CENTRE,
            lat=16.97,
            lon=7.99,
            country="NER",
            locality="Agadez",
            offers=(ServiceOffer("health-first-aid"),),
        ),
    )
    listed = registry.list_points(
        store, ANONYMOUS, registry.ServiceFilter(text=words), stale_after_days=180
    )
    assert (point_id in [item.point.id for item in listed]) is found
