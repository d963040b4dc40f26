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

__all__ = ["lagrangian_bound", "priced_bound", "swap_search"]


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
    time, the groups only i reached that j reaches too (an n × k table of those, per exchange).
    """
    chosen = np.asarray(start, dtype=np.int64).copy()
    k, weights, group, site = len(chosen), arrays.weights, arrays.group, arrays.site
    slot = np.full(arrays.sites, -1, dtype=np.int64)
    slot[chosen] = np.arange(k)
    count = arrays.counts(chosen)
    least = 1e-12 * float(weights.sum())
    while time.perf_counter() < deadline and 0 < k < arrays.sites:
        reach = count[group]
        alone = reach == 1
        owned = alone & (slot[site] >= 0)
        owner = np.full(len(weights), -1, dtype=np.int64)
        owner[group[owned]] = slot[site[owned]]
        loss = np.bincount(slot[site[owned]], weights=weights[group[owned]], minlength=k)
        free = reach == 0
        gain = np.bincount(site[free], weights=weights[group[free]], minlength=arrays.sites)
        shared = alone & (slot[site] < 0)
        kept = np.bincount(
            site[shared] * k + owner[group[shared]],
            weights=weights[group[shared]],
            minlength=arrays.sites * k,
        ).reshape(arrays.sites, k)
        delta = gain[:, None] - loss[None, :] + kept
        delta[chosen] = -np.inf
        best = int(np.argmax(delta))
        new, i = divmod(best, k)
        if not delta[new, i] > least:
            break
        old = int(chosen[i])
        count[arrays.groups_of(old)] -= 1
        count[arrays.groups_of(new)] += 1
        slot[old], slot[new], chosen[i] = -1, i, new
    return tuple(int(j) for j in chosen)
