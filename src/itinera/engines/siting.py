"""Exact solvers for the maximal covering location problem, behind ``MclpSolver``.

``OrToolsMclpSolver`` builds the textbook MIP (Church & ReVelle 1974) on the reduced
instance and solves it with SCIP as shipped in the ``ortools`` wheel:

    maximise   Σ_g w_g · y_g
    subject to y_g ≤ Σ_{j ∈ N_g} x_j   for every demand group g
               Σ_j x_j = k,  x_j ∈ {0, 1},  0 ≤ y_g ≤ 1

y may stay continuous: at an integral x the optimum sets y_g = min(1, Σ x_j). The optimality
gap comes from SCIP's proven bound, never from the status word alone.
``ExhaustiveMclpSolver`` enumerates every k-subset: the fake for unit tests of tiny instances.
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from typing import Any

from itinera.domain.siting import (
    MclpInstance,
    SolverResult,
    covered_weight,
    greedy,
    padded,
    upper_bound,
)

__all__ = ["ExhaustiveMclpSolver", "OrToolsMclpSolver"]


def _pywraplp() -> Any:
    """Import OR-Tools' SWIG module. Its import emits DeprecationWarnings from SWIG's types;
    with warnings turned into errors (as under pytest) the half-initialised extension
    crashes the interpreter, so they are silenced for the import only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ortools.linear_solver import pywraplp
    return pywraplp


class OrToolsMclpSolver:
    """SCIP started from the greedy solution (a solver hint), returning the better of the two:
    under any time limit the answer covers at least what greedy covers, and the gap reported is
    the one proven by SCIP's bound (or, if SCIP stopped before bounding, by ``upper_bound``)."""

    name = "ortools-scip"

    def __init__(self, backend: str = "SCIP", relative_gap: float = 0.0) -> None:
        self.backend = backend
        self.relative_gap = relative_gap

    def solve(self, instance: MclpInstance, k: int, time_limit_s: float) -> SolverResult:
        pywraplp = _pywraplp()
        started = time.perf_counter()
        k = min(k, len(instance.candidates))
        if k <= 0 or not instance.groups:
            return SolverResult((), 0.0, 0.0, True, 0.0, self.name)
        start = padded(instance, greedy(instance, k)[0], k)
        solver = pywraplp.Solver.CreateSolver(self.backend)
        if solver is None:
            raise RuntimeError(f"the OR-Tools wheel has no {self.backend} solver")
        x = self._model(solver, instance, k)
        hinted = set(start)
        solver.SetHint(x, [1.0 if j in hinted else 0.0 for j in range(len(x))])
        left = time_limit_s - (time.perf_counter() - started)
        solver.SetTimeLimit(max(1, int(left * 1000)))  # 0 would mean no limit at all
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, self.relative_gap)
        status = solver.Solve(params)
        solved = status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
        found = tuple(j for j, var in enumerate(x) if var.solution_value() > 0.5) if solved else ()
        chosen, objective = _better(instance, start, found)
        bound = upper_bound(instance, k)
        if solved and math.isfinite(solver.Objective().BestBound()):
            bound = min(bound, solver.Objective().BestBound())
        bound = max(bound, objective)
        proven = bound - objective <= 1e-9 * max(1.0, bound) or (
            status == pywraplp.Solver.OPTIMAL and self.relative_gap == 0.0
        )
        seconds = time.perf_counter() - started
        return SolverResult(chosen, objective, bound, proven, seconds, self.name)

    @staticmethod
    def _model(solver: Any, instance: MclpInstance, k: int) -> list[Any]:
        """The MIP through the coefficient API: expression objects cost ~10× more to build on
        instances of hundreds of thousands of groups."""
        infinity = solver.infinity()
        x = [solver.BoolVar(f"x{j}") for j in range(len(instance.candidates))]
        objective = solver.Objective()
        for g, (weight, members) in enumerate(zip(instance.weights, instance.groups, strict=True)):
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
    instance: MclpInstance, start: tuple[int, ...], found: tuple[int, ...]
) -> tuple[tuple[int, ...], float]:
    """The solver's choice if it covers more than the greedy start, else the start."""
    start_value = covered_weight(instance, start)
    if not found:
        return start, start_value
    found_value = covered_weight(instance, found)
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
