"""One indicator × route × breakdown of the analytics cube, summed over batches, as columns
(issue 13, decision 0036).

A new analytics question slices these arrays instead of asking the database: the rows are sorted
by month, so a window is two binary searches, and the preferred-source rule (``figures.py``: the
first of the indicator's preferred sources that has a figure for the month, else the
alphabetically first) is a minimum over each month's rows. Pure: numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

__all__ = ["CubeBlock", "month_groups", "month_positions"]

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def month_groups(months: Ints) -> tuple[Ints, Ints]:
    """The start of each run of equal months in a sorted array, and each run's length."""
    if not len(months):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate(([True], months[1:] != months[:-1])))
    return starts, np.diff(np.append(starts, len(months)))


def month_positions(months: Ints) -> tuple[Ints, Ints]:
    """The distinct months of a sorted array and each row's position among them (what
    ``np.unique`` gives, without its sort: the rows are sorted already)."""
    starts, lengths = month_groups(months)
    return months[starts], np.repeat(np.arange(len(starts)), lengths)


@dataclass(frozen=True, eq=False)
class CubeBlock:
    """Rows (month, source, category, value), sorted by month; one row per month × source ×
    category. ``batches`` (totals only): (month index, source key) -> the batches behind it."""

    months: Ints  # Month.index of each row, ascending
    sources: Ints  # position in ``source_keys``
    categories: Ints  # position in ``category_names``
    values: Floats
    source_keys: tuple[str, ...]
    category_names: tuple[str, ...]
    batches: Mapping[tuple[int, str], tuple[int, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.months)

    def rows(self, keep: slice | npt.NDArray[np.bool_]) -> CubeBlock:
        """The same block with only the rows ``keep`` selects (order kept)."""
        return CubeBlock(
            self.months[keep],
            self.sources[keep],
            self.categories[keep],
            self.values[keep],
            self.source_keys,
            self.category_names,
            self.batches,
        )

    def between(self, first: int | None, last: int | None) -> CubeBlock:
        """The rows of months ``first`` to ``last`` (month indexes, inclusive; None: open)."""
        lo = 0 if first is None else int(np.searchsorted(self.months, first, "left"))
        hi = len(self) if last is None else int(np.searchsorted(self.months, last, "right"))
        return self.rows(slice(lo, hi))

    def ranks(self, preferred: Sequence[str]) -> Ints:
        """Each source's place in the headline rule: preferred ones first, then by name."""
        order = {key: i for i, key in enumerate(preferred)}
        alphabetical = {key: i for i, key in enumerate(sorted(self.source_keys))}
        return np.array(
            [order.get(key, len(order) + alphabetical[key]) for key in self.source_keys],
            dtype=np.int64,
        )

    def headline(self, preferred: Sequence[str]) -> CubeBlock:
        """Only the rows of each month's headline source."""
        if not len(self):
            return self
        rank = self.ranks(preferred)[self.sources]
        starts, lengths = month_groups(self.months)
        best = np.minimum.reduceat(rank, starts)
        return self.rows(rank == np.repeat(best, lengths))

    def source_sums(self) -> tuple[Ints, Floats, npt.NDArray[np.bool_]]:
        """(distinct months, month × source sums, month × source present)."""
        months, at = month_positions(self.months)
        width = len(self.source_keys)
        if not len(months):
            return months, np.zeros((0, width)), np.zeros((0, width), dtype=np.bool_)
        key = at * width + self.sources
        size = len(months) * width
        sums = cast(Floats, np.bincount(key, weights=self.values, minlength=size))
        sums = sums.reshape(-1, width)
        present = np.bincount(key, minlength=size).reshape(-1, width) > 0
        return months, sums, present
