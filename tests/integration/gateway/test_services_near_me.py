"""Services near me on the help pages: the nearest open points of a type from the registry,
with distance, hours and languages; never a closed point."""

from __future__ import annotations

import secrets
from datetime import date

from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import SYSTEM
from itinera.domain.service_point import PointKind, PointStatus, ServiceOffer, ServicePoint
from itinera.services.services_map import registry


def _point(world: GatewayWorld, name: str, lat: float, lon: float, **extra: object) -> str:
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
            country="TUN",
            locality="Sfax",
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
    assert 'dir="rtl"' in page.text and "<script" not in page.text
    by_name = world.client.get("/help/fr/services?place=Sfax&type=legal-aid")
    assert by_name.status_code == 200 and open_far in by_name.text
    unknown = world.client.get("/help/fr/services?place=Nowhere-" + secrets.token_hex(3))
    assert "Nous ne connaissons pas ce lieu" in unknown.text
