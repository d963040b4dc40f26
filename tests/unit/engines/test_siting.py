"""The maximal covering location problem on a tiny instance where greedy is not optimal."""

from __future__ import annotations

import random

import pytest

from itinera.domain.demand import DemandPoint
from itinera.domain.siting import (
    Candidate,
    MclpInstance,
    build_instance,
    covered_weight,
    greedy,
    marginal_gains,
    padded,
    upper_bound,
)
from itinera.domain.spatial import KM_PER_DEGREE, haversine_km
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


def _random_instance(seed: int, sites: int = 150, points: int = 3000) -> MclpInstance:
    """Sites competing for demand on a 300 × 300 km square: greedy is rarely optimal."""
    rng = random.Random(seed)
    demand = [
        DemandPoint(_lon(rng.uniform(0, 300)), _lon(rng.uniform(0, 300)), rng.uniform(1, 50), "leg")
        for _ in range(points)
    ]
    candidates = [
        Candidate(i, _lon(rng.uniform(0, 300)), _lon(rng.uniform(0, 300))) for i in range(sites)
    ]
    return build_instance(candidates, demand, radius_km=40.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_never_below_greedy_under_a_tiny_time_limit(seed: int) -> None:
    instance = _random_instance(seed)
    _, gains = greedy(instance, 12)
    hurried = OrToolsMclpSolver().solve(instance, 12, time_limit_s=0.001)
    assert len(set(hurried.chosen)) == 12
    assert hurried.objective == pytest.approx(covered_weight(instance, hurried.chosen))
    assert hurried.objective >= sum(gains) - 1e-9
    # the reported bound is a real bound: no solution found with more time exceeds it
    patient = OrToolsMclpSolver().solve(instance, 12, time_limit_s=30)
    assert patient.objective >= hurried.objective - 1e-9
    assert hurried.bound >= patient.objective - 1e-6
    assert hurried.gap == pytest.approx((hurried.bound - hurried.objective) / hurried.bound)


def test_the_greedy_start_is_kept_when_the_solver_finds_nothing_better() -> None:
    instance = build_instance(SITES, DEMAND, radius_km=6.0)
    # one site: greedy's middle site (4.0) is optimal, and proven so by the simple bound
    assert upper_bound(instance, 1) == pytest.approx(4.0)
    result = OrToolsMclpSolver().solve(instance, 1, time_limit_s=0.001)
    assert result.chosen == (1,) and result.proven_optimal and result.gap == 0.0


def test_a_greedy_start_short_of_k_sites_is_completed() -> None:
    instance = build_instance(SITES, DEMAND[:1], radius_km=6.0)
    assert greedy(instance, 3)[0] == (0,)
    assert sorted(padded(instance, (0,), 3)) == [0, 1, 2]
    assert OrToolsMclpSolver().solve(instance, 3, time_limit_s=5).objective == pytest.approx(1.5)


def test_the_instance_in_arrays_matches_every_pair_checked_one_by_one() -> None:
    rng = random.Random(5)
    demand = [
        DemandPoint(_lon(rng.uniform(0, 200)), _lon(rng.uniform(0, 200)), rng.uniform(1, 9), "leg")
        for _ in range(2000)
    ]
    sites = [Candidate(i, _lon(rng.uniform(0, 200)), _lon(rng.uniform(0, 200))) for i in range(60)]
    existing = [(_lon(50.0), _lon(50.0))]
    instance = build_instance(sites, demand, radius_km=25.0, existing=existing)
    expected: dict[tuple[int, ...], float] = {}
    already = unreachable = 0.0
    for d in demand:
        if haversine_km(d.lat, d.lon, *existing[0]) <= 25.0:
            already += d.weight
            continue
        reach = tuple(
            i for i, s in enumerate(sites) if haversine_km(d.lat, d.lon, s.lat, s.lon) <= 25
        )
        if reach:
            expected[reach] = expected.get(reach, 0.0) + d.weight
        else:
            unreachable += d.weight
    assert list(instance.groups) == list(expected)  # same sets, in order of first appearance
    assert instance.weights == pytest.approx(list(expected.values()))
    assert instance.already_covered == pytest.approx(already)
    assert instance.unreachable == pytest.approx(unreachable)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_gap_reported_without_scip_is_proven_against_brute_force(seed: int) -> None:
    """A loose gap asked: the LP bound and the swap search answer alone (no SCIP), and the
    bound they report is above the true optimum, the answer at least greedy's."""
    instance = _random_instance(seed, sites=14, points=600)
    for k in (2, 3):
        result = OrToolsMclpSolver(relative_gap=0.5).solve(instance, k, time_limit_s=10)
        optimum = ExhaustiveMclpSolver().solve(instance, k, time_limit_s=10).objective
        assert result.solver == "lp-bound+swap"
        assert result.bound >= optimum - 1e-6
        assert result.objective == pytest.approx(covered_weight(instance, result.chosen))
        assert result.objective <= optimum + 1e-6
        assert result.objective >= sum(greedy(instance, k)[1]) - 1e-9
