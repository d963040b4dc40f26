"""A route series' figures read off the cube's columns (issue 13, decision 0036).

The same figures ``figures.load_figures`` gives from SQL (its docstring states the
preferred-source rule), computed on the arrays of ``arrays.Snapshot``: each month's headline
source, the monthly totals and each month's provenance (the breakdown over the window and its
small-cell suppression: ``grid.py``). Only the window's few cells become Python objects,
keyed by month index (an int hashes in C; a ``Month`` key cost ~440 Python-level hashes a
question). What does not depend on the window — each month's headline
rows, their sums and each month's provenance — is worked out once per block and token
(``Headlines``, decision 0039) and sliced by every question.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from itinera.domain.analytics.cube_block import CubeBlock, month_positions

__all__ = ["Headlines", "Provenance", "monthly", "provenance", "safe"]

Provenance = dict[int, tuple[str, list[int], dict[str, float]]]


def monthly(head: CubeBlock, category: str | None = None) -> dict[int, float]:
    """Each month's headline summed over categories, or only ``category``'s figure."""
    if category is not None:
        if category not in head.category_names:
            return {}
        head = head.rows(head.categories == head.category_names.index(category))
    months, at = month_positions(head.months)
    sums = np.bincount(at, weights=head.values, minlength=len(months))
    return dict(zip(months.tolist(), sums.tolist(), strict=True))


def provenance(
    rows: CubeBlock, totals: CubeBlock, preferred: Sequence[str], months: list[int]
) -> Provenance:
    """For each window month with figures: its headline source, the batches behind that
    source's total, and the other sources' sums."""
    inside = rows.between(months[0], months[-1]) if months else rows.rows(slice(0))
    if not len(inside):
        return {}
    found, sums, present = inside.source_sums()
    rank = np.where(present, inside.ranks(preferred)[None, :], np.iinfo(np.int64).max)
    chosen = rank.argmin(axis=1).tolist()
    keys = inside.source_keys
    result: Provenance = {}
    for i, (month, pick) in enumerate(zip(found.tolist(), chosen, strict=True)):
        others = {
            keys[s]: v
            for s, (v, here) in enumerate(zip(sums[i].tolist(), present[i].tolist(), strict=True))
            if here and s != pick
        }
        batches = list(totals.batches.get((month, keys[pick]), ()))
        result[month] = (keys[pick], batches, others)
    return result


@dataclass(frozen=True)
class Headlines:
    """One block's figures that every window slices: its headline rows, each month's headline
    summed (over every category, or one category's, worked out when first asked) and each
    month's provenance. The same numbers ``monthly`` and ``provenance`` give on any window:
    each month's figures depend on that month's rows only."""

    rows: CubeBlock
    totals: CubeBlock
    preferred: tuple[str, ...]
    head: CubeBlock = field(init=False)
    _sums: dict[str | None, tuple[list[int], list[float]]] = field(init=False)
    _provenance: Provenance | None = field(init=False, default=None)
    _others: dict[tuple[bool, int], dict[int, dict[str, float | None]]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "head", self.rows.headline(self.preferred))
        object.__setattr__(self, "_sums", {})
        object.__setattr__(self, "_others", {})

    def monthly(
        self, category: str | None, first: int | None, last: int | None
    ) -> dict[int, float]:
        """``monthly(head.between(first, last), category)``, from sums worked out once."""
        found = self._sums.get(category)
        if found is None:
            sums = monthly(self.head, category)
            found = self._sums[category] = (list(sums), list(sums.values()))
        months, values = found
        lo = 0 if first is None else bisect_left(months, first)
        hi = len(months) if last is None else bisect_right(months, last)
        return dict(zip(months[lo:hi], values[lo:hi], strict=True))

    def _every_month(self) -> Provenance:
        found = self._provenance
        if found is None:
            everything = list(np.unique(self.rows.months).tolist())
            found = provenance(self.rows, self.totals, self.preferred, everything)
            object.__setattr__(self, "_provenance", found)
        return found

    def provenance(self, months: list[int]) -> Provenance:
        """``provenance(rows, totals, preferred, months)`` for consecutive ``months``."""
        found = self._every_month()
        return {m: found[m] for m in months if m in found}

    def other_sources(self, exact: bool, threshold: int) -> dict[int, dict[str, float | None]]:
        """Each month's other sources' figures by source name, small ones hidden for the
        public (shared by every answer: copy before changing one)."""
        found = self._others.get((exact, threshold))
        if found is None:
            found = {
                month: {s: safe(v, exact, threshold) for s, v in sorted(others.items())}
                for month, (_, _, others) in self._every_month().items()
            }
            self._others[(exact, threshold)] = found
        return found


def safe(value: float | None, exact: bool, threshold: int) -> float | None:
    """``value`` unless the public may not see it (a count from 1 to threshold - 1)."""
    if value is None or exact or not 0 < value < threshold:
        return value
    return None
