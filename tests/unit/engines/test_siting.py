"""The maximal covering location problem on a tiny instance where greedy is not optimal."""

from __future__ import annotations

import pytest

from itinera.domain.demand import DemandPoint
from itinera.domain.siting import Candidate, build_instance, covered_weight, greedy, marginal_gains
from itinera.domain.spatial import KM_PER_DEGREE
from itinera.engines.siting import ExhaustiveMclpSolver, OrToolsMclpSolver


def _lon(km: float) -> float:
    return km / KM_PER_DEGREE


# Demand on the equator at 0, 10, 20, 30 km weighing 1.5, 2, 2, 1.5; sites at 5, 15, 25 km
# reach 6 km. Greedy takes the middle site (4) then one end (1.5) = 5.5; the optimum takes
# both ends = 7.
DEMAND = [DemandPoint(0.0, _lon(km), w, "leg") for km, w in ((0, 1.5), (10, 2), (20, 2), (30, 1.5))]
SITES = [Candidate(i, 0.0, _lon(km), f"site {km}") for i, km in enumerate((5, 15, 25))]


def test_greedy_is_not_optimal_and_the_exact_solvers_are() -> None:
    instance = build_instance(SITES, DEMAND, radius_km=6.0)
    chosen, gains = greedy(instance, 2)
    assert chosen[0] == 1 and sum(gains) == pytest.approx(5.5)
    for solver in (OrToolsMclpSolver(), ExhaustiveMclpSolver()):
        result = solver.solve(instance, 2, time_limit_s=10)
        assert sorted(result.chosen) == [0, 2]
        assert result.objective == pytest.approx(7.0)
        assert result.proven_optimal and result.gap == pytest.approx(0.0)
    assert marginal_gains(instance, (0, 2)) == pytest.approx([3.5, 3.5])


def test_demand_already_covered_is_not_counted_again() -> None:
    instance = build_instance(SITES, DEMAND, radius_km=6.0, existing=[(0.0, _lon(0))])
    assert instance.already_covered == pytest.approx(1.5)
    result = OrToolsMclpSolver().solve(instance, 1, time_limit_s=10)
    assert result.chosen == (1,) and result.objective == pytest.approx(4.0)
    assert covered_weight(instance, (0,)) == pytest.approx(2.0)


def test_demand_out_of_reach_is_reported_as_unreachable() -> None:
    far = [*DEMAND, DemandPoint(5.0, 5.0, 9.0, "hotspot", "far")]
    instance = build_instance(SITES, far, radius_km=6.0)
    assert instance.unreachable == pytest.approx(9.0)
    assert sum(instance.weights) == pytest.approx(7.0)
