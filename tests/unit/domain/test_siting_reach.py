"""Coverage sets by unit vectors and grid cells give exactly the haversine's sets (issue 13)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from itinera.domain.siting_reach import reach_groups, set_hashes
from itinera.domain.spatial import haversine_km


def _expected(
    sites: list[tuple[float, float]], points: list[tuple[float, float, float]], radius: float
) -> tuple[dict[tuple[int, ...], float], float]:
    """Each distinct set of sites within ``radius`` (checked pair by pair) and its weight, in
    order of first point; and the weight no site reaches."""
    found: dict[tuple[int, ...], float] = {}
    lost = 0.0
    for lat, lon, weight in points:
        reach = tuple(
            j
            for j, (s_lat, s_lon) in enumerate(sites)
            if haversine_km(lat, lon, s_lat, s_lon) <= radius
        )
        if reach:
            found[reach] = found.get(reach, 0.0) + weight
        else:
            lost += weight
    return found, lost


def _groups(
    sites: list[tuple[float, float]], points: list[tuple[float, float, float]], radius: float
) -> tuple[dict[tuple[int, ...], float], float]:
    found = reach_groups(
        np.array([s[0] for s in sites]),
        np.array([s[1] for s in sites]),
        np.array([p[0] for p in points]),
        np.array([p[1] for p in points]),
        np.array([p[2] for p in points]),
        radius,
    )
    assert np.all(np.diff(found.first) > 0)  # groups in order of their first point
    sets = [
        tuple(found.sites[found.heads[g] : found.heads[g + 1]].tolist())
        for g in range(len(found.weights))
    ]
    assert all(list(s) == sorted(s) for s in sets)
    return dict(zip(sets, found.weights.tolist(), strict=True)), found.unreachable


@pytest.mark.parametrize(
    ("lats", "lons", "radius"),
    [
        ((30.0, 33.0), (10.0, 14.0), 60.0),  # mid-latitudes, several cells
        ((-5.0, 5.0), (179.0, 181.0), 80.0),  # across the antimeridian (lons wrapped below)
        ((84.0, 89.9), (-180.0, 180.0), 150.0),  # near the pole: bands wider than the reach
        ((10.0, 10.6), (20.0, 20.6), 4.0),  # a reach below the cells' floor
    ],
)
def test_every_set_matches_the_haversine_pair_by_pair(
    lats: tuple[float, float], lons: tuple[float, float], radius: float
) -> None:
    rng = random.Random(int(radius))

    def place() -> tuple[float, float]:
        lon = rng.uniform(*lons)
        return rng.uniform(*lats), (lon + 180.0) % 360.0 - 180.0

    sites = [place() for _ in range(70)]
    points = [(*place(), rng.uniform(0.5, 3.0)) for _ in range(900)]
    groups, lost = _groups(sites, points, radius)
    expected, expected_lost = _expected(sites, points, radius)
    assert list(groups) == list(expected)
    assert list(groups.values()) == pytest.approx(list(expected.values()))
    assert lost == pytest.approx(expected_lost)
    assert len(expected) > 10 and expected_lost > 0  # the case tests something


def test_no_sites_leaves_every_point_unreachable() -> None:
    found = reach_groups(
        np.zeros(0), np.zeros(0), np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.ones(2), 50.0
    )
    assert len(found.weights) == 0 and found.unreachable == pytest.approx(2.0)


def test_the_set_hash_ignores_order_and_tells_sets_apart() -> None:
    sites = np.array([3, 1, 2, 1, 2, 3, 1, 2], dtype=np.int32)
    heads = np.array([0, 3, 6, 8])
    keys = set_hashes(sites, heads, 4)
    assert (keys[0] == keys[1]).all() and not (keys[0] == keys[2]).all()
