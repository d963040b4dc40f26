"""What changes when a route changes (C1): its legs, countries and names are edited in place,
and these tables are small, so their rows are digested."""

from __future__ import annotations

from itinera.storage.catalogue.tables import legs, route_countries, routes
from itinera.storage.database import UnitOfWork
from itinera.storage.markers import rows_digest

__all__ = ["routes_marker"]


def routes_marker(session: UnitOfWork) -> str:
    return "/".join(rows_digest(session, t) for t in (routes, legs, route_countries))
