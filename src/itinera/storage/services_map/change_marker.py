"""What changes when service points change (C5): edits bump ``version``, replaced offers get
new ids, deletions lower the count."""

from __future__ import annotations

from itinera.storage.database import UnitOfWork
from itinera.storage.markers import aggregate_marker
from itinera.storage.services_map.tables import service_offers, service_points

__all__ = ["service_points_marker"]


def service_points_marker(session: UnitOfWork) -> str:
    points = aggregate_marker(session, service_points, "version")
    return f"{points}/{aggregate_marker(session, service_offers)}"
