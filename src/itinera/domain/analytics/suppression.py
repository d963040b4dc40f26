"""Small-cell protection for public outputs: primary and secondary suppression.

Primary: every count from 1 to ``threshold - 1`` is hidden (a zero is published: it reveals no
person). Secondary, for a table published with its margins: see the table with its totals as an
(R+1) × (C+1) grid where each row and each column (totals included) is one equation
"cells = total". A hidden entry can be recovered exactly when it is alone in an equation, or
more generally when it is a *bridge* of the graph whose vertices are the equations and whose edges
are the hidden entries (an entry lies in exactly one row and one column equation; the values the
equations leave free are the cycles of that graph). So, until nothing changes:

1. where an equation holds exactly one hidden entry, also hide its smallest other entry;
2. where a hidden entry is a bridge, hide the smallest entry that closes a cycle through it.

Entries are chosen smallest first, positive before zero (hiding a zero protects little), cells
before totals. A one-dimensional table (values plus a total) is one equation: rule 1 alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_THRESHOLD", "SuppressedTable", "suppress_table", "suppress_vector"]

DEFAULT_THRESHOLD = 5

Entry = tuple[int, int]  # (row, column) in the grid with totals at index R and C
Node = tuple[str, int]  # ("r", row) or ("c", column): an equation of the grid


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[int | None]]  # None where hidden
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    primary: frozenset[Entry]
    secondary: frozenset[Entry]


def _preference(value: int, is_total: bool) -> tuple[int, int, int]:
    return (value == 0, is_total, value)


def _is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppress_vector(values: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """A single row of counts with its total (``row_totals[0]`` and ``total`` are the same)."""
    return suppress_table([list(values)], threshold)


def suppress_table(
    cells: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """Suppress a rows × columns table of non-negative counts published with its margins.
    With one row, the column totals repeat the cells and the table is one equation."""
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if any(len(r) != cols for r in cells):
        raise ValueError("every row of the table must have the same number of cells")
    if any(v < 0 for r in cells for v in r):
        raise ValueError("counts cannot be negative")
    grid = [[*r, sum(r)] for r in cells]
    grid.append([sum(grid[i][j] for i in range(rows)) for j in range(cols + 1)])
    one_row = rows == 1
    lines: list[list[Entry]] = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)]
    if not one_row:
        lines += [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]
    else:
        lines = [lines[0]]  # the total row equals row 0: one equation only
    primary = {
        (i, j)
        for i in range(rows if one_row else rows + 1)
        for j in range(cols + 1)
        if _is_small(grid[i][j], threshold)
    }
    hidden = set(primary)
    # how many hidden entries each line holds, kept as entries are hidden (rule 1 reads it on
    # every pass; counting each line's members every time was most of a suppression's cost)
    count = [sum(e in hidden for e in line) for line in lines]
    lines_of: dict[Entry, list[int]] = {}
    for k, line in enumerate(lines):
        for entry in line:
            lines_of.setdefault(entry, []).append(k)

    def hide(entry: Entry) -> None:
        hidden.add(entry)
        for k in lines_of.get(entry, ()):
            count[k] += 1

    def best(candidates: list[Entry]) -> Entry | None:
        free = [e for e in candidates if e not in hidden]
        if not free:
            return None
        return min(free, key=lambda e: (*_preference(grid[e[0]][e[1]], _total(e)), e))

    def _total(entry: Entry) -> bool:
        return entry[0] == rows or entry[1] == cols

    while True:
        changed = False
        for k, line in enumerate(lines):
            if count[k] == 1:
                pick = best(line)
                if pick is not None:
                    hide(pick)
                    changed = True
        if changed:
            continue
        if one_row:
            break
        closing = _close_a_bridge(hidden, best)
        if closing is None:
            break
        hide(closing)
    secondary = frozenset(hidden - primary)
    if one_row:  # the total row repeats row 0
        hidden |= {(1, j) for i, j in hidden if i == 0}
    published = [
        [None if (i, j) in hidden else grid[i][j] for j in range(cols + 1)] for i in range(rows + 1)
    ]
    return SuppressedTable(
        [r[:cols] for r in published[:rows]],
        [r[cols] for r in published[:rows]],
        published[rows][:cols],
        published[rows][cols],
        frozenset(primary),
        secondary,
    )


def _close_a_bridge(
    hidden: set[Entry], best: Callable[[list[Entry]], Entry | None]
) -> Entry | None:
    """An entry that puts the first bridge of the hidden-entry graph on a cycle, or None."""
    adjacent: dict[Node, list[Node]] = {}  # built once; each search leaves out its bridge
    for i, j in hidden:
        adjacent.setdefault(("r", i), []).append(("c", j))
        adjacent.setdefault(("c", j), []).append(("r", i))
    for bridge in sorted(hidden):
        side_a = _component(("r", bridge[0]), adjacent, bridge)
        if ("c", bridge[1]) in side_a:
            continue  # on a cycle already
        side_b = _component(("c", bridge[1]), adjacent, bridge)
        candidates = [
            (i, j) for kind_r, i in side_b if kind_r == "r" for kind_c, j in side_a if kind_c == "c"
        ]
        pick = best(candidates)
        if pick is not None:
            return pick
    return None


def _component(start: Node, adjacent: dict[Node, list[Node]], without: Entry) -> set[Node]:
    """The nodes reachable from ``start`` over every hidden entry but ``without``."""
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for nxt in adjacent.get(node, []):
            entry = (node[1], nxt[1]) if node[0] == "r" else (nxt[1], node[1])
            if entry != without and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
