"""The receiving-organisation picker of a recommended referral: organisations whose service
points offer the pathway's service type come first (with where they offer it), narrowed by a
place when the caseworker types one; every other organisation follows in its own group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itinera.domain.access import Actor
from itinera.domain.organisation import Organisation
from itinera.services.services_map import registry
from itinera.services.store import Database

__all__ = ["receiver_groups"]


def receiver_groups(
    db: Database,
    actor: Actor,
    service_type: str,
    organisations: Sequence[Organisation],
    *,
    place: str = "",
    stale_after_days: int,
) -> dict[str, Any]:
    """``{"offering": [(organisation, "places")], "others": [organisation]}``."""
    listings = registry.list_points(
        db,
        actor,
        registry.ServiceFilter(service_type=service_type, status="active", text=place or None),
        stale_after_days=stale_after_days,
    )
    places: dict[int, list[str]] = {}
    for listing in listings:
        point = listing.point
        where = point.locality or point.admin_area or point.name
        offering = {o.organisation_id for o in point.offers if o.service_type == service_type}
        for organisation_id in (offering - {None}) or set(point.organisation_ids):
            if organisation_id is not None and where not in places.setdefault(organisation_id, []):
                places[organisation_id].append(where)
    chosen = [o for o in organisations if o.id in places]
    return {
        "offering": [(o, ", ".join(places[o.id or 0][:3])) for o in chosen],
        "others": [o for o in organisations if o.id not in places],
    }
