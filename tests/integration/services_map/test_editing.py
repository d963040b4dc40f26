"""Verified today and status changes, on SQLite and PostgreSQL: versioned, checked, refused
for a stale version and for a viewer."""

from __future__ import annotations

from datetime import date

import pytest

from itinera.domain.access import Actor, Role
from itinera.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from itinera.domain.service_point import PointKind, PointStatus, ServiceOffer, ServicePoint
from itinera.services.services_map import editing, registry
from itinera.storage.database import Database

from .conftest import COORDINATOR

DAY = date(2026, 11, 2)


def _point(store: Database) -> int:
    point = ServicePoint(
        None,
        "Medyka border point",
        PointKind.HUMANITARIAN_SERVICE_POINT,
        49.80,
        22.94,
        "POL",
        offers=(ServiceOffer("food-water"),),
    )
    return registry.create_point(store, COORDINATOR, point)


def test_mark_verified_records_who_and_when_and_bumps_the_version(store: Database) -> None:
    point_id = _point(store)
    editing.mark_verified(store, COORDINATOR, point_id, 1, today=DAY)
    stored = editing.current_point(store, point_id)
    assert (stored.last_verified, stored.verified_by, stored.version) == (
        DAY,
        "test-coordinator",
        2,
    )
    with pytest.raises(ConflictError):
        editing.mark_verified(store, COORDINATOR, point_id, 1, today=DAY)
    viewer = Actor("viewer", frozenset({Role.PUBLIC}))
    with pytest.raises(PermissionDeniedError):
        editing.mark_verified(store, viewer, point_id, 2)


def test_status_change_from_today_refuses_unknown_status_and_keeps_the_point(
    store: Database,
) -> None:
    point_id = _point(store)
    with pytest.raises(ValidationError) as caught:
        editing.set_status(store, COORDINATOR, point_id, "demolished", 1)
    assert caught.value.errors[0].field == "status"
    editing.set_status(store, COORDINATOR, point_id, "closed", 1, today=DAY)
    stored = editing.current_point(store, point_id)
    assert (stored.status, stored.status_since, stored.name) == (
        PointStatus.CLOSED,
        DAY,
        "Medyka border point",
    )
    assert stored.offers == (ServiceOffer("food-water"),)
