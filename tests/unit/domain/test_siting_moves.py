"""The exchange tables kept move by move equal the tables computed afresh, every change they
predict is the change measured, and the iterated search finds the optimum of small instances
(checked by brute force)."""

from __future__ import annotations

import itertools
import random
import time

import numpy as np
import pytest
from tests.siting_instances import random_instance

from itinera.domain.siting import CoverArrays, MclpInstance, covered_weight, greedy
from itinera.domain.siting_moves import Moves
from itinera.domain.siting_search import iterated_search, swap_search


def _instance(seed: int, sites: int = 14, groups: int = 80) -> MclpInstance:
    return random_instance(seed, sites, groups)


def _same_tables(kept: Moves, fresh: Moves) -> None:
    assert np.allclose(kept.gain, fresh.gain)
    assert np.allclose(kept.loss, fresh.loss)
    assert np.allclose(kept.kept, fresh.kept)
    assert np.array_equal(kept.count, fresh.count)
    assert kept.value == pytest.approx(fresh.value)


@pytest.mark.parametrize("seed", range(8))
def test_tables_kept_move_by_move_equal_the_tables_computed_afresh(seed: int) -> None:
    arrays = CoverArrays.of(_instance(seed))
    rng = random.Random(seed)
    moves = Moves(arrays, [0, 1, 2, 3])
    for _ in range(40):
        slot = rng.randrange(moves.k)
        free = [j for j in range(arrays.sites) if j not in moves.chosen.tolist()]
        site = rng.choice([-1, *free])  # some moves empty a slot
        moves.move(slot, site)
        _same_tables(moves, Moves(arrays, moves.chosen))
        held = moves.chosen[moves.chosen >= 0]
        assert moves.value == pytest.approx(arrays.covered(held))


@pytest.mark.parametrize("seed", range(6))
def test_every_exchange_changes_the_coverage_by_what_the_tables_say(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    chosen = [2, 5, 7]
    moves = Moves(arrays, chosen)
    before = covered_weight(instance, chosen)
    table = moves.gain[:, None] - moves.loss[None, :] + moves.kept.reshape(-1, moves.k)
    for slot, site in itertools.product(range(3), range(arrays.sites)):
        if site not in chosen:
            swapped = [site if i == slot else c for i, c in enumerate(chosen)]
            assert table[site, slot] == pytest.approx(covered_weight(instance, swapped) - before)
    slot, site, change = moves.best_exchange()
    assert change == pytest.approx(table[[j for j in range(arrays.sites) if j not in chosen]].max())
    assert moves.best_addition(np.array([site])) != site


@pytest.mark.parametrize("seed", range(6))
def test_the_iterated_search_reaches_the_optimum_and_never_loses(seed: int) -> None:
    instance = _instance(seed)
    arrays = CoverArrays.of(instance)
    k = 4
    best = max(covered_weight(instance, s) for s in itertools.combinations(range(arrays.sites), k))
    start = greedy(instance, k)[0]
    local = covered_weight(instance, swap_search(arrays, start))
    found = iterated_search(arrays, start, time.perf_counter() + 5.0, enough=best - 1e-6)
    assert len(set(found)) == k
    assert covered_weight(instance, found) >= local - 1e-9
    assert covered_weight(instance, found) == pytest.approx(best)


def test_the_iterated_search_stops_at_its_deadline() -> None:
    arrays = CoverArrays.of(_instance(3))
    started = time.perf_counter()
    found = iterated_search(arrays, [0, 1, 2, 3], started + 0.2)
    assert time.perf_counter() - started < 1.0
    assert covered_weight(_instance(3), found) >= covered_weight(_instance(3), [0, 1, 2, 3])
