"""The LP relaxation on a growing set of sites: a proven bound at every round, the LP's at the
end, and a restricted incidence that is exact for choices within its sites."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from tests.siting_instances import random_instance

from itinera.domain.siting import CoverArrays, MclpInstance, covered_weight
from itinera.domain.siting_search import lagrangian_bound
from itinera.engines.siting_lp import column_generation, relax


def _instance(seed: int, sites: int = 16, groups: int = 120) -> MclpInstance:
    return random_instance(seed, sites, groups)


def test_the_restricted_incidence_is_exact_for_choices_within_its_sites() -> None:
    instance = _instance(3)
    arrays = CoverArrays.of(instance)
    keep = np.array([1, 4, 5, 9, 12])
    part, groups = arrays.restricted(keep)
    assert part.sites == 5
    for local in itertools.combinations(range(5), 2):
        sites = [int(keep[j]) for j in local]
        assert part.covered(list(local)) == pytest.approx(covered_weight(instance, sites))
    reached = {g for g, members in enumerate(instance.groups) if set(members) & set(keep)}
    assert sorted(groups.tolist()) == sorted(reached)


@pytest.mark.parametrize("seed", range(4))
def test_the_bound_holds_and_reaches_the_lp_over_all_sites(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    k = 2  # the first set (3k largest sites plus the start) leaves sites out
    start = (0, 1)
    later = time.perf_counter() + 30
    bound, chosen, objective, _ = column_generation(arrays, k, start, later, later, 0.0)
    optimum = max(
        covered_weight(instance, s) for s in itertools.combinations(range(arrays.sites), k)
    )
    assert bound >= optimum - 1e-6
    assert objective == pytest.approx(covered_weight(instance, chosen))
    assert optimum + 1e-6 >= objective >= covered_weight(instance, start) - 1e-9
    relaxed = relax(arrays, k, later)
    assert relaxed is not None
    whole = lagrangian_bound(arrays, k, relaxed[1])  # the LP over every site
    assert bound == pytest.approx(whole, rel=2e-3)


def test_groups_reached_alike_are_merged_and_cover_the_same() -> None:
    instance = _instance(6, sites=6, groups=200)  # 200 groups over 6 sites: many alike
    arrays = CoverArrays.of(instance)
    merged, of_group = arrays.merged()
    sets = {tuple(instance.groups[g]) for g in range(len(instance.groups))}
    assert len(merged.weights) == len(sets) < len(instance.groups)
    assert merged.weights.sum() == pytest.approx(arrays.weights.sum())
    for g, members in enumerate(instance.groups):
        m = int(of_group[g])
        heads = merged.group_heads
        assert tuple(merged.site[heads[m] : heads[m + 1]].tolist()) == members
    for chosen in itertools.combinations(range(6), 2):
        assert merged.covered(chosen) == pytest.approx(arrays.covered(chosen))
