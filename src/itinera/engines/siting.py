"""Exact solvers for the maximal covering location problem, behind ``MclpSolver``.

``OrToolsMclpSolver`` works on the reduced instance in four steps (decision 0032):

1. greedy (in arrays) gives a start;
2. the LP relaxation of the textbook MIP (Church & ReVelle 1974), solved by PDLP to a loose
   tolerance, gives multipliers whose Lagrangian bound (``domain.siting_search``) is a proven
   upper bound whatever the solver's accuracy;
3. a swap search from the LP's k largest sites and from greedy's gives the primal answer;
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
import math
import time
import warnings
from typing import Any

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
from itinera.domain.siting_search import lagrangian_bound, swap_search

__all__ = ["ExhaustiveMclpSolver", "OrToolsMclpSolver"]

# PDLP stops at a relative accuracy of 1e-3 (its bound, evaluated exactly, stays a bound): at
# 100,000 points the LP takes 7 s instead of 20 s and its bound moves by 0.01 %
_PDLP_PARAMETERS = (
    "num_threads: 1 termination_criteria { simple_optimality_criteria {"
    " eps_optimal_relative: 1e-3 eps_optimal_absolute: 1e-3 } }"
)
_LP_SHARE = 0.5  # of the time limit, at most, for the relaxation


def _pywraplp() -> Any:
    """Import OR-Tools' SWIG module. Its import emits DeprecationWarnings from SWIG's types;
    with warnings turned into errors (as under pytest) the half-initialised extension
    crashes the interpreter, so they are silenced for the import only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ortools.linear_solver import pywraplp
    return pywraplp


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
        bound = upper_bound(instance, k)
        relaxed = _relaxation(instance, k, started + time_limit_s * _LP_SHARE)
        starts = [start]
        if relaxed is not None:
            values, multipliers = relaxed
            bound = min(bound, lagrangian_bound(arrays, k, multipliers))
            starts.insert(0, tuple(np.argsort(-values, kind="stable")[:k].tolist()))
        chosen, objective = start, arrays.covered(start)
        for first in starts:
            if _gap(bound, objective) <= self.relative_gap:
                break
            found = swap_search(arrays, first, deadline)
            if (value := arrays.covered(found)) > objective:
                chosen, objective = found, value
        name = "lp-bound+swap"
        if _gap(bound, objective) > self.relative_gap and time.perf_counter() < deadline:
            chosen, objective, bound = self._exact(instance, k, chosen, bound, deadline)
            name = self.name
        bound = max(bound, objective)
        proven = bound - objective <= 1e-9 * max(1.0, bound)
        seconds = time.perf_counter() - started
        return SolverResult(chosen, objective, bound, proven, seconds, name)

    def _exact(
        self,
        instance: MclpInstance,
        k: int,
        start: tuple[int, ...],
        bound: float,
        deadline: float,
    ) -> tuple[tuple[int, ...], float, float]:
        """SCIP from ``start`` until the deadline: the better answer and the tighter bound."""
        pywraplp = _pywraplp()
        solver = pywraplp.Solver.CreateSolver(self.backend)
        if solver is None:
            raise RuntimeError(f"the OR-Tools wheel has no {self.backend} solver")
        x = _model(solver, instance, k, solver.IntVar, deadline)
        arrays = CoverArrays.of(instance)
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


def _relaxation(
    instance: MclpInstance, k: int, deadline: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation by PDLP: the sites' values and the coverage constraints' duals (the
    Lagrangian multipliers), or None when PDLP has nothing to give by the deadline."""
    pywraplp = _pywraplp()
    solver = pywraplp.Solver.CreateSolver("PDLP")
    left = deadline - time.perf_counter()
    if solver is None or left <= 0:
        return None
    x = _model(solver, instance, k, solver.NumVar, deadline)
    if x is None:
        return None
    solver.SetSolverSpecificParametersAsString(_PDLP_PARAMETERS)
    solver.SetTimeLimit(max(1, int(left * 1000)))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    values = np.fromiter((var.solution_value() for var in x), np.float64, len(x))
    reach = solver.constraints()[: len(instance.groups)]
    duals = np.fromiter((c.dual_value() for c in reach), np.float64, len(reach))
    return values, duals


def _model(
    solver: Any, instance: MclpInstance, k: int, site_var: Any, deadline: float
) -> list[Any] | None:
    """The MIP (or, with continuous site variables, its relaxation) through the coefficient
    API: expression objects cost ~10× more to build on hundreds of thousands of groups. The
    coverage constraints come first, in group order, then the count. None if the deadline
    passes while building (tens of millions of coefficients take minutes)."""
    infinity = solver.infinity()
    x = [site_var(0.0, 1.0, f"x{j}") for j in range(len(instance.candidates))]
    objective = solver.Objective()
    for g, (weight, members) in enumerate(zip(instance.weights, instance.groups, strict=True)):
        if g % 4096 == 0 and time.perf_counter() > deadline:
            return None
        y = solver.NumVar(0.0, 1.0, f"y{g}")
        objective.SetCoefficient(y, weight)
        reach = solver.Constraint(-infinity, 0.0)
        reach.SetCoefficient(y, 1.0)
        for j in members:
            reach.SetCoefficient(x[j], -1.0)
    objective.SetMaximization()
    count = solver.Constraint(k, k)
    for var in x:
        count.SetCoefficient(var, 1.0)
    return x


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
