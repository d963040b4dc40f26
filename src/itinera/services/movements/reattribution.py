"""Changing a rule re-places the stored figures it placed (C2, issue 11, decision 0034).

The rules of route attribution (``reference/data/route_attribution.yaml``, over the catalogue's
routes and legs as stored) have a fingerprint. The one the stored figures were placed with is
kept in ``reference_versions`` (``RULES_KEY``). When the two differ — a release changed a rule,
a user edited a route's legs or deleted a route — ``itinera init`` (at start-up, after the
migrations and the reference data) and ``itinera sources reattribute`` ask the rules again for
every stored figure and incident that a rule placed: by a place rule, by the nearest leg, or on
no route. A publisher's route (its label, an alias of it) and an analyst's choice are never
touched. Incidents that moved have their batch's monthly figures derived again (the groups an
analyst put on a route by hand are kept as they are), with the months a newer vintage
supersedes marked again. All of it is one transaction, with the audit entry and the analytics
cube re-summed for the routes that lost or gained figures (its generation bumped, so every
process drops its cached answers); ``dry_run`` does the same and rolls back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from itinera.domain.access import SYSTEM, Action, Actor, require
from itinera.domain.route_attribution import AttributionRules, LegSegment, RouteAttributor
from itinera.importers.base import flatten
from itinera.services.accounts import audit
from itinera.services.movements.attribution import load_rules
from itinera.services.movements.derive import derive_attributed
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.services.movements.routing import RouteResolver, route_owners
from itinera.services.movements.storing import RowMaker
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.movements.movement_repository import CHUNK, MovementRepository
from itinera.storage.movements.rule_placements import RulePlacementRepository

__all__ = [
    "RULES_KEY",
    "ReattributionReport",
    "note_rules_of_first_import",
    "reattribute_by_rules",
    "reattribute_if_rules_changed",
    "rules_fingerprint",
]

RULES_KEY = "route_attribution:applied"


@dataclass(frozen=True)
class ReattributionReport:
    fingerprint: str  # of the rules the stored figures are now placed with
    previous: str | None  # of the rules they were placed with (None: never recorded)
    figures: int = 0  # published figures moved
    incidents: int = 0  # incidents moved
    derived: int = 0  # monthly figures derived again from the incidents that moved
    routes: tuple[str, ...] = ()  # routes whose totals changed (summed again in the cube)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.incidents)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "routes": list(self.routes), "changed": self.changed}


class _DryRun(Exception):
    def __init__(self, report: ReattributionReport) -> None:
        super().__init__("dry run")
        self.report = report


def rules_fingerprint(rules: AttributionRules, segments: list[LegSegment]) -> str:
    """SHA-256 of the rules as they apply: the rules themselves and the legs they measure."""
    legs = sorted(json.dumps(asdict(s), sort_keys=True) for s in segments)  # in any order
    payload = [asdict(rules), legs]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def note_rules_of_first_import(session: UnitOfWork, attributor: RouteAttributor) -> None:
    """An import into an empty store records the rules it places figures with, so that the
    next start-up has nothing to check while they stand (a store already holding figures keeps
    the fingerprint it has: those figures may have been placed by older rules)."""
    references = ReferenceRepository(session)
    if (
        references.version(RULES_KEY) is None
        and not RulePlacementRepository(session).holds_figures()
    ):
        fingerprint = rules_fingerprint(attributor.rules, attributor.segments)
        references.add_version(RULES_KEY, 1, fingerprint)


def reattribute_if_rules_changed(db: Database) -> ReattributionReport | None:
    """At start-up: re-place the stored figures when the rules changed since they were placed;
    ``None`` when they did not, or when no figure is stored (nothing to place: the pass always
    applies the rules as they stand, so a store filled later is checked at the next start)."""
    with db.transaction() as session:
        if not RulePlacementRepository(session).holds_figures():
            return None
        applied = ReferenceRepository(session).version(RULES_KEY)
        current = rules_fingerprint(*load_rules(session))
    if applied is not None and applied[1] == current:
        return None
    return reattribute_by_rules(db, SYSTEM)


def reattribute_by_rules(
    db: Database, actor: Actor, *, rules: AttributionRules | None = None, dry_run: bool = False
) -> ReattributionReport:
    """Ask the rules (the packaged ones unless given) again for every stored figure a rule
    placed; see the module doc. Returns what moved (or would move, with ``dry_run``)."""
    require(actor, Action.IMPORT_MOVEMENTS)
    try:
        with db.transaction(write=True) as session:
            report = _Pass(session, rules).run(dry_run)
            if dry_run:
                raise _DryRun(report)
            ReferenceRepository(session).set_version(RULES_KEY, 1, report.fingerprint)
            if report.changed:
                CubeRepository(session).resum_routes(list(report.routes))
                audit.record(
                    session,
                    actor,
                    action="movements.reattribute",
                    entity="route_attribution",
                    entity_id=report.fingerprint[:16],
                    purpose="analysis",
                    detail={k: v for k, v in report.as_dict().items() if k != "dry_run"},
                )
    except _DryRun as undone:
        return undone.report
    return report


@dataclass
class _Pass:
    session: UnitOfWork
    given: AttributionRules | None
    routes: set[str] = field(default_factory=set)
    attributors: dict[str, RouteAttributor] = field(default_factory=dict)

    def run(self, dry_run: bool) -> ReattributionReport:
        self.rules, self.segments = load_rules(self.session, self.given)
        self.owners = route_owners(self.session)
        repo = self.repo = RulePlacementRepository(self.session)
        applied = ReferenceRepository(self.session).version(RULES_KEY)
        moved = []
        for placement in repo.figure_placements():
            to = placement.revised(self._attributor(placement.source), self.owners)
            if to != placement.found:
                moved.append((placement, to))
                self._moved(placement.found.route_id, to.route_id)
        figures = repo.move_figures(moved)
        moves, batches = [], set()
        for placement in repo.incident_placements():
            to = placement.revised(self._attributor(placement.source), self.owners)
            if to != placement.found and placement.incident_id is not None:
                moves.append((placement.incident_id, to))
                batches.add(placement.batch_id or 0)
        repo.move_incidents(moves)
        derived = sum(self._derive_again(batch) for batch in sorted(batches))
        return ReattributionReport(
            rules_fingerprint(self.rules, self.segments),
            applied[1] if applied else None,
            figures,
            len(moves),
            derived,
            tuple(sorted(self.routes)),
            dry_run,
        )

    def _attributor(self, source: str) -> RouteAttributor:
        found = self.attributors.get(source)
        if found is None:
            found = self.attributors[source] = RouteAttributor(self.rules, self.segments, source)
        return found

    def _moved(self, *routes: str | None) -> None:
        self.routes.update(r for r in routes if r is not None)

    def _derive_again(self, batch_id: int) -> int:
        """Derive the batch's monthly figures again from its incidents as they now stand."""
        pairs = self.repo.batch_incidents(batch_id)
        kept, superseded, left = self.repo.drop_derived(batch_id)
        self._moved(*left)
        movements = MovementRepository(self.session)
        maker = RowMaker(
            indicator_dictionary(),
            RouteResolver(self.owners),
            f"batch {batch_id}",
            batch_id=batch_id,
            source_id=self.repo.batch_source_id(batch_id),
            date_value=movements.date_value,
            attributor=self._attributor(""),
        )
        rows = []
        for figure, found in derive_attributed(pairs):
            group = (figure.route_name, figure.country, figure.period.start, figure.correction)
            row = None if group in kept else maker.row(flatten(figure), derived=True, found=found)
            if row is not None:
                rows.append(row)
                self._moved(found.route_id)
        for start in range(0, len(rows), CHUNK):
            movements.insert_observations(rows[start : start + CHUNK])
        self.repo.supersede_months(batch_id, superseded)
        return len(rows)
