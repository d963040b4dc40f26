"""The Lagrangian bound is a bound and the swap search never loses, checked by brute force."""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace

import numpy as np
import pytest
from tests.siting_instances import optimum, random_instance, unnamed_sites

from itinera.domain.demand import DemandPoint
from itinera.domain.siting import (
    Candidate,
    CoverArrays,
    MclpInstance,
    build_instance,
    covered_weight,
    greedy,
    greedy_sites,
    padded,
)
from itinera.domain.siting_dual import subgradient_bound
from itinera.domain.siting_search import lagrangian_bound, swap_search


def _instance(seed: int, sites: int = 9, groups: int = 40) -> MclpInstance:
    return random_instance(seed, sites, groups)


@pytest.mark.parametrize("seed", range(6))
def test_the_bound_holds_for_any_multipliers_and_is_tight_at_good_ones(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    rng = np.random.default_rng(seed)
    for k in (1, 3, 5):
        best = optimum(instance, k)
        # random multipliers, some outside [0, w] (clipped), zero ones (all demand) and w
        tries = [rng.uniform(-5, 25, len(arrays.weights)) for _ in range(50)]
        tries += [np.zeros(len(arrays.weights)), arrays.weights.copy()]
        bounds = [lagrangian_bound(arrays, k, lam) for lam in tries]
        assert min(bounds) >= best - 1e-9
        assert lagrangian_bound(arrays, k, np.zeros(len(arrays.weights))) == pytest.approx(
            float(arrays.weights.sum())
        )


def test_the_bound_reaches_the_optimum_when_the_relaxation_is_integral() -> None:
    # two disjoint groups, one site each: λ = w gives exactly the two weights, k = 2
    instance = MclpInstance(unnamed_sites(3), (3.0, 5.0), ((0,), (1,)), 2, 0.0, 0.0)
    arrays = CoverArrays.of(instance)
    assert lagrangian_bound(arrays, 2, arrays.weights) == pytest.approx(8.0)
    assert lagrangian_bound(arrays, 1, arrays.weights) == pytest.approx(5.0)


@pytest.mark.parametrize("seed", range(6))
def test_the_swap_search_never_loses_and_each_single_swap_is_checked(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    for k in (2, 4):
        start = padded(instance, greedy(instance, k)[0], k)
        found = swap_search(arrays, start)
        assert len(set(found)) == k
        value = covered_weight(instance, found)
        assert arrays.covered(found) == pytest.approx(value)
        assert value >= covered_weight(instance, start) - 1e-9
        assert value <= optimum(instance, k) + 1e-9
        # a local optimum: no exchange of one site for another covers more
        for out, new in itertools.product(found, range(len(instance.candidates))):
            if new not in found:
                swapped = [new if c == out else c for c in found]
                assert covered_weight(instance, swapped) <= value + 1e-9


def test_the_swap_search_stops_at_its_deadline() -> None:
    instance = _instance(1)
    start = (0, 1, 2)
    assert swap_search(CoverArrays.of(instance), start, deadline=0.0) == start


@pytest.mark.parametrize("seed", range(4))
def test_greedy_in_arrays_adds_the_largest_gain_at_every_step(seed: int) -> None:
    instance = _instance(seed, sites=12, groups=80)
    chosen, gains = greedy(instance, 6)
    taken: list[int] = []
    for site, gain in zip(chosen, gains, strict=True):
        before = covered_weight(instance, taken)
        best = max(
            covered_weight(instance, [*taken, c]) - before for c in range(12) if c not in taken
        )
        assert gain == pytest.approx(covered_weight(instance, [*taken, site]) - before)
        assert gain == pytest.approx(best)
        taken.append(site)
    assert len(chosen) == 6 and len(set(chosen)) == 6
    # asked for every site, greedy covers all the demand and stops once nothing is left
    every, every_gain = greedy(instance, 12)
    assert sum(every_gain) == pytest.approx(float(sum(instance.weights)))
    assert all(g > 0 for g in every_gain) and len(every) <= 12


def test_the_arrays_kept_by_build_instance_match_the_groups() -> None:
    rng = random.Random(8)
    demand = [
        DemandPoint(rng.uniform(0, 2), rng.uniform(0, 2), rng.uniform(1, 9), "leg")
        for _ in range(1500)
    ]
    sites = [Candidate(i, rng.uniform(0, 2), rng.uniform(0, 2)) for i in range(40)]
    instance = build_instance(sites, demand, radius_km=30.0)
    kept = CoverArrays.of(instance)
    again = CoverArrays.of(replace(instance, arrays=None))
    assert kept is instance.arrays and again is not kept
    for name in ("weights", "group", "site", "group_heads", "site_heads", "site_groups"):
        assert np.array_equal(getattr(kept, name), getattr(again, name)), name


@pytest.mark.parametrize("seed", range(4))
def test_the_subgradient_dual_is_a_bound_and_never_above_its_start(seed: int) -> None:
    instance = _instance(seed, sites=10, groups=60)
    arrays = CoverArrays.of(instance)
    rng = np.random.default_rng(seed)
    later = time.perf_counter() + 5
    for k in (2, 4):
        best = optimum(instance, k)
        answer = sum(greedy(instance, k)[1])
        for start in (arrays.weights.copy(), rng.uniform(0, 1, len(arrays.weights))):
            bound, multipliers = subgradient_bound(arrays, k, start, answer, later)
            assert bound >= best - 1e-9
            assert bound <= lagrangian_bound(arrays, k, start) + 1e-9
            assert bound == pytest.approx(lagrangian_bound(arrays, k, multipliers))
        # from λ = w (all reachable demand) the steps come close to the optimum
        assert subgradient_bound(arrays, k, arrays.weights, answer, later)[0] < (
            0.999 * float(arrays.weights.sum())
        )


def test_greedy_takes_the_sites_it_is_given_first() -> None:
    instance = _instance(2)
    arrays = CoverArrays.of(instance)
    plain, _ = greedy(instance, 4)
    weakest = int(np.argmin(arrays.site_totals()))
    chosen, gains = greedy_sites(arrays, 4, [weakest])
    assert chosen[0] == weakest and len(set(chosen)) == 4
    assert gains[0] == pytest.approx(float(arrays.site_totals()[weakest]))
    taken = [weakest]
    for site, gain in zip(chosen[1:], gains[1:], strict=True):  # then the largest gains
        before = covered_weight(instance, taken)
        others = [c for c in range(len(instance.candidates)) if c not in taken]
        best = max(covered_weight(instance, [*taken, c]) for c in others)
        assert gain == pytest.approx(best - before)
        taken.append(site)
    assert plain != chosen or weakest in plain
