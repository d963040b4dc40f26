"""Reconciliation that says something (issue 11, item 6; rules in ``reconciliation.yaml``).

- ``vintage_revisions``: each source's newer vintage against the older one, for the figures
  both give (same indicator, route, country, breakdown and period): how many were revised,
  the totals before and after, and the largest revisions with both figures.
- ``related_differences``: related indicators of two publishers on the same route and month
  (UNHCR sea arrivals against Frontex detections at sea …): the months whose gap passes the
  comparison's tolerance, with both figures and both sources.

Both read the same per-key sums as the discrepancy report (``source_figures``: country-level
figures, admin areas never added in). Without the exact-figures permission, breakdowns and
figures under the suppression threshold are left out, as in the discrepancy report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.movement_records import DISCREPANCY_KEY, ObservationCriteria, SourceFigure
from itinera.domain.reconciliation import ComparisonSide, gap_share
from itinera.reference.reconciliation import packaged_reconciliation_rules
from itinera.services.movements.query import ObservationFilter
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = ["reconciliation", "related_differences", "vintage_revisions"]

LISTED = 50  # rows listed per vintage pair or comparison, largest first


def reconciliation(
    db: Database, actor: Actor, filters: ObservationFilter, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """Both reports, for the API, the CLI and the sources page."""
    return {
        "vintages": vintage_revisions(db, actor, filters, threshold),
        "related": related_differences(db, actor, filters, threshold),
    }


def vintage_revisions(
    db: Database, actor: Actor, filters: ObservationFilter, threshold: int = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    require(actor, Action.VIEW_AGGREGATES)
    criteria = filters.criteria()
    tolerance = packaged_reconciliation_rules().vintage_tolerance
    public = not can(actor, Action.VIEW_EXACT_FIGURES)
    pairs = []
    with db.transaction() as session:
        repository = MovementQueryRepository(session)
        for source in repository.sources():
            if criteria.source and source.key != criteria.source:
                continue
            for newer, older in pairwise(source.batches):  # newest first
                new = _batch_figures(session, criteria, source.key, newer.id)
                old = _batch_figures(session, criteria, source.key, older.id)
                level, shared = "figure", [k for k in new if k in old]
                if not shared:  # one vintage lacks a dimension (MMP's 2020 export: countries)
                    level, new, old = "route-month", _coarse(new), _coarse(old)
                    shared = [k for k in new if k in old]
                if not shared:
                    continue
                revised = [k for k in shared if tolerance.exceeded(old[k], new[k])]
                shown = [k for k in revised if not public or _public(k, old[k], new[k], threshold)]
                shown.sort(key=lambda k: -abs(new[k] - old[k]))
                pairs.append(
                    {
                        "source": source.key,
                        "older": {"batch_id": older.id, "vintage": older.vintage},
                        "newer": {"batch_id": newer.id, "vintage": newer.vintage},
                        "level": level,
                        "figures_compared": len(shared),
                        "figures_revised": len(revised),
                        "older_total": sum(old[k] for k in shared),
                        "newer_total": sum(new[k] for k in shared),
                        "revisions": [_revision(k, old[k], new[k]) for k in shown[:LISTED]],
                    }
                )
    return pairs


def related_differences(
    db: Database, actor: Actor, filters: ObservationFilter, threshold: int = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    require(actor, Action.VIEW_AGGREGATES)
    criteria = filters.criteria()
    public = not can(actor, Action.VIEW_EXACT_FIGURES)
    found = []
    with db.transaction() as session:
        for comparison in packaged_reconciliation_rules().comparisons:
            left = _route_months(session, criteria, comparison.left)
            right = _route_months(session, criteria, comparison.right)
            shared = sorted(k for k in left if k in right)
            beyond = [k for k in shared if comparison.tolerance.exceeded(left[k], right[k])]
            if public:
                beyond = [k for k in beyond if min(left[k], right[k]) >= threshold]
            beyond.sort(key=lambda k: -abs(left[k] - right[k]))
            found.append(
                {
                    "id": comparison.id,
                    "name": comparison.name,
                    "note": comparison.note,
                    "left": _side(comparison.left),
                    "right": _side(comparison.right),
                    "tolerance": {
                        "relative": comparison.tolerance.relative,
                        "absolute": comparison.tolerance.absolute,
                    },
                    "months_compared": len(shared),
                    "months_beyond_tolerance": len(beyond),
                    "differences": [
                        {
                            "route_id": route,
                            "month": f"{month:%Y-%m}",
                            "left": left[(route, month)],
                            "right": right[(route, month)],
                            "gap": left[(route, month)] - right[(route, month)],
                            "gap_share": gap_share(left[(route, month)], right[(route, month)]),
                        }
                        for route, month in beyond[:LISTED]
                    ],
                }
            )
    return found


_Key = tuple[Any, ...]


def _batch_figures(
    session: UnitOfWork, criteria: ObservationCriteria, source: str, batch_id: int
) -> dict[_Key, float]:
    only = _with(criteria, source=source, batch_id=batch_id, include_superseded=True)
    return {_key(f): f.value for f in MovementQueryRepository(session).source_figures(only)}


def _key(f: SourceFigure) -> _Key:
    return tuple(getattr(f, name) for name in DISCREPANCY_KEY)


def _route_months(
    session: UnitOfWork, criteria: ObservationCriteria, side: ComparisonSide
) -> dict[tuple[str, date], float]:
    """A source's monthly figure per route: every figure by nationality summed in (Frontex: no
    total rows, an unknown nationality is a row like the others), or only the figures
    without nationality when the side says those are the source's totals."""
    only = _with(criteria, source=side.source, indicator=side.indicator)
    found = MovementQueryRepository(session).route_months(
        only, side.border_type, side.sum_nationalities
    )
    return {(f.route_id, f.month): f.value for f in found}


def _coarse(figures: dict[_Key, float]) -> dict[_Key, float]:
    """The same figures summed per indicator, route and period (every other part None)."""
    summed: dict[_Key, float] = defaultdict(float)
    for key, value in figures.items():
        indicator, route_id, *_, kind, start = key
        summed[(indicator, route_id, None, None, None, None, None, kind, start)] += value
    return dict(summed)


def _with(criteria: ObservationCriteria, **changes: Any) -> ObservationCriteria:
    values = {name: getattr(criteria, name) for name in criteria.__dataclass_fields__}
    return ObservationCriteria(**{**values, **changes})


def _public(key: _Key, older: float, newer: float, threshold: int) -> bool:
    no_breakdown = all(part is None for part in key[3:6])
    return no_breakdown and all(v == 0 or v >= threshold for v in (older, newer))


def _revision(key: _Key, older: float, newer: float) -> dict[str, Any]:
    indicator, route_id, country, nationality, sex, age_group, border, kind, start = key
    return {
        "indicator": indicator,
        "route_id": route_id,
        "country": country,
        "nationality": nationality,
        "sex": sex,
        "age_group": age_group,
        "border_type": border,
        "period": f"{start:%Y-%m}" if kind == "month" else f"{kind} from {start}",
        "older": older,
        "newer": newer,
        "change": newer - older,
        "change_share": gap_share(older, newer),
    }


def _side(side: ComparisonSide) -> dict[str, Any]:
    return {"source": side.source, "indicator": side.indicator, "border_type": side.border_type}
