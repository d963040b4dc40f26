"""The Lagrangian dual of the siting problem by subgradient steps over all groups (issue 13).

``domain.siting_search`` gives the bound at any multipliers λ (0 ≤ λ_g ≤ w_g):

    L(λ) = Σ_g (w_g − λ_g) + (sum of the k largest c_j),   c_j = Σ_{g ∋ j} λ_g

Its subproblem is a top-k pick of sites by c_j, so min L is the LP relaxation's value; at a
million points the LP is too large to build, but one step here is two passes over the
(site, group) incidence. At the top k sites T, ``|N_g ∩ T| − 1`` is a subgradient of L in
λ_g; the step is scaled by w_g (every group moves by the same share of its weight: groups
weigh from a few to thousands) and sized by Polyak's rule towards the best known answer,
halved when the bound stalls. The scores are summed in float32 to halve the memory traffic;
the bound returned is evaluated exactly (float64) at the best multipliers, so whatever the
steps, it is a proven bound.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

from itinera.domain.siting import CoverArrays
from itinera.domain.siting_search import priced_bound

__all__ = ["subgradient_bound"]

_STALL = 8  # steps without a better bound before the step size is halved
_SMALLEST_STEP = 1e-4


def subgradient_bound(
    arrays: CoverArrays,
    k: int,
    start: NDArray[np.float64],
    answer: float,
    deadline: float,
    enough: float = 0.0,
) -> tuple[float, NDArray[np.float64]]:
    """The smallest L(λ) found from the multipliers ``start`` until the deadline
    (``time.perf_counter()``), the bound relative to ``answer`` (a value some k sites cover)
    is within ``enough``, or the steps stop shrinking it; and its multipliers."""
    weights = arrays.weights
    lam = np.clip(np.nan_to_num(start, nan=0.0), 0.0, weights)
    k = min(k, arrays.sites)
    if not k or not len(weights):
        return priced_bound(arrays, k, lam)[0], lam
    scores = _Scores(arrays)
    best, best_lam = np.inf, lam
    step, stall = 1.0, 0
    while time.perf_counter() < deadline and step > _SMALLEST_STEP:
        c = scores.of(lam)
        top = np.argpartition(c, arrays.sites - k)[arrays.sites - k :]
        value = float((weights - lam).sum() + c[top].sum())
        if value < best * (1 - 1e-9):
            best, best_lam, stall = value, lam, 0
        elif (stall := stall + 1) >= _STALL:
            step, stall = step / 2, 0
        if best - answer <= enough * best:
            break
        reached = np.concatenate([arrays.groups_of(int(j)) for j in top])
        slope = np.bincount(reached, minlength=len(weights)) - 1.0
        direction = slope * weights
        moving = ~(((lam <= 0) & (direction > 0)) | ((lam >= weights) & (direction < 0)))
        norm = float((direction[moving] * slope[moving]).sum())
        if norm <= 0:
            break  # every group at a bound it cannot leave: L is minimal here
        size = step * max(value - answer, 1e-9 * value) / norm
        lam = np.clip(lam - size * direction, 0.0, weights)
    exact, _ = priced_bound(arrays, k, best_lam)
    return exact, best_lam


class _Scores:
    """c_j = Σ_{g ∋ j} λ_g by site, summed over each site's run of the site-major incidence
    into a buffer kept from step to step (fresh arrays of 37 million entries cost page faults
    at every step)."""

    def __init__(self, arrays: CoverArrays) -> None:
        self.index = arrays.site_groups.astype(np.intp)  # np.take copies other index types
        self.buffer = np.empty(len(self.index), dtype=np.float32)
        filled = np.diff(arrays.site_heads) > 0
        self.filled, self.starts = filled, arrays.site_heads[:-1][filled]
        self.sites = arrays.sites

    def of(self, lam: NDArray[np.float64]) -> NDArray[np.float64]:
        found = np.zeros(self.sites)
        if len(self.index):
            np.take(lam.astype(np.float32), self.index, out=self.buffer)
            # summed in float32: ten times faster than asking reduceat for float64
            found[self.filled] = np.add.reduceat(self.buffer, self.starts)
        return found
