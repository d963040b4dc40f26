"""The window's category table in arrays (decision 0039): the plain-Python path for a single
row publishes exactly what the arrays and the suppression rules publish, and the arrays' rules
agree with ``suppress_table`` on small tables."""

from __future__ import annotations

import numpy as np
import pytest

from itinera.domain.analytics.suppression import suppress_table
from itinera.services.analytics.grid import Grid, publish, single_row

MONTHS = list(range(24_240, 24_270))  # 2020-01 to 2022-06, by month index


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("exact", [False, True])
def test_a_single_row_in_python_equals_the_arrays(seed: int, exact: bool) -> None:
    rng = np.random.default_rng(seed)
    window = MONTHS[rng.integers(0, 10) : rng.integers(10, 30)]
    high = int(rng.choice([4, 12, 400]))  # some rows with small counts, some without
    series = {m: float(rng.integers(0, high)) for m in MONTHS if rng.random() < 0.8}
    if seed % 7 == 0 and series:
        series[min(series)] += 0.5  # a half rounds to even, in both paths
    fast = single_row(series, window, exact, threshold=5)
    slow = publish(Grid.single(series, window), exact, threshold=5).column_totals(window)
    if fast is None:  # something small: only the arrays' path may answer
        assert not exact
        assert slow != {m: float(round(series[m])) for m in window if m in series}
    else:
        assert fast == slow


def test_the_arrays_hide_what_suppress_table_hides() -> None:
    cells = [[7, 2, 9], [6, 8, 10]]
    grid = Grid(["a", "b"], np.array(cells, dtype=np.float64), np.ones((2, 3), dtype=np.bool_))
    published = publish(grid, exact=False, threshold=5)
    expected = suppress_table(cells, 5).cells
    hidden = [[v is None for v in row] for row in expected]
    assert published.hidden.tolist() == hidden
    assert published.column_totals([0, 1, 2]) == {2: 19.0}  # months 0 and 1 hide a cell
