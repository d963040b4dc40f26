"""A Lagrangian bound and a swap search on the reduced siting instance in arrays (issue 13).

Both work on ``CoverArrays`` (the (group, candidate) incidence as aligned integer arrays), so
that every step is a handful of NumPy passes over the incidence, not a Python loop over groups.

**The bound.** Relaxing each coverage constraint ``y_g ≤ Σ_{j ∈ N_g} x_j`` with a multiplier
``0 ≤ λ_g ≤ w_g`` gives, for any integral choice of k sites,

    covered ≤ Σ_g (w_g − λ_g) + (sum of the k largest c_j),   c_j = Σ_{g ∋ j} λ_g

whatever λ is, so ``lagrangian_bound`` is a proven bound for every λ: multipliers from an
inexact LP solver (the duals of the relaxation) give a true bound, never an optimistic one.

**The search.** ``swap_search`` moves to the best single exchange (one chosen site out, one
other in) while one gains, starting from any k sites: an answer never below its start.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from itinera.domain.siting import CoverArrays
from itinera.domain.siting_moves import Moves

__all__ = ["iterated_search", "lagrangian_bound", "priced_bound", "swap_search"]


def lagrangian_bound(arrays: CoverArrays, k: int, multipliers: np.ndarray) -> float:
    """The Lagrangian bound above at ``multipliers`` (clipped to [0, w]): an upper bound on
    what any k sites cover, whichever multipliers are given."""
    return priced_bound(arrays, k, multipliers)[0]


def priced_bound(arrays: CoverArrays, k: int, multipliers: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`lagrangian_bound` and each site's score c_j (what it would add to the bound)."""
    lam = np.clip(np.nan_to_num(multipliers, nan=0.0), 0.0, arrays.weights)
    scores = np.bincount(arrays.site, weights=lam[arrays.group], minlength=arrays.sites)
    k = min(k, arrays.sites)
    top = np.partition(scores, arrays.sites - k)[arrays.sites - k :] if k else scores[:0]
    # float sums: a relative margin far above their rounding keeps the bound a bound
    return float((arrays.weights - lam).sum() + top.sum()) * (1 + 1e-12), scores


def swap_search(
    arrays: CoverArrays, start: Sequence[int], deadline: float = float("inf")
) -> tuple[int, ...]:
    """Best-improvement exchange from ``start`` (k distinct sites) until no exchange gains or
    the deadline (``time.perf_counter()``) passes.

    With ``count_g`` the chosen sites reaching group g: removing chosen site i loses the groups
    only i reaches; adding j gains the groups nobody reaches plus, if i leaves at the same
    time, the groups only i reached that j reaches too (``Moves`` keeps those tables up to date
    from one exchange to the next).
    """
    moves = Moves(arrays, start)
    _descend(moves, deadline)
    return tuple(int(j) for j in moves.chosen)


def iterated_search(
    arrays: CoverArrays,
    start: Sequence[int],
    deadline: float,
    enough: float = float("inf"),
    seed: int = 0,
) -> tuple[int, ...]:
    """``swap_search``, then until the deadline or an answer covering ``enough``: take a few
    sites at random out (barred from coming straight back), fill their slots greedily, search
    again, and go on from there when it covers no less (iterated local search). Never below
    ``swap_search`` from ``start``; the same answer for the same seed and number of rounds."""
    moves = Moves(arrays, start)
    _descend(moves, deadline)
    best, best_value = moves.chosen.copy(), moves.value
    k, least = moves.k, _least(arrays)
    fewest, most = max(1, k // 30), max(2, k // 5)
    rng = np.random.default_rng(seed)
    while (
        time.perf_counter() < deadline
        and best_value < enough
        and k > 0
        and arrays.sites >= k + most
    ):
        trial = moves.copy()
        slots = rng.choice(k, size=int(rng.integers(fewest, most + 1)), replace=False)
        barred = trial.chosen[slots].copy()
        for slot in slots.tolist():
            trial.move(slot, -1)
        for slot in slots.tolist():
            trial.move(slot, trial.best_addition(barred))
        _descend(trial, deadline)
        if trial.value >= moves.value - least:
            moves = trial
            if moves.value > best_value + least:
                best, best_value = moves.chosen.copy(), moves.value
    return tuple(int(j) for j in best)


def _least(arrays: CoverArrays) -> float:
    """The smallest change taken for a gain: far above the rounding of the kept tables."""
    return 1e-9 * float(arrays.weights.sum())


def _descend(moves: Moves, deadline: float) -> None:
    least = _least(moves.arrays)
    while time.perf_counter() < deadline and 0 < moves.k < moves.arrays.sites:
        slot, site, change = moves.best_exchange()
        if not change > least:
            break
        moves.move(slot, site)
