"""A 3W list without coordinates is imported, not refused (issue 12): its points stand at the
centroid of their admin area or country from the shipped gazetteer, and the directory says, in
the reader's language, that the location is approximate."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.domain.access import SYSTEM
from itinera.services.services_map import registry
from itinera.services.services_map.imports import import_services
from itinera.storage.database import Database


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "emplacement approximatif"), ("ar", "موقع تقريبي")]
)
def test_a_list_without_coordinates_is_placed_and_marked_approximate(
    sqlite_db: Database,
    anonymous_client: TestClient,
    tmp_path: Path,
    language: str,
    words: str,
) -> None:
    path = tmp_path / "3w-no-coordinates.csv"
    path.write_text(
        "Organisation,Sector,Country,Region\n#org,#sector,#country+code,#adm1+name\n"
        "ACF,Health,LBN,Bekaa\nIRC,Protection,NER,Agadez\n",
        encoding="utf-8",
    )
    report = import_services(sqlite_db, SYSTEM, path)
    assert report.status == "imported", report.message
    found = registry.list_points(
        sqlite_db, SYSTEM, registry.ServiceFilter(country="LBN"), stale_after_days=365
    )
    assert [listing.point.name for listing in found] == ["ACF – Bekaa"]
    point = found[0].point
    assert point.extra["location_precision"].startswith("approximate")
    card = anonymous_client.get(f"/services?country=LBN&lang={language}").text
    page = anonymous_client.get(f"/services/points/{point.id}?lang={language}").text
    assert words in card and words in page
