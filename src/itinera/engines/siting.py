"""Exact solvers for the maximal covering location problem, behind ``MclpSolver``.

``OrToolsMclpSolver`` works on the reduced instance in four steps (decision 0032):

1. greedy (in arrays) gives a start;
2. the LP relaxation of the textbook MIP (Church & ReVelle 1974), solved by PDLP to a loose
   tolerance on a growing set of sites (``engines.siting_lp``), gives multipliers whose
   Lagrangian bound (``domain.siting_search``) is a proven upper bound whatever the set and
   the solver's accuracy;
3. a swap search from the LP's k largest sites gives the answer, kept if better than greedy's;
4. only if the gap is still above the one asked, SCIP solves the MIP started from the best
   answer (a hint) in the time left, and its bound tightens ours.

    maximise   Σ_g w_g · y_g
    subject to y_g ≤ Σ_{j ∈ N_g} x_j   for every demand group g
               Σ_j x_j = k,  x_j ∈ {0, 1},  0 ≤ y_g ≤ 1

y may stay continuous: at an integral x the optimum sets y_g = min(1, Σ x_j). The gap comes
from proven bounds, never from a status word alone.
``ExhaustiveMclpSolver`` enumerates every k-subset: the fake for unit tests of tiny instances.
"""

from __future__ import annotations

import itertools
import logging
import math
import time

import numpy as np

from itinera.domain.siting import (
    CoverArrays,
    MclpInstance,
    SolverResult,
    covered_weight,
    greedy_sites,
    padded,
    upper_bound,
)
from itinera.domain.siting_dual import subgradient_bound
from itinera.engines.siting_large import LARGE_PAIRS, lp_guided_answer_and_bound
from itinera.engines.siting_lp import build_model, column_generation, pywraplp_module

__all__ = ["ExhaustiveMclpSolver", "OrToolsMclpSolver"]

_log = logging.getLogger(__name__)  # where the time goes, for the benchmark
_LP_SHARE = 0.75  # of the time limit, at most, for the LP rounds
_POLISH_SHARE = 0.2  # of the LP rounds' time, at most, for subgradient steps after them
# SCIP starts only with a quarter of the limit left: it can overrun a short remaining limit by
# tens of seconds under load (101 s for a 60 s limit at load 37), and its root LP alone costs
# more than the rounds did


class OrToolsMclpSolver:
    """Greedy, the LP bound, a swap search, then SCIP from the best answer if the gap asks for
    it: under any time limit the answer covers at least what greedy covers, and the gap
    reported is proven (Lagrangian bound at the LP's multipliers, SCIP's bound, or
    ``upper_bound``, whichever is smallest)."""

    name = "ortools-scip"

    def __init__(self, backend: str = "SCIP", relative_gap: float = 0.0) -> None:
        self.backend = backend
        self.relative_gap = relative_gap

    def solve(self, instance: MclpInstance, k: int, time_limit_s: float) -> SolverResult:
        started = time.perf_counter()
        deadline = started + time_limit_s
        k = min(k, len(instance.candidates))
        if k <= 0 or not instance.groups:
            return SolverResult((), 0.0, 0.0, True, 0.0, self.name)
        arrays = CoverArrays.of(instance)
        start = padded(instance, greedy_sites(arrays, k)[0], k)
        _log.info("greedy: %.1f s", time.perf_counter() - started)
        lp_deadline = started + time_limit_s * _LP_SHARE
        if len(arrays.site) > LARGE_PAIRS:
            found, chosen, objective = lp_guided_answer_and_bound(
                arrays, k, start, deadline, self.relative_gap
            )
            name = "pdhg-bound+swap"
            simple = found  # all reachable demand would cost another pass over 37 M pairs
        else:
            found, chosen, objective, multipliers = column_generation(
                arrays, k, start, lp_deadline, deadline, self.relative_gap
            )
            if _gap(found, objective) > self.relative_gap:  # subgradient steps from the LP's
                polish = time.perf_counter() + (lp_deadline - started) * _POLISH_SHARE
                found = min(found, self._polish(arrays, k, multipliers, objective, polish))
            name = "lp-bound+swap"
            simple = upper_bound(instance, k)
        bound = min(simple, found)
        late = time.perf_counter() > deadline - time_limit_s * (1 - _LP_SHARE)
        if _gap(bound, objective) > self.relative_gap and not late:
            chosen, objective, bound = self._exact(instance, k, chosen, bound, deadline)
            name = self.name
        bound = max(bound, objective)
        proven = bound - objective <= 1e-9 * max(1.0, bound)
        seconds = time.perf_counter() - started
        return SolverResult(chosen, objective, bound, proven, seconds, name)

    def _polish(
        self, arrays: CoverArrays, k: int, multipliers: np.ndarray, answer: float, until: float
    ) -> float:
        return subgradient_bound(arrays, k, multipliers, answer, until, self.relative_gap)[0]

    def _exact(
        self,
        instance: MclpInstance,
        k: int,
        start: tuple[int, ...],
        bound: float,
        deadline: float,
    ) -> tuple[tuple[int, ...], float, float]:
        """SCIP from ``start`` until the deadline: the better answer and the tighter bound."""
        pywraplp = pywraplp_module()
        solver = pywraplp.Solver.CreateSolver(self.backend)
        if solver is None:
            raise RuntimeError(f"the OR-Tools wheel has no {self.backend} solver")
        arrays = CoverArrays.of(instance)
        x = build_model(solver, arrays, k, solver.IntVar, deadline)
        if x is None:
            return start, arrays.covered(start), bound
        hinted = set(start)
        solver.SetHint(x, [1.0 if j in hinted else 0.0 for j in range(len(x))])
        left = deadline - time.perf_counter()
        solver.SetTimeLimit(max(1, int(left * 1000)))  # 0 would mean no limit at all
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, self.relative_gap)
        status = solver.Solve(params)
        solved = status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
        found = tuple(j for j, var in enumerate(x) if var.solution_value() > 0.5) if solved else ()
        chosen, objective = _better(arrays, start, found)
        if status == pywraplp.Solver.OPTIMAL and self.relative_gap == 0.0:
            bound = min(bound, objective)
        elif solved and math.isfinite(solver.Objective().BestBound()):
            bound = min(bound, solver.Objective().BestBound())
        return chosen, objective, bound


def _gap(bound: float, objective: float) -> float:
    return max(0.0, bound - objective) / bound if bound > 0 else 0.0


def _better(
    arrays: CoverArrays, start: tuple[int, ...], found: tuple[int, ...]
) -> tuple[tuple[int, ...], float]:
    """The solver's choice if it covers more than the start, else the start."""
    start_value = arrays.covered(start)
    if not found:
        return start, start_value
    found_value = arrays.covered(found)
    return (found, found_value) if found_value > start_value else (start, start_value)


class ExhaustiveMclpSolver:
    """Tries every k-subset: exact by construction, for instances of a few candidates."""

    name = "exhaustive"

    def solve(self, instance: MclpInstance, k: int, time_limit_s: float) -> SolverResult:
        started = time.perf_counter()
        k = min(k, len(instance.candidates))
        best: tuple[int, ...] = ()
        best_value = 0.0
        for subset in itertools.combinations(range(len(instance.candidates)), k):
            value = covered_weight(instance, subset)
            if value > best_value + 1e-12:
                best, best_value = subset, value
        seconds = time.perf_counter() - started
        return SolverResult(best, best_value, best_value, True, seconds, self.name)
