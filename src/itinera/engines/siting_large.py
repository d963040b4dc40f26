"""Siting at a million demand points: the LP's saddle point by PDHG, then a swap search it guides.

At 20,000 candidates × 356,521 demand groups (37 million (group, site) pairs) neither the LP
nor SCIP can be built within a minute (decision 0032). Here (decision 0041):

1. **The bound**: the LP relaxation as a saddle problem by primal–dual steps over every group
   and site (``engines.siting_pdhg``), started from multipliers read off greedy's answer
   (λ_g = 0 where two of its sites reach g, w_g elsewhere); proven whatever the steps.
2. **The answer**: a swap search on the incidence restricted to the sites the LP uses (z above
   a few per cent), the k best-scoring others and greedy's (exact for choices within them, so
   kept only if better than greedy's), from greedy's sites or from the LP's rounding (its sites
   at z ≥ ½, completed greedily), whichever covers more; then again from there over every site
   with z > 0 and the 10 k best-scoring others. At a million points the LP spreads z
   thin (few sites at ½; its k largest z cover 2.09 M against greedy's 3.87 M), so greedy's
   start wins there; at a tenth of the size the rounding does (0.22 % against 1.7 %).
3. **More steps** from where the first ones stopped, until the gap asked or the deadline.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from itinera.domain.siting import CoverArrays, greedy_sites
from itinera.domain.siting_search import swap_search
from itinera.engines.siting_pdhg import Steps, saddle_point

__all__ = ["LARGE_PAIRS", "lp_guided_answer_and_bound"]

LARGE_PAIRS = 5_000_000  # incidence entries above which the LP rounds are not tried
_FIRST_SHARE = 0.55  # of the time left, for the steps before the swap search
_SEARCH_SHARE = 0.5  # of the time left after them, at most, for the swap search
# the search's pools, one after the other: the sites at z above the first number, the k × the
# second best-scoring others, and the sites chosen so far (a second, wider pool: +0.26 % in 7 s)
_POOLS = ((0.03, 1), (0.0, 10))
_FIRM = 0.5  # the LP's rounding keeps its sites at z ≥ this
_log = logging.getLogger(__name__)  # where the time goes, for the benchmark
_FINAL_SECONDS, _FINAL_SHARE = 4.0, 0.1  # kept back for the exact evaluation and the checks


def lp_guided_answer_and_bound(
    arrays: CoverArrays, k: int, start: tuple[int, ...], deadline: float, enough: float
) -> tuple[float, tuple[int, ...], float]:
    """(bound, sites, what they cover): the sites never worse than ``start``; see above."""
    begun = time.perf_counter()
    k = min(k, arrays.sites)
    chosen, objective = start, arrays.covered(start)
    reached = arrays.counts(start)
    lam = np.where(reached >= 2, 0.0, arrays.weights)
    steps_end = deadline - max(_FINAL_SECONDS, _FINAL_SHARE * (deadline - time.perf_counter()))
    first = time.perf_counter() + _FIRST_SHARE * (steps_end - time.perf_counter())
    steps = Steps(arrays)  # the products, built once for both runs of steps
    saddle = saddle_point(arrays, k, lam, first, objective, enough, steps=steps)
    bound = saddle.bound
    _log.info("steps: %d, bound %.0f, %.1f s", saddle.iterations, bound, _since(begun))
    if bound - objective > enough * bound and k:
        search_end = time.perf_counter() + _SEARCH_SHARE * (steps_end - time.perf_counter())
        _, scores = steps.exact(saddle.multipliers, k)
        found = _searched(arrays, k, saddle.sites, scores, start, search_end)
        value = arrays.covered(found)
        _log.info("swap search: %.0f, %.1f s", value, _since(begun))
        if value > objective:
            chosen, objective = found, value
    if bound - objective > enough * bound and time.perf_counter() < steps_end:
        more = saddle_point(
            arrays,
            k,
            saddle.multipliers,
            steps_end,
            objective,
            enough,
            sites=saddle.sites,
            steps=steps,
        )
        bound = min(bound, more.bound)
        _log.info("more steps: %d, bound %.0f, %.1f s", more.iterations, bound, _since(begun))
    return bound, chosen, objective


def _since(begun: float) -> float:
    return time.perf_counter() - begun


def _searched(
    arrays: CoverArrays,
    k: int,
    fractional: np.ndarray,
    scores: np.ndarray,
    start: tuple[int, ...],
    deadline: float,
) -> tuple[int, ...]:
    """The swap search over the LP's pools (see the module), the first from greedy's sites or
    from the LP's rounding (its sites at z ≥ ½, completed greedily), whichever covers more,
    each next one from where the one before stopped."""
    chosen = np.asarray(start, dtype=np.int64)
    for used, scored in _POOLS:
        if time.perf_counter() >= deadline:
            break
        pool = np.union1d(np.flatnonzero(fractional > used), chosen)
        others = scores.copy()
        others[pool] = -np.inf
        pool = np.union1d(pool, np.argsort(-others)[: scored * k])
        part, _ = arrays.restricted(pool)
        first = np.searchsorted(pool, chosen)
        if used == _POOLS[0][0]:
            firm = np.argsort(-fractional[pool], kind="stable")[:k]
            rounded = greedy_sites(part, k, firm[fractional[pool][firm] >= _FIRM].tolist())[0]
            if len(rounded) == k and part.covered(rounded) > part.covered(first):
                first = np.asarray(rounded)
        chosen = pool[np.asarray(swap_search(part, first.tolist(), deadline))]
    return tuple(int(j) for j in chosen)
