from __future__ import annotations

from datetime import date

import pytest

from itinera.domain.service_point import (
    PointKind,
    ServiceOffer,
    ServicePoint,
    check_opening_hours,
    is_stale,
    validate_service_point,
)

KNOWN = {"shelter", "legal-aid"}.__contains__


def _point(**changes: object) -> ServicePoint:
    base = ServicePoint(
        None,
        "Hub",
        PointKind.MULTI_PURPOSE_HUB,
        12.0,
        15.0,
        "TCD",
        offers=(ServiceOffer("shelter", opening_hours="Mo-Fr 08:00-16:00"),),
    )
    return ServicePoint(**{**base.__dict__, **changes})


def test_a_valid_point_has_no_errors() -> None:
    assert validate_service_point(_point(), service_type_exists=KNOWN) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": 91.0}, "lat"),
        ({"lon": -181.0}, "lon"),
        ({"lat": None, "lon": None}, "lat"),
        ({"offers": (ServiceOffer("massage"),)}, "offers[0].service_type"),
        ({"offers": (ServiceOffer("shelter", opening_hours="9 to 5"),)}, "offers[0].opening_hours"),
        (
            {"offers": (ServiceOffer("shelter", opening_hours="Mo 17:00-09:00"),)},
            "offers[0].opening_hours",
        ),
        ({"offers": (ServiceOffer("shelter", languages=("French",)),)}, "offers[0].languages[0]"),
        ({"country": "TD"}, "country"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, object], field: str) -> None:
    errors = validate_service_point(_point(**changes), service_type_exists=KNOWN)
    assert field in [e.field for e in errors]


@pytest.mark.parametrize(
    "text", ["24/7", "Mo-Fr 08:00-16:00; Sa 09:00-12:00", "Mo,We 08:00-12:00,14:00-18:00", "Su off"]
)
def test_opening_hours_accepted(text: str) -> None:
    assert check_opening_hours(text) is None


def test_staleness_after_the_period() -> None:
    assert is_stale(_point(last_verified=None), date(2026, 1, 1), 180)
    assert not is_stale(_point(last_verified=date(2025, 12, 1)), date(2026, 1, 1), 180)
    assert is_stale(_point(last_verified=date(2025, 1, 1)), date(2026, 1, 1), 180)
