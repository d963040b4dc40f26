"""The LP's saddle point by PDHG: a proven bound (checked by brute force), close to the LP's
value, and fractional sites on the capped simplex; the large instances' answer never below
greedy."""

from __future__ import annotations

import time

import numpy as np
import pytest
from tests.siting_instances import optimum, random_instance

from itinera.domain.siting import CoverArrays, MclpInstance, covered_weight, greedy
from itinera.domain.siting_search import lagrangian_bound, priced_bound
from itinera.engines.siting_large import lp_guided_answer_and_bound
from itinera.engines.siting_lp import relax
from itinera.engines.siting_pdhg import Steps, saddle_point


def _instance(seed: int, sites: int = 12, groups: int = 90) -> MclpInstance:
    return random_instance(seed, sites, groups)


@pytest.mark.parametrize("seed", range(5))
def test_the_bound_holds_is_exact_at_its_multipliers_and_reaches_the_lp(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    for k in (2, 4):
        best = optimum(instance, k)
        relaxed = relax(arrays, k, time.perf_counter() + 30)
        assert relaxed is not None
        lp = lagrangian_bound(arrays, k, relaxed[1])  # PDLP's duals, evaluated exactly
        later = time.perf_counter() + 3
        found = saddle_point(arrays, k, arrays.weights, later, answer=lp, enough=2e-4)
        assert found.bound >= best - 1e-9
        assert found.bound == pytest.approx(lagrangian_bound(arrays, k, found.multipliers))
        assert found.bound <= lp * 1.001  # the steps reach the LP's value
        assert found.bound <= lagrangian_bound(arrays, k, arrays.weights) + 1e-9
        assert found.sites.sum() == pytest.approx(k) and found.iterations > 0
        assert found.sites.min() >= 0.0 and found.sites.max() <= 1.0
        assert found.multipliers.min() >= 0.0
        assert (found.multipliers <= arrays.weights).all()


def test_the_exact_evaluation_through_the_product_is_priced_bound() -> None:
    arrays = CoverArrays.of(_instance(4))
    rng = np.random.default_rng(4)
    steps = Steps(arrays)
    for k in (1, 3, 5):
        lam = rng.uniform(-5, 25, len(arrays.weights))  # some outside [0, w]: clipped
        bound, scores = steps.exact(lam, k)
        expected, expected_scores = priced_bound(arrays, k, lam)
        assert bound == pytest.approx(expected, rel=1e-12)
        assert np.allclose(scores, expected_scores, rtol=1e-12)


def test_the_steps_go_on_from_where_they_stopped_and_stop_at_the_deadline() -> None:
    instance = _instance(7)
    arrays = CoverArrays.of(instance)
    steps = Steps(arrays)
    first = saddle_point(arrays, 3, arrays.weights, time.perf_counter() + 0.05, steps=steps)
    more = saddle_point(
        arrays, 3, first.multipliers, time.perf_counter() + 0.05, sites=first.sites, steps=steps
    )
    assert more.bound <= first.bound * (1 + 1e-9)
    stopped = saddle_point(arrays, 3, arrays.weights, deadline=0.0)
    assert stopped.iterations == 0
    assert stopped.bound == pytest.approx(lagrangian_bound(arrays, 3, arrays.weights))


@pytest.mark.parametrize("seed", range(3))
def test_the_lp_guided_answer_never_loses_to_greedy_and_its_bound_holds(seed: int) -> None:
    instance = _instance(seed, sites=12, groups=70)
    arrays = CoverArrays.of(instance)
    for k in (2, 3):
        start = greedy(instance, k)[0]
        # 2 s are kept back for the checks after the steps: 0.15 s of steps and search
        later = time.perf_counter() + 2.15
        bound, chosen, value = lp_guided_answer_and_bound(arrays, k, start, later, 0.0)
        assert len(set(chosen)) == k
        assert value == pytest.approx(covered_weight(instance, chosen))
        assert value >= covered_weight(instance, start) - 1e-9
        assert bound >= optimum(instance, k) - 1e-9 >= value - 2e-9
