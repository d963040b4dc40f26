"""Small-cell suppression: hand-checked tables and a property test by linear algebra."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from itinera.domain.analytics.suppression import suppress_table, suppress_vector


def test_a_vector_with_one_small_cell_hides_the_next_smallest() -> None:
    table = suppress_vector([3, 10, 7, 0])
    assert table.cells == [[None, 10, None, 0]]
    assert table.total == 20 and table.row_totals == [20]
    assert table.primary == {(0, 0)} and table.secondary == {(0, 2)}
    assert table.column_totals == [None, 10, None, 0]


def test_a_vector_without_small_cells_is_published_whole() -> None:
    table = suppress_vector([5, 0, 12])
    assert table.cells == [[5, 0, 12]] and table.total == 17
    assert not table.primary and not table.secondary


def test_a_two_by_two_table_hides_a_rectangle() -> None:
    #            c0  c1 | total
    # r0          2  10 |  12
    # r1         20  30 |  50
    # total      22  40 |  62
    table = suppress_table([[2, 10], [20, 30]])
    assert table.primary == {(0, 0)}
    assert table.cells == [[None, None], [None, None]]
    assert table.row_totals == [12, 50] and table.column_totals == [22, 40]
    assert table.total == 62


def test_the_threshold_is_configurable() -> None:
    assert suppress_vector([7, 8, 9], threshold=8).cells == [[None, None, 9]]
    assert suppress_vector([7, 8, 9], threshold=5).cells == [[7, 8, 9]]


def test_a_bridge_between_two_hidden_rectangles_is_closed() -> None:
    # rows 0-1 x cols 0-1 and rows 2-3 x cols 2-3 are two hidden cycles if the cells are small;
    # hide them plus (1, 2) joining them: (1, 2) alone would be a bridge and recoverable.
    cells = [
        [1, 1, 50, 50],
        [1, 1, 2, 50],
        [50, 50, 1, 1],
        [50, 50, 1, 1],
    ]
    table = suppress_table(cells)
    assert _recoverable(cells, table) == []


def _lines(rows: int, cols: int) -> list[list[tuple[int, int]]]:
    if rows == 1:
        return [[(0, j) for j in range(cols + 1)]]
    lines = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)]
    return lines + [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]


def _hidden(cells: list[list[int]], table: object) -> set[tuple[int, int]]:
    rows, cols = len(cells), len(cells[0])
    grid: list[list[int | None]] = [
        [*table.cells[i], table.row_totals[i]]
        for i in range(rows)  # type: ignore[attr-defined]
    ]
    grid.append([*table.column_totals, table.total])  # type: ignore[attr-defined]
    return {(i, j) for i in range(rows + 1) for j in range(cols + 1) if grid[i][j] is None}


def _rank(vectors: list[list[Fraction]]) -> int:
    rows = [list(v) for v in vectors]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(cells: list[list[int]], table: object) -> list[tuple[int, int]]:
    """Hidden entries whose value follows from the published ones by linear equations."""
    hidden = sorted(_hidden(cells, table))
    if not hidden:
        return []
    index = {e: k for k, e in enumerate(hidden)}
    equations = [
        [Fraction(1 if e in line else 0) for e in hidden]
        for line in _lines(len(cells), len(cells[0]))
    ]
    equations = [eq for eq in equations if any(eq)]
    base = _rank(equations)
    found = []
    for entry, k in index.items():
        unit = [Fraction(1 if j == k else 0) for j in range(len(hidden))]
        if _rank([*equations, unit]) == base:
            found.append(entry)
    return found


tables = st.integers(1, 5).flatmap(
    lambda cols: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols),
        min_size=1,
        max_size=5,
    )
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(1, 10))
def test_no_published_combination_reveals_a_suppressed_value(
    cells: list[list[int]], threshold: int
) -> None:
    table = suppress_table(cells, threshold)
    rows, cols = len(cells), len(cells[0])
    hidden = _hidden(cells, table)
    # every small cell is hidden, and every published value is the true one
    for i in range(rows):
        for j in range(cols):
            if 0 < cells[i][j] < threshold:
                assert (i, j) in hidden
            elif (i, j) not in hidden:
                assert table.cells[i][j] == cells[i][j]
    # each equation (row or column, totals included) hides 0 or at least 2 entries
    for line in _lines(rows, cols):
        assert sum(e in hidden for e in line) != 1
    # and no linear combination of the equations isolates a hidden entry
    assert _recoverable(cells, table) == []
