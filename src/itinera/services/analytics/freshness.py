"""Keep the analytics cube current when stored figures change route (C3).

New import batches, and the older figures a new vintage supersedes, enter the cube on the next
read (``figures.ensure_current``), or, for an import run as a job, at the end of that job
(``cache.sum_imported``: totals and breakdowns, so that the first breakdown asked after a large
import reads sums already there — issue 13). Re-attribution is different: an alias edit moves
figures that are already in the cube from one route to another without a new batch, so the route
services call :func:`reattribute_with_cube` in their own transaction; the routes whose figures
moved (the ones they left and the ones they joined) are summed again, in the same unit of work,
and the cube's generation number is bumped so that every process drops its cached answers
(``cache.py``).
"""

from __future__ import annotations

import logging

from itinera.services.movements.routing import route_owners
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["reattribute_with_cube", "rebuild_cube", "routes_to_move"]

log = logging.getLogger(__name__)


def routes_to_move(session: UnitOfWork, owners: dict[str, str]) -> set[str]:
    """Routes whose stored monthly figures a re-attribution with ``owners`` would change."""
    moved: set[str] = set()
    for key, route_id, method in MovementRepository(session).route_attributions():
        target = owners.get(key)
        if method == "analyst" or (target is None and method != "alias"):
            continue  # kept as it is (decision 0020)
        if target != route_id:
            moved.update(r for r in (route_id, target) if r is not None)
    return moved


def reattribute_with_cube(session: UnitOfWork) -> int:
    """Re-resolve every stored figure's route and re-sum the cube for the routes affected;
    returns the number of rows whose route changed."""
    owners = route_owners(session)
    moved = routes_to_move(session, owners)
    changed = MovementRepository(session).reattribute(owners)
    session.flush()
    CubeRepository(session).resum_routes(sorted(moved))  # bumps the generation, even if none
    if moved:
        log.info("analytics cube: %d route(s) summed again after re-attribution", len(moved))
    return changed


def rebuild_cube(db: Database) -> int:
    """Drop the cube and sum it again from the stored observations (``itinera analytics
    refresh``); returns the number of import batches summed."""
    with db.transaction() as session:
        return CubeRepository(session).rebuild()
