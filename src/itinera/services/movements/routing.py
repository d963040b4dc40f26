"""Publishers' route names to catalogue route ids, through the catalogue's aliases.

A name is matched on its folded key (``normalise_alias``): an alias of a route, or the
route id itself. A name outside the catalogue is kept as written and counted, so that it can
be mapped later by adding an alias; :func:`reattribute_routes` then re-resolves the stored
figures without a re-import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from itinera.domain.route import normalise_alias
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["RouteResolver", "reattribute_routes", "route_owners"]


def route_owners(session: UnitOfWork) -> dict[str, str]:
    """Every folded alias and route id, with the route id it resolves to."""
    repo = RouteRepository(session)
    owners = {normalise_alias(route_id): route_id for route_id in repo.route_ids()}
    owners.update(repo.alias_owners())
    return owners


@dataclass
class RouteResolver:
    owners: dict[str, str]
    _unmapped: Counter[str] = field(default_factory=Counter)
    _rows: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: UnitOfWork) -> RouteResolver:
        return cls(route_owners(session))

    def resolve(
        self, name: str | None, route_id: str | None, row: int | None, *, count: bool = True
    ) -> tuple[str | None, str | None]:
        """``(route_key, route_id)``; the alias table wins over a reader's own guess."""
        if not name:
            return None, route_id
        key = normalise_alias(name)
        found = self.owners.get(key) or route_id
        if found is None and count:
            if row is None:
                self._unmapped[name] += 1
            else:
                self._rows.setdefault(name, set()).add(row)
        return key, found

    def add_unmapped(self, counts: Counter[str]) -> None:
        """Count route names that a caller resolved with ``count=False`` (rows per name)."""
        self._unmapped.update(counts)

    def unmapped(self) -> dict[str, int]:
        """Route names not in the catalogue, with the number of source rows (or records)."""
        counts = Counter(self._unmapped)
        for name, rows in self._rows.items():
            counts[name] += len(rows)
        return dict(counts.most_common())


def reattribute_routes(session: UnitOfWork) -> int:
    """Re-resolve the route of every stored observation and incident; returns rows changed."""
    return MovementRepository(session).reattribute(route_owners(session))
