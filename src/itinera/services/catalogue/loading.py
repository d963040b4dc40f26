"""Load the reference catalogue into the store without destroying user edits (C1).

Each catalogue route carries a checksum of its reference definition. A reload inserts
new routes, refreshes routes whose definition changed, and leaves alone both unchanged
routes (so a second run changes nothing) and routes a user edited.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from itinera.domain.route import Route
from itinera.reference.catalogue import Catalogue
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["LoadReport", "load_reference", "route_checksum"]


@dataclass
class LoadReport:
    """What a reload did, counted per kind of thing (``routes: {"added": 8}``)."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(
            n
            for c in self.counts.values()
            for outcome, n in c.items()
            if outcome not in ("unchanged", "kept")
        )

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: dict(counter) for kind, counter in sorted(self.counts.items())}


def route_checksum(route: Route) -> str:
    payload = asdict(route)
    for volatile in ("origin", "edited", "version"):
        payload.pop(volatile)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_reference(session: UnitOfWork, catalogue: Catalogue) -> LoadReport:
    """Bring the stored reference data up to the catalogue; see the module docstring."""
    report = LoadReport()
    routes_repo, reference_repo = RouteRepository(session), ReferenceRepository(session)
    stored_places = routes_repo.places()
    for place in catalogue.places.values():
        current = stored_places.get(place.id)
        if current == place:
            report.count("places", "unchanged")
            continue
        routes_repo.save_place(place)
        report.count("places", "added" if current is None else "updated")
    stored_groups = routes_repo.groups()
    for group in catalogue.groups.values():
        if stored_groups.get(group.id) == group:
            report.count("groups", "unchanged")
            continue
        routes_repo.save_group(group)
        report.count("groups", "added" if group.id not in stored_groups else "updated")
    for route in catalogue.routes.values():
        report.count("routes", _load_route(routes_repo, route))
    for link in catalogue.links:
        report.count("links", "added" if routes_repo.save_link(link) else "unchanged")
    for category, items in catalogue.items.items():
        for position, item in enumerate(items):
            report.count(category.value, reference_repo.save(item, position))
    for outcome in MovementRepository(session).save_indicators(catalogue.indicators.values()):
        report.count("indicators", outcome)  # C2 indicator dictionary
    for file, (version, checksum) in catalogue.versions.items():
        reference_repo.set_version(file, version, checksum)
    return report


def _load_route(repo: RouteRepository, route: Route) -> str:
    checksum = route_checksum(route)
    stored = repo.checksum(route.id)
    if stored is None:
        repo.insert(route, checksum=checksum)
        return "added"
    stored_checksum, edited = stored
    if edited:
        return "kept"
    if stored_checksum == checksum:
        return "unchanged"
    repo.replace(route, expected_version=None, edited=False, checksum=checksum)
    return "updated"
