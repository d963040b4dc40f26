"""Siting at a million demand points: the LP's saddle point by PDHG, then an iterated search on
the sites it uses.

At 20,000 candidates × 356,521 demand groups (37 million (group, site) pairs) neither the LP
nor SCIP can be built within a minute (decision 0032). Here (decisions 0041 and 0045):

1. **The bound**: the LP relaxation as a saddle problem by primal–dual steps over every group
   and site (``engines.siting_pdhg``), started from multipliers read off greedy's answer
   (λ_g = 0 where two of its sites reach g, w_g elsewhere); proven whatever the steps.
2. **The answer**: an iterated local search (``domain.siting_search.iterated_search``) from
   greedy's sites, on the incidence restricted to the sites the LP uses (z > 0), the k
   best-scoring others and greedy's, with the groups these sites reach alike made one (exact
   for any choice within them: 2 million pairs instead of 37). Its exchanges are kept up to
   date move by move (``domain.siting_moves``), so it makes thousands of moves a minute where
   one swap search made a few dozen: 3.977 M in 10 s from greedy's 3.871 M, where the swap
   searches of decision 0041 stopped at 3.94 M.
3. **More steps** from where the first ones stopped, until the gap asked or the deadline.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from itinera.domain.siting import CoverArrays
from itinera.domain.siting_search import iterated_search
from itinera.engines.siting_pdhg import Steps, saddle_point

__all__ = ["LARGE_PAIRS", "lp_guided_answer_and_bound"]

LARGE_PAIRS = 5_000_000  # incidence entries above which the LP rounds are not tried
_FIRST_SHARE = 0.35  # of the time left, for the steps before the search
_SEARCH_SHARE = 0.75  # of the time left after them, at most, for the search
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
        enough_value = bound * (1 - enough)
        found = _searched(arrays, k, saddle.sites, scores, start, search_end, enough_value)
        value = arrays.covered(found)
        _log.info("search: %.0f, %.1f s", value, _since(begun))
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
    enough: float,
) -> tuple[int, ...]:
    """The iterated search from ``start`` on the sites the LP uses, the k best-scoring others
    and ``start``'s, until the deadline or an answer covering ``enough`` (see the module)."""
    pool = np.union1d(np.flatnonzero(fractional > 0.0), np.asarray(start, dtype=np.int64))
    others = scores.copy()
    others[pool] = -np.inf
    pool = np.union1d(pool, np.argsort(-others)[:k])
    part, _ = arrays.restricted(pool)
    merged, _ = part.merged()
    _log.info("search pool: %d sites, %d pairs", len(pool), len(merged.site))
    first = np.searchsorted(pool, np.asarray(start, dtype=np.int64)).tolist()
    found = iterated_search(merged, first, deadline, enough)
    return tuple(int(j) for j in pool[np.asarray(found, dtype=np.int64)])
