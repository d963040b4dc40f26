"""Field-monitoring analytics (C11): risk observations counted by route, leg, type, perpetrator
and month, and as map points along a route, as the reader may see them.

The public reads public entries only, with persons counts suppressed by the platform's rule (10
for survey-based counts) and coordinates rounded to 0.5° cells (``entries.observation_view``);
readers with ``view_internal_monitoring`` get exact figures and internal entries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itinera.domain.access import Action, Actor, can
from itinera.services.monitoring.entries import list_observations, observation_view, vocabularies
from itinera.services.monitoring.summary import DIMENSIONS, count_observations
from itinera.storage.database import Database

__all__ = ["observation_counts", "risk_points"]


def observation_counts(
    db: Database,
    actor: Actor,
    route_id: str | None,
    first: date | None,
    last: date | None,
    threshold: int,
    language: str = "en",
) -> dict[str, Any]:
    """Counts by every dimension, and the names of types and perpetrators in ``language``."""
    found = list_observations(db, actor, route_id, first, last)
    exact = can(actor, Action.VIEW_INTERNAL_MONITORING)
    vocab = vocabularies()
    return {
        "route_id": route_id,
        "exact": exact,
        "total": len(found),
        "counts": {
            by: count_observations(found, by, exact=exact, threshold=threshold) for by in DIMENSIONS
        },
        "names": {
            list_name: {
                code: vocab.label(list_name, code, language) for code in vocab.codes(list_name)
            }
            for list_name in ("incident_types", "perpetrators")
        },
    }


def risk_points(
    db: Database,
    actor: Actor,
    route_id: str | None,
    first: date | None,
    last: date | None,
    threshold: int,
    language: str = "en",
) -> dict[str, Any]:
    """Observations with coordinates as a GeoJSON FeatureCollection (for the route map); each
    point says what happened in ``language``."""
    found = list_observations(db, actor, route_id, first, last)
    exact = can(actor, Action.VIEW_INTERNAL_MONITORING)
    vocab = vocabularies()
    features = []
    for observation in found:
        view = observation_view(observation, exact, threshold)
        if view["latitude"] is None or view["longitude"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [view["longitude"], view["latitude"]]},
                "properties": {
                    "label": vocab.label("incident_types", view["incident_type"], language),
                }
                | {
                    key: view[key]
                    for key in (
                        "route_id",
                        "incident_type",
                        "perpetrator",
                        "date_from",
                        "leg",
                        "persons",
                        "persons_suppressed",
                    )
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
