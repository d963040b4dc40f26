"""The MCLP model for OR-Tools, and its LP relaxation on a growing set of sites (decision 0032).

At a million demand points the incidence has tens of millions of (group, site) pairs: too
many for an LP within a minute. The relaxation is therefore solved on a few hundred sites
(greedy's, the largest single-site coverages, then those the bound says are missing: column
generation). Whatever the set, the multipliers are completed (λ = w on groups none of its sites
reaches) and the Lagrangian bound is evaluated on the whole instance, so every round gives a
proven bound; when no site outside the set scores above the k-th best, that bound is the LP's.
The answer of each round is a swap search from the LP's k largest sites on the restricted
incidence, which is exact for choices within the set. Groups the set's sites reach alike are
merged first (at 1 M points, 397 sites reach 195,089 groups but far fewer distinct sets).
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from itinera.domain.siting import CoverArrays
from itinera.domain.siting_search import priced_bound, swap_search

__all__ = ["build_model", "column_generation", "pywraplp_module", "relax"]

# PDLP stops at a relative accuracy of 1e-3 (its bound, evaluated exactly, stays a bound): at
# 100,000 points the LP takes 7 s instead of 20 s and its bound moves by 0.01 %
_PDLP_PARAMETERS = (
    "num_threads: 1 termination_criteria { simple_optimality_criteria {"
    " eps_optimal_relative: 1e-3 eps_optimal_absolute: 1e-3 } }"
)
_FIRST_SITES = 3  # × k: the largest single-site coverages in the first set
_PRICED_SITES = 4  # × k: sites added per round, those scoring most above the k-th best
_ROUNDS = 12


def pywraplp_module() -> Any:
    """Import OR-Tools' SWIG module. Its import emits DeprecationWarnings from SWIG's types;
    with warnings turned into errors (as under pytest) the half-initialised extension
    crashes the interpreter, so they are silenced for the import only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ortools.linear_solver import pywraplp
    return pywraplp


def build_model(
    solver: Any, arrays: CoverArrays, k: int, site_var: Any, deadline: float
) -> list[Any] | None:
    """The MIP (or, with continuous site variables, its relaxation) through the coefficient
    API: expression objects cost ~10× more to build on hundreds of thousands of groups. The
    coverage constraints come first, in group order, then the count. None if the deadline
    passes while building (tens of millions of coefficients take minutes)."""
    infinity = solver.infinity()
    x = [site_var(0.0, 1.0, f"x{j}") for j in range(arrays.sites)]
    objective = solver.Objective()
    sites = arrays.site.tolist()
    heads = arrays.group_heads.tolist()
    for g, weight in enumerate(arrays.weights.tolist()):
        if g % 4096 == 0 and time.perf_counter() > deadline:
            return None
        y = solver.NumVar(0.0, 1.0, f"y{g}")
        objective.SetCoefficient(y, weight)
        reach = solver.Constraint(-infinity, 0.0)
        reach.SetCoefficient(y, 1.0)
        for j in sites[heads[g] : heads[g + 1]]:
            reach.SetCoefficient(x[j], -1.0)
    objective.SetMaximization()
    count = solver.Constraint(k, k)
    for var in x:
        count.SetCoefficient(var, 1.0)
    return x


def relax(arrays: CoverArrays, k: int, deadline: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation by PDLP: the sites' values and the coverage constraints' duals (the
    Lagrangian multipliers), or None when PDLP has nothing to give by the deadline."""
    pywraplp = pywraplp_module()
    solver = pywraplp.Solver.CreateSolver("PDLP")
    left = deadline - time.perf_counter()
    if solver is None or left <= 0:
        return None
    x = build_model(solver, arrays, k, solver.NumVar, deadline)
    if x is None:
        return None
    solver.SetSolverSpecificParametersAsString(_PDLP_PARAMETERS)
    solver.SetTimeLimit(max(1, int((deadline - time.perf_counter()) * 1000)))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    values = np.fromiter((var.solution_value() for var in x), np.float64, len(x))
    reach = solver.constraints()[: len(arrays.weights)]
    duals = np.fromiter((c.dual_value() for c in reach), np.float64, len(reach))
    return values, duals


def column_generation(
    arrays: CoverArrays,
    k: int,
    start: tuple[int, ...],
    lp_deadline: float,
    deadline: float,
    enough: float,
) -> tuple[float, tuple[int, ...], float, np.ndarray]:
    """(bound, best sites, what they cover, the multipliers of that bound), the sites never
    worse than ``start``; stops when the gap is ``enough``, the LP is optimal over all sites,
    or at the deadlines."""
    chosen, objective = start, arrays.covered(start)
    bound = float("inf")
    best_multipliers = arrays.weights.copy()  # λ = w: the bound of all reachable demand
    columns = np.union1d(np.asarray(start), np.argsort(-arrays.site_totals())[: _FIRST_SITES * k])
    for _ in range(_ROUNDS):
        part, groups = arrays.restricted(columns)
        part, merged = part.merged()
        relaxed = relax(part, k, lp_deadline)
        if relaxed is None:
            break
        values, duals = relaxed
        # a merged group's multiplier shared by weight: each stays within [0, w_g]
        multipliers = arrays.weights.copy()
        share = arrays.weights[groups] / part.weights[merged]
        multipliers[groups] = np.clip(duals, 0.0, part.weights)[merged] * share
        found, scores = priced_bound(arrays, k, multipliers)
        if found < bound:
            bound, best_multipliers = found, multipliers
        local = swap_search(part, np.argsort(-values, kind="stable")[:k].tolist(), deadline)
        sites = tuple(int(columns[j]) for j in local)
        if (value := arrays.covered(sites)) > objective:
            chosen, objective = sites, value
        if bound - objective <= enough * bound or time.perf_counter() > lp_deadline:
            break
        kth = np.partition(scores, arrays.sites - k)[arrays.sites - k]
        scores[columns] = -np.inf
        missing = np.flatnonzero(scores > kth * (1 + 1e-9))
        if not len(missing):
            break  # no site outside the set can raise the bound: it is the LP's
        missing = missing[np.argsort(-scores[missing])[: _PRICED_SITES * k]]
        columns = np.union1d(columns, missing)
    return bound, chosen, objective, best_multipliers
