"""Small-cell protection for published observations (issue 10, item 6).

An observation is one figure of a publisher's table: a total (no breakdown) or one cell of a
breakdown by nationality, sex or age group. For the public, every count of people from 1 to
``threshold - 1`` is hidden, and so is enough else that no hidden cell can be derived from the
figures shown: the cells of one breakdown, the remainder ``total - sum(cells)`` and the total
form one equation, protected by :func:`suppress_vector` (secondary suppression). A positive
remainder is never published, so it counts as a hidden cell of its own.

Suppression is decided over the whole group of an observation (same batch, indicator, period,
place), whatever page or filter asked for it, so that two requests cannot disagree on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD, suppress_vector
from itinera.domain.movement_records import ObservationRecord

__all__ = ["COUNTED_UNITS", "group_key", "hidden_observations", "is_counted"]

COUNTED_UNITS = frozenset({"persons", "detections", "incidents"})
_BREAKDOWN = ("nationality", "sex", "age_group")


def is_counted(record: ObservationRecord) -> bool:
    """A count of people or events: what small-cell protection is about (rates are not)."""
    return record.unit in COUNTED_UNITS


def group_key(record: ObservationRecord) -> Hashable:
    """What one equation shares: everything but the breakdown."""
    return (
        record.batch_id,
        record.indicator,
        record.unit,
        record.period_kind,
        record.period_start,
        record.period_end,
        record.route_id,
        record.route_name,
        record.country,
        record.place,
        record.border_type,
        record.derived,
        record.superseded,
    )


def _breakdown(record: ObservationRecord) -> tuple[bool, ...]:
    return tuple(getattr(record, name) is not None for name in _BREAKDOWN)


def hidden_observations(
    records: Iterable[ObservationRecord], threshold: int = DEFAULT_THRESHOLD
) -> frozenset[int]:
    """Ids of the observations to withhold from the public, given every member of their
    groups (a group seen only in part may be under-protected)."""
    groups: dict[Hashable, list[ObservationRecord]] = defaultdict(list)
    for record in records:
        if is_counted(record):
            groups[group_key(record)].append(record)
    hidden: set[int] = set()
    for members in groups.values():
        hidden |= _hide_in_group(members, threshold)
    return frozenset(hidden)


def _hide_in_group(members: list[ObservationRecord], threshold: int) -> set[int]:
    totals = [r for r in members if not any(_breakdown(r))]
    by_breakdown: dict[tuple[bool, ...], list[ObservationRecord]] = defaultdict(list)
    for record in members:
        if any(_breakdown(record)):
            by_breakdown[_breakdown(record)].append(record)
    hidden = {r.id for r in totals if 0 < _count(r) < threshold}
    total = _count(totals[0]) if len(totals) == 1 else None
    for cells in by_breakdown.values():
        values = [_count(r) for r in cells]
        remainder = total - sum(values) if total is not None else 0
        # A remainder of zero protects nothing (whoever assumes the breakdown complete knows
        # it): it joins the equation only when positive.
        table = suppress_vector([*values, remainder] if remainder > 0 else values, threshold)
        row = table.cells[0]
        hidden |= {r.id for r, shown in zip(cells, row, strict=False) if shown is None}
        if table.total is None:
            hidden |= {r.id for r in totals}
    return hidden


def _count(record: ObservationRecord) -> int:
    return max(round(record.value), 0)
