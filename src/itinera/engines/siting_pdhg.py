"""The siting LP's saddle point by primal–dual hybrid gradient steps (issue 13, decision 0041).

The Lagrangian bound of ``domain.siting_search`` is, for multipliers 0 ≤ λ ≤ w,

    L(λ) = Σ_g (w_g − λ_g) + max { zᵀAᵀλ : 0 ≤ z ≤ 1, Σ z = k }

(A the group × site incidence), so min_λ L is the LP relaxation's value and the LP is the
saddle problem min_λ max_z Σ_g (w_g − λ_g) + λᵀAz. PDHG (Chambolle & Pock) takes one step in λ
against A z − 1 and one in z along Aᵀλ (extrapolated), each projected on its box (z on the
capped simplex), so an iteration is two sparse products over the incidence (``scipy.sparse``,
C loops: ~0.035 s each at 37 million pairs, against ~0.28 s for NumPy's reduceat). Steps are
preconditioned per coordinate (Pock–Chambolle on the incidence scaled by the weights), restarted
from the running average when that is closer to a saddle point (as PDLP does), with the primal
weight ω balanced at each restart. Every iterate's bound L(λ) costs only a top-k pick (Aᵀλ is
needed for the step anyway), and the bound returned is evaluated again exactly (float64) at the
best multipliers, so it is proven whatever the steps. z is the LP's fractional choice of sites:
the answer's swap search starts from it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray

from itinera.domain.siting import CoverArrays
from itinera.domain.siting_search import priced_bound

__all__ = ["Saddle", "Steps", "saddle_point"]

Floats = NDArray[np.float64]

_RESTART_EVERY = 25  # iterations between restart checks
_BISECTIONS = 60  # for the capped simplex's threshold: far below float32 resolution


@dataclass(frozen=True)
class Saddle:
    """The best proven bound found, its multipliers, the fractional sites (Σ z = k) and the
    primal weight reached (to go on from where the steps stopped)."""

    bound: float
    multipliers: Floats
    sites: Floats
    iterations: int
    primal_weight: float


def saddle_point(
    arrays: CoverArrays,
    k: int,
    start: Floats,
    deadline: float,
    answer: float = 0.0,
    enough: float = 0.0,
    sites: Floats | None = None,
    primal_weight: float = 0.3,
    steps: Steps | None = None,
) -> Saddle:
    """PDHG from the multipliers ``start`` (and the fractional ``sites`` if given) until the
    deadline (``time.perf_counter()``) or the bound is within ``enough`` of ``answer``;
    ``steps`` (built once for the arrays) carries the products and ω from call to call."""
    weights = arrays.weights
    k = min(k, arrays.sites)
    lam = np.clip(np.nan_to_num(start, nan=0.0), 0.0, weights)
    if not k or not len(weights):
        return Saddle(priced_bound(arrays, k, lam)[0], lam, np.zeros(arrays.sites), 0, 1.0)
    steps = steps or Steps(arrays, primal_weight)
    c = steps.scores(lam)
    z = _capped(steps.sigma * c, k, steps.sigma) if sites is None else np.clip(sites, 0.0, 1.0)
    az = steps.reach(z)
    total = float(weights.sum())
    best, best_lam = math.inf, lam
    average = _Average()
    anchor_lam, anchor_z = lam, z
    done = 0
    while time.perf_counter() < deadline:
        done += 1
        new_lam = np.clip(lam - steps.tau * (az - 1.0), 0.0, weights)
        new_c = steps.scores(new_lam)
        z = _capped(z + steps.sigma * (2.0 * new_c - c), k, steps.sigma)
        az = steps.reach(z)
        lam, c = new_lam, new_c
        value = total - float(lam.sum()) + _top(c, k)
        if value < best:
            best, best_lam = value, lam
        if best - answer <= enough * best:
            break
        average.add(lam, c, z, az)
        if done % _RESTART_EVERY:
            continue
        mean = average.take(weights)
        mean_value = total - float(mean[0].sum()) + _top(mean[1], k)
        if mean_value < best:
            best, best_lam = mean_value, mean[0]
        mean_gap = mean_value - _covered(weights, mean[3])
        if mean_gap < value - _covered(weights, az):
            lam, c, z, az = mean
        steps.balance(lam - anchor_lam, z - anchor_z)
        anchor_lam, anchor_z = lam, z
    return Saddle(steps.exact(best_lam, k)[0], best_lam, z, done, steps.omega)


class Steps:
    """The two products and the per-coordinate steps: in λ_g = w_g μ_g the incidence is
    diag(w) A, whose Pock–Chambolle steps are 1 / (w_g × sites of g) for μ_g and 1 / (the
    demand site j reaches) for z_j; ω trades one against the other."""

    def __init__(self, arrays: CoverArrays, primal_weight: float = 0.3) -> None:
        self.weights = arrays.weights
        ones = np.ones(len(arrays.site), dtype=np.float32)
        shape = (len(arrays.weights), arrays.sites)
        self.by_group = sparse.csr_matrix((ones, arrays.site, arrays.group_heads), shape=shape)
        self.by_site = sparse.csr_matrix(
            (ones, arrays.site_groups, arrays.site_heads), shape=shape[::-1]
        )
        lengths = np.maximum(np.diff(arrays.group_heads), 1).astype(np.float64)
        self.tau0 = arrays.weights / lengths
        self.sigma0 = 1.0 / np.maximum(np.asarray(self.by_site @ arrays.weights), 1e-12)
        self.omega = primal_weight
        self.tau, self.sigma = self.tau0 / self.omega, self.sigma0 * self.omega

    def exact(self, lam: Floats, k: int) -> tuple[float, Floats]:
        """``priced_bound`` at λ (clipped to [0, w]) in float64 through the product: 0.14 s
        instead of 0.6 s at 37 million pairs, the same sums."""
        lam = np.clip(lam, 0.0, self.weights)
        scores = np.asarray(self.by_site @ lam, dtype=np.float64)
        # float sums: a relative margin far above their rounding keeps the bound a bound
        return (float((self.weights - lam).sum()) + _top(scores, k)) * (1 + 1e-12), scores

    def scores(self, lam: Floats) -> Floats:
        return np.asarray(self.by_site @ lam.astype(np.float32), dtype=np.float64)

    def reach(self, z: Floats) -> Floats:
        return np.asarray(self.by_group @ z.astype(np.float32), dtype=np.float64)

    def balance(self, moved_lam: Floats, moved_z: Floats) -> None:
        """PDLP's primal weight update: ω towards ‖Δz‖ / ‖Δλ‖ in the scaled norms."""
        dual = math.sqrt(float((moved_lam * moved_lam / self.tau0).sum()))
        primal = math.sqrt(float((moved_z * moved_z / self.sigma0).sum()))
        if dual > 0 and primal > 0:
            self.omega = math.exp(0.5 * math.log(primal / dual) + 0.5 * math.log(self.omega))
            self.tau, self.sigma = self.tau0 / self.omega, self.sigma0 * self.omega


class _Average:
    """Running sums of the iterates since the last restart (the products are linear, so the
    average's Aᵀλ and A z are the averages of theirs)."""

    def __init__(self) -> None:
        self.sums: list[Floats] = []
        self.count = 0

    def add(self, *values: Floats) -> None:
        if not self.sums:
            self.sums = [v.astype(np.float64, copy=True) for v in values]
        else:
            for total, value in zip(self.sums, values, strict=True):
                total += value
        self.count += 1

    def take(self, weights: Floats) -> tuple[Floats, Floats, Floats, Floats]:
        lam, c, z, az = (total / self.count for total in self.sums)
        self.sums, self.count = [], 0
        return np.minimum(lam, weights), c, z, az  # a mean of values ≤ w, up to rounding


def _capped(v: Floats, k: int, scale: Floats) -> Floats:
    """The projection of v on {0 ≤ z ≤ 1, Σ z = k} in the metric of the steps ``scale``:
    clip(v − t·scale, 0, 1) with t found by bisection."""
    low, high = float(((v - 1.0) / scale).min()) - 1.0, float((v / scale).max()) + 1.0
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        if np.clip(v - middle * scale, 0.0, 1.0).sum() > k:
            low = middle
        else:
            high = middle
    return np.clip(v - high * scale, 0.0, 1.0)


def _top(scores: Floats, k: int) -> float:
    return float(np.partition(scores, len(scores) - k)[len(scores) - k :].sum())


def _covered(weights: Floats, reach: Floats) -> float:
    """What the fractional choice covers in the LP: Σ w_g min(1, (A z)_g)."""
    return float((weights * np.minimum(reach, 1.0)).sum())
