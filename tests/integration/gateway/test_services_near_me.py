"""Services near me on the help pages: the nearest open points of a type from the registry,
with distance, hours and languages; never a closed point."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import SYSTEM
from itinera.domain.service_point import PointKind, PointStatus, ServiceOffer, ServicePoint
from itinera.services.gateway import nearby
from itinera.services.services_map import registry


def _point(
    world: GatewayWorld,
    name: str,
    lat: float,
    lon: float,
    locality: str = "Sfax",
    country: str = "TUN",
    **extra: object,
) -> str:
    offers = extra.pop(
        "offers",
        (
            ServiceOffer(
                "legal-aid", opening_hours="Mo-Fr 09:00-16:00", languages=("ar", "fr"), cost="free"
            ),
        ),
    )
    label = f"{name} {secrets.token_hex(3)}"
    registry.create_point(
        world.db,
        SYSTEM,
        ServicePoint(
            None,
            label,
            PointKind.NGO_SERVICE_POINT,
            lat,
            lon,
            country=country,
            locality=locality,
            offers=offers,  # type: ignore[arg-type]
            last_verified=date(2026, 11, 20),
            **extra,  # type: ignore[arg-type]
        ),
    )
    return label


def test_the_nearest_open_legal_aid_point_in_arabic(world: GatewayWorld) -> None:
    open_far = _point(world, "Legal clinic", 34.76, 10.78)
    closed_near = _point(world, "Closed desk", 34.7407, 10.7601, status=PointStatus.CLOSED)
    medical = _point(
        world, "Clinic", 34.741, 10.761, offers=(ServiceOffer("health-first-aid", cost="free"),)
    )
    page = world.client.get("/help/ar/services?lat=34.7406&lon=10.7603&type=legal-aid")
    assert page.status_code == 200
    assert open_far in page.text
    assert closed_near not in page.text and medical not in page.text
    assert "Mo-Fr 09:00-16:00" in page.text and "ساعات العمل" in page.text
    assert 'dir="rtl"' in page.text
    # only our own deferred type-ahead script: the page works without it
    assert page.text.count("<script") == 1 and "gateway-places.js" in page.text
    by_name = world.client.get("/help/fr/services?place=Sfax&type=legal-aid")
    assert by_name.status_code == 200 and open_far in by_name.text
    unknown = world.client.get("/help/fr/services?place=Nowhere-" + secrets.token_hex(3))
    assert "Nous ne connaissons pas ce lieu" in unknown.text


def test_hours_are_read_in_the_places_time_zone(world: GatewayWorld) -> None:
    label = _point(world, "Hours desk", 34.7402, 10.7602)
    # 08:30 UTC on a Wednesday is 09:30 in Tunis (UTC+1): open, closes at 16:00
    morning = nearby.services_near(
        world.db, lat=34.7402, lon=10.7602, clock=lambda: datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    )
    ours = next(n for n in morning.listings if n.listing.point.name == label)
    assert ours.local_time is not None and ours.local_time.hour == 9
    assert ours.hours[0] is not None and ours.hours[0].open_now
    assert ours.hours[0].closes_at == time(16, 0)
    # 15:30 UTC is 16:30 there: closed, opens Thursday 09:00
    evening = nearby.services_near(
        world.db, lat=34.7402, lon=10.7602, clock=lambda: datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
    )
    late = next(n for n in evening.listings if n.listing.point.name == label).hours[0]
    assert late is not None and not late.open_now
    assert (late.opens_day, late.opens_at) == (3, time(9, 0))
    page = world.client.get("/help/fr/services?lat=34.7402&lon=10.7602&type=legal-aid")
    assert ("Ouvert maintenant" in page.text) or ("Fermé maintenant" in page.text)


def test_a_public_holiday_closes_the_service(world: GatewayWorld) -> None:
    pytest.importorskip("holidays")
    label = _point(world, "Holiday desk", 34.7403, 10.7603)
    # 20 March is Tunisia's Independence Day; 2026-03-20 is a Friday, 10:00 local
    found = nearby.services_near(
        world.db, lat=34.7403, lon=10.7603, clock=lambda: datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    )
    ours = next(n for n in found.listings if n.listing.point.name == label)
    assert ours.holiday is not None and "Independence" in ours.holiday
    assert ours.hours[0] is not None and not ours.hours[0].open_now


def test_places_by_their_usual_spellings_and_in_arabic(world: GatewayWorld) -> None:
    label = _point(world, "Tripoli desk", 32.8872, 13.1913, locality="Tripoli", country="LBY")
    for typed in ("طرابلس", "tarabulus", "TRIPOLI"):
        page = world.client.get("/help/ar/services", params={"place": typed, "type": "legal-aid"})
        assert page.status_code == 200 and label in page.text, typed
    # the catalogue's Agadez, typed the French way, answers with its Arabic name
    agadez = world.client.get("/help/ar/services", params={"place": "Agadès"})
    assert "أغاديز" in agadez.text and "problem" not in agadez.text
    # a misspelling gets a "did you mean" with links, no JavaScript needed
    wrong = world.client.get("/help/fr/services", params={"place": "Agadexz"})
    assert "Vouliez-vous dire" in wrong.text and "place=Agadez" in wrong.text
    # the server-rendered list of known places, in the page's language
    assert '<option value="طرابلس">' in agadez.text
    typeahead = world.client.get("/api/gateway/places", params={"q": "طراب", "language": "fr"})
    assert typeahead.status_code == 200
    assert any(p["name"] == "Tripoli" and p["country"] == "LBY" for p in typeahead.json())


def test_the_staff_directory_finds_the_same_places(
    world: GatewayWorld,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    """Issue 12's "near a place" on /api/services and /services uses the same lookup."""
    label = _point(world, "Staff desk", 16.97, 7.99, locality="Agadez", country="NER")
    headers = login(world.client, *make_user(world.db, "coordinator"))
    near = world.client.get("/api/services/near", params={"place": "Agades"}, headers=headers)
    assert near.status_code == 200, near.text
    assert label in [p["name"] for p in near.json()]
    listed = world.client.get("/api/services", params={"near": "أغاديز"}, headers=headers)
    assert listed.status_code == 200, listed.text
    assert label in [p["name"] for p in listed.json()]
    page = world.client.get("/services", params={"near_place": "agades"}, headers=headers)
    assert page.status_code == 200 and label in page.text
