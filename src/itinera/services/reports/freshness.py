"""The freshness token of a route report's inputs (C4): it changes whenever any of them does,
so a stored report, or a part of one kept in memory, is never served after its data changed."""

from __future__ import annotations

import hashlib

from itinera.services.analytics.cache import ensure_current
from itinera.storage.activities.change_marker import activities_marker
from itinera.storage.catalogue.change_marker import routes_marker
from itinera.storage.database import Database
from itinera.storage.monitoring.monitoring_repository import MonitoringRepository
from itinera.storage.services_map.change_marker import service_points_marker

__all__ = ["freshness_token"]


def freshness_token(db: Database) -> str:
    """A token of every input of a report: the analytics cube (movement batches, hence the
    figures and the alerts computed from them), the route, the service points, the activities
    and the field-monitoring entries. Any change among them makes the next request render."""
    cube = ensure_current(db)
    with db.transaction() as session:
        parts = [
            ".".join(str(p) for p in cube),
            routes_marker(session),
            service_points_marker(session),
            activities_marker(session),
            MonitoringRepository(session).last_change(),
        ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
