"""A route series' figures read off the cube's columns (issue 13, decision 0036).

The same figures ``figures.load_figures`` gives from SQL (its docstring states the
preferred-source rule), computed on the arrays of ``arrays.Snapshot``: each month's headline
source, the monthly totals, the breakdown over the window (top categories and ``other``), the
small-cell suppression of that table, and each month's provenance. Only the window's few cells
become Python objects, keyed by month index (an int hashes in C; a ``Month`` key cost ~440
Python-level hashes a question). What does not depend on the window — each month's headline
rows, their sums and each month's provenance — is worked out once per block and token
(``Headlines``, decision 0039) and sliced by every question.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

from itinera.domain.analytics.cube_block import CubeBlock, month_positions
from itinera.domain.analytics.series import top_n
from itinera.domain.analytics.suppression import suppress_table

__all__ = ["Headlines", "Provenance", "category_table", "monthly", "provenance", "publish"]

Provenance = dict[int, tuple[str, list[int], dict[str, float]]]
Table = dict[str, dict[int, float]]


def monthly(head: CubeBlock, category: str | None = None) -> dict[int, float]:
    """Each month's headline summed over categories, or only ``category``'s figure."""
    if category is not None:
        if category not in head.category_names:
            return {}
        head = head.rows(head.categories == head.category_names.index(category))
    months, at = month_positions(head.months)
    sums = np.bincount(at, weights=head.values, minlength=len(months))
    return dict(zip(months.tolist(), sums.tolist(), strict=True))


def category_table(head: CubeBlock, months: list[int], top: int | None) -> Table:
    """category -> month -> headline figure over the window ``months``: every category the
    rows name (some may have no figure in the window), the ``top`` largest over the window
    kept and the rest summed as ``other`` (``top_n``'s ranking)."""
    codes = np.unique(head.categories)
    first = months[0] if months else 0
    inside = head.between(first, months[-1]) if months else head.rows(slice(0))
    names = head.category_names
    target = np.arange(len(names))  # category code -> row of the table
    labels = list(names)
    if top is not None:
        sums = np.bincount(inside.categories, weights=inside.values, minlength=len(names))
        ranked = top_n({names[c]: float(sums[c]) for c in codes.tolist()}, top)
        keep = {c for c, _ in ranked if c in names and c != "other"}
        present = [c for c in codes.tolist() if names[c] in keep]
        if len(present) < len(codes):
            labels.append("other")
            target[:] = len(names)
            for code in present:
                target[code] = code
            codes = np.array([*present, len(names)])
    if not months:
        return {labels[code]: {} for code in codes.tolist()}
    width = len(months)
    cell = target[inside.categories] * width + (inside.months - first)
    size = len(labels) * width
    values = np.bincount(cell, weights=inside.values, minlength=size).reshape(-1, width)
    found = np.bincount(cell, minlength=size).reshape(-1, width) > 0
    table: Table = {}
    for code in codes.tolist():
        row, seen = values[code].tolist(), found[code].tolist()
        table[labels[code]] = {m: v for m, v, s in zip(months, row, seen, strict=True) if s}
    return table


def _small(values: npt.NDArray[np.int64], threshold: int) -> bool:
    return bool(((values > 0) & (values < threshold)).any())


def publish(
    rows: Table, months: list[int], exact: bool, threshold: int
) -> tuple[Table, set[tuple[str, int]]]:
    """The table (category -> month -> value) as it may be shown, and the hidden cells: the
    primary test on arrays; the exact rules of ``suppress_table`` only when a cell is small."""
    categories = sorted(rows)
    if exact or not categories:
        return {c: {m: rows[c][m] for m in months if m in rows[c]} for c in categories}, set()
    index = {m: j for j, m in enumerate(months)}
    cells = np.zeros((len(categories), len(months)), dtype=np.int64)
    for i, c in enumerate(categories):
        for m, v in rows[c].items():
            if m in index:
                cells[i, index[m]] = round(v)
    margins = [cells, cells.sum(axis=1)]
    if len(categories) > 1:
        margins += [cells.sum(axis=0), cells.sum(keepdims=True)]
    hidden_cells: list[list[int | None]]
    if (cells < 0).any() or any(_small(part, threshold) for part in margins):
        hidden_cells = suppress_table(cells.tolist(), threshold).cells
    else:
        hidden_cells = cast(list[list[int | None]], cells.tolist())  # nothing small: none hidden
    published: Table = {c: {} for c in categories}
    hidden = set()
    for i, c in enumerate(categories):
        for m in rows[c]:
            j = index.get(m)
            if j is None:
                continue
            value = hidden_cells[i][j]
            if value is None:
                hidden.add((c, m))
            else:
                published[c][m] = float(value)
    return published, hidden


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "head", self.rows.headline(self.preferred))
        object.__setattr__(self, "_sums", {})

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

    def provenance(self, months: list[int]) -> Provenance:
        """``provenance(rows, totals, preferred, months)`` for consecutive ``months``."""
        found = self._provenance
        if found is None:
            everything = list(np.unique(self.rows.months).tolist())
            found = provenance(self.rows, self.totals, self.preferred, everything)
            object.__setattr__(self, "_provenance", found)
        return {m: found[m] for m in months if m in found}
