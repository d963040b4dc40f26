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
import time
import warnings
from typing import Any

from itinera.domain.siting import MclpInstance, SolverResult, covered_weight

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
        solver = pywraplp.Solver.CreateSolver(self.backend)
        if solver is None:
            raise RuntimeError(f"the OR-Tools wheel has no {self.backend} solver")
        solver.SetTimeLimit(int(time_limit_s * 1000))
        x = [solver.BoolVar(f"x{j}") for j in range(len(instance.candidates))]
        y = [solver.NumVar(0.0, 1.0, f"y{g}") for g in range(len(instance.groups))]
        for g, members in enumerate(instance.groups):
            solver.Add(y[g] <= solver.Sum([x[j] for j in members]))
        solver.Add(solver.Sum(x) == k)
        solver.Maximize(solver.Sum([w * y[g] for g, w in enumerate(instance.weights)]))
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, self.relative_gap)
        status = solver.Solve(params)
        seconds = time.perf_counter() - started
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            raise RuntimeError(f"{self.backend} found no solution within {time_limit_s} s")
        chosen = tuple(j for j, var in enumerate(x) if var.solution_value() > 0.5)
        objective = covered_weight(instance, chosen)
        bound = max(solver.Objective().BestBound(), objective)
        proven = status == pywraplp.Solver.OPTIMAL and self.relative_gap == 0.0
        return SolverResult(chosen, objective, bound, proven, seconds, self.name)


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
