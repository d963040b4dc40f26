"""A series' category table over its window as arrays, and what the public may see of it
(issue 13, decision 0039).

``category_grid`` gives category × window month (the ``top`` largest categories over the window
kept and the rest summed as ``other``: ``top_n``'s ranking), rows sorted by label; ``publish``
rounds it for the public, tests every cell and margin for a small count at once, and runs the
exact rules of ``suppress_table`` only when one is found. The answer's column totals, category
totals and rows are read off these arrays in one pass each (Python dictionaries per category and
month cost most of a breakdown question before).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from itinera.domain.analytics.cube_block import CubeBlock
from itinera.domain.analytics.suppression import suppress_table

__all__ = ["Grid", "Published", "category_grid", "publish", "single_row"]

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Grid:
    """category × window month: each cell's headline figure and whether it has one."""

    labels: list[str]  # sorted
    values: Floats
    found: Flags

    @classmethod
    def single(cls, series: dict[int, float], months: list[int]) -> Grid:
        """One unnamed row: ``series`` (by month index) over the window ``months``."""
        found = np.array([m in series for m in months], dtype=np.bool_)
        values = np.array([series.get(m, 0.0) for m in months], dtype=np.float64)
        return cls([""], values.reshape(1, len(months)), found.reshape(1, len(months)))

    def row_sums(self) -> list[float]:
        """Each category's exact figures over the window, summed month by month in order."""
        return [
            sum(v for v, f in zip(row, seen, strict=True) if f)
            for row, seen in zip(self.values.tolist(), self.found.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class Published:
    """What may be shown of a ``Grid``: each shown cell's figure, and the hidden cells."""

    values: Floats
    shown: Flags  # a figure, published
    hidden: Flags  # a figure, suppressed

    def column_totals(self, months: list[int]) -> dict[int, float]:
        """Each month's published total: the sum of its shown cells (in label order), none
        for a month with a hidden cell or no figure."""
        sums = np.where(self.shown, self.values, 0.0).sum(axis=0)  # row after row, in order
        keep = cast(list[bool], (self.shown.any(axis=0) & ~self.hidden.any(axis=0)).tolist())
        return {m: v for m, v, k in zip(months, sums.tolist(), keep, strict=True) if k}

    def rows(self, grid: Grid, codes: list[str]) -> list[dict[str, Any]]:
        """The breakdown: each category's window total (none when a cell is hidden) and its
        figures by month code, largest categories first (then by label)."""
        rows = []
        cells = zip(self.values.tolist(), self.shown.tolist(), grid.found.tolist(), strict=True)
        for label, (values, shown, found) in zip(grid.labels, cells, strict=True):
            present = {
                code: value if seen else None
                for code, value, seen, has in zip(codes, values, shown, found, strict=True)
                if has
            }
            figures = list(present.values())
            total = None if not figures or None in figures else sum(figures)  # type: ignore[arg-type]
            rows.append({"category": label or "unknown", "total": total, "values": present})
        sums = grid.row_sums()
        return [rows[i] for i in sorted(range(len(rows)), key=lambda i: -sums[i])]


def category_grid(head: CubeBlock, months: list[int], top: int | None) -> Grid:
    """Every category the rows name (some may have no figure in the window) over ``months``."""
    names = head.category_names
    codes = np.flatnonzero(np.bincount(head.categories, minlength=len(names)))
    first = months[0] if months else 0
    inside = head.between(first, months[-1]) if months else head.rows(slice(0))
    target = np.arange(len(names))  # category code -> row of the table
    labels = list(names)
    if top is not None:
        sums = np.bincount(inside.categories, weights=inside.values, minlength=len(names))
        # top_n's ranking: largest first, ties by name; a category named "other" is never kept
        ranked = codes[np.lexsort((_name_ranks(names)[codes], -sums[codes]))][:top]
        keep = {c for c in ranked.tolist() if names[c] != "other"}
        present = [c for c in codes.tolist() if c in keep]
        if len(present) < len(codes):
            labels.append("other")
            target[:] = len(names)
            for code in present:
                target[code] = code
            codes = np.array([*present, len(names)])
    width = len(months)
    cell = target[inside.categories] * width + (inside.months - first)
    size = len(labels) * width
    shape = (len(labels), width)
    values = cast(Floats, np.bincount(cell, weights=inside.values, minlength=size)).reshape(shape)
    found = np.bincount(cell, minlength=size).reshape(shape) > 0
    order = sorted(codes.tolist(), key=labels.__getitem__)
    return Grid([labels[code] for code in order], values[order], found[order])


@functools.lru_cache(maxsize=1024)
def _name_ranks(names: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """Each category code's place among the names in sorted order."""
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return ranks


def publish(grid: Grid, exact: bool, threshold: int) -> Published:
    """The grid as it may be shown: exact for analysts; for the public rounded, the primary
    test on arrays, the exact rules of ``suppress_table`` only when a count is small."""
    none = np.zeros_like(grid.found)
    if exact or not grid.labels:
        return Published(grid.values, grid.found, none)
    cells = np.where(grid.found, np.rint(grid.values), 0).astype(np.int64)
    margins = [cells.ravel(), cells.sum(axis=1)]
    if len(grid.labels) > 1:
        margins += [cells.sum(axis=0), cells.sum(keepdims=True).ravel()]
    tested = np.concatenate(margins)  # every cell and margin, tested at once
    if not ((tested < threshold) & (tested != 0)).any():  # no small count, none negative
        return Published(cells.astype(np.float64), grid.found, none)
    kept = suppress_table(cells.tolist(), threshold).cells
    withheld = np.array([[v is None for v in row] for row in kept], dtype=np.bool_)
    figures = np.array([[v or 0 for v in row] for row in kept], dtype=np.float64)
    withheld, figures = withheld.reshape(cells.shape), figures.reshape(cells.shape)
    return Published(figures, grid.found & ~withheld, grid.found & withheld)


def single_row(
    series: dict[int, float], months: list[int], exact: bool, threshold: int
) -> dict[int, float] | None:
    """``publish(Grid.single(series, months), …).column_totals(months)`` in plain Python (a
    window of a few dozen months costs less than the arrays' set-up), or None when a count
    is small or negative: then the grid's path and the exact rules decide."""
    if exact:
        return {m: series[m] for m in months if m in series}
    cells = [(m, round(series[m])) for m in months if m in series]
    total = sum(count for _, count in cells)
    if any(count < threshold and count != 0 for _, count in cells):
        return None
    if total < threshold and total != 0:
        return None
    return {m: float(count) for m, count in cells}
