"""The array form of the grid index and of leg coverage agrees with the one-query-at-a-time
form (which the hand-made geometries of test_services_coverage pin down)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from itinera.domain.complementarity import Facility, type_indexes
from itinera.domain.coverage import LegLine, cover_leg, cover_legs
from itinera.domain.spatial import GridIndex


def _points(rng: random.Random, count: int) -> list[tuple[int, float, float]]:
    return [(k, rng.uniform(10, 16), rng.uniform(-3, 5)) for k in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_within_in_bulk_matches_one_query_at_a_time(seed: int) -> None:
    rng = random.Random(seed)
    index = GridIndex(_points(rng, 300), cell_degrees=0.5)
    queries = [(rng.uniform(9, 17), rng.uniform(-4, 6)) for _ in range(500)]
    lats = np.array([q[0] for q in queries])
    lons = np.array([q[1] for q in queries])
    for radius in (5.0, 25.0, 150.0):
        bulk = index.arrays().any_within(lats, lons, radius).tolist()
        assert bulk == [index.any_within(lat, lon, radius) for lat, lon in queries]
        assert 0 < sum(bulk) < len(bulk)  # both answers occur: the comparison means something


@pytest.mark.parametrize("seed", [4, 5])
def test_cover_legs_matches_cover_leg(seed: int) -> None:
    rng = random.Random(seed)
    index = GridIndex(_points(rng, 60), cell_degrees=0.5)
    legs = [
        LegLine("r", i, "land", tuple((rng.uniform(10, 16), rng.uniform(-3, 5)) for _ in range(4)))
        for i in range(6)
    ] + [LegLine("r", 9, "land", ((12.0, 1.0), (12.0, 1.0)))]  # a leg of zero length
    for radius in (10.0, 50.0):
        bulk = cover_legs(legs, index, radius)
        for leg, found in zip(legs, bulk, strict=True):
            one = cover_leg(leg, index, radius)
            assert found.length_km == pytest.approx(one.length_km, abs=1e-9)
            assert found.contributors == one.contributors
            assert len(found.covered) == len(one.covered)
            assert np.allclose(found.covered, one.covered, atol=1e-9, rtol=0)
        assert any(c.covered for c in bulk) and any(c.gaps() for c in bulk)


def test_an_empty_index_covers_nothing() -> None:
    index = GridIndex([], cell_degrees=0.5)
    leg = LegLine("r", 1, "land", ((10.0, 0.0), (11.0, 0.0)))
    (found,) = cover_legs([leg], index, 50.0)
    assert found.covered == () and found.length_km > 100
    assert not index.arrays().any_within(np.array([10.0]), np.array([0.0]), 50.0).any()


def test_dense_points_take_the_shortcuts_and_give_the_same_answers() -> None:
    # thousands of points: most pieces are wholly covered and most queries have a point in
    # their own small cell, so the pairs skipped by cover_legs and any_within are many
    rng = random.Random(6)
    index = GridIndex(_points(rng, 1500), cell_degrees=0.5)
    legs = [
        LegLine("r", i, "land", tuple((rng.uniform(10, 16), rng.uniform(-3, 5)) for _ in range(4)))
        for i in range(4)
    ]
    for radius in (10.0, 25.0):
        for leg, found in zip(legs, cover_legs(legs, index, radius), strict=True):
            one = cover_leg(leg, index, radius)
            assert found.contributors == one.contributors
            assert np.allclose(found.covered, one.covered, atol=1e-9, rtol=0)
        assert any(len(c.covered) > 1 for c in cover_legs(legs, index, radius))
    queries = [(rng.uniform(9, 17), rng.uniform(-4, 6)) for _ in range(2000)]
    lats, lons = np.array([q[0] for q in queries]), np.array([q[1] for q in queries])
    for radius in (25.0, 40.0):
        grid = index.arrays(radius * 0.7)
        assert 2 * grid.cell * 111.0 < radius  # the own-cell shortcut is taken
        bulk = grid.any_within(lats, lons, radius).tolist()
        assert bulk == [index.any_within(lat, lon, radius) for lat, lon in queries]
        assert 0 < sum(bulk) < len(bulk)


def test_type_indexes_hold_the_points_offering_each_type() -> None:
    rng = random.Random(8)
    codes = ["food-water", "shelter", "cash"]
    facilities = [
        Facility(k, rng.uniform(10, 16), rng.uniform(-3, 5), frozenset(rng.sample(codes, 2)))
        for k in range(500)
    ]
    for code, index in type_indexes(facilities, [*codes, "legal-aid"]).items():
        expected = {(f.key, f.lat, f.lon) for f in facilities if code in f.service_types}
        assert set(index.candidates(13.0, 1.0, 5000.0)) == expected
        assert index.size == len(expected)
