"""Coverage, gaps and duplicates on hand-made geometries whose answers are known."""

from __future__ import annotations

import pytest

from itinera.domain.complementarity import (
    Facility,
    coverage_by_type,
    duplicate_offers,
    same_place_pairs,
)
from itinera.domain.coverage import LegLine, cover_leg
from itinera.domain.demand import DemandPoint, sample_legs
from itinera.domain.spatial import KM_PER_DEGREE, GridIndex, haversine_km

# A leg along the equator from lon 0 to lon 2: 2 × 111.195 = 222.39 km.
LEG = LegLine("test-route", 0, "land", ((0.0, 0.0), (0.0, 2.0)), "a", "b")
LENGTH = 2 * KM_PER_DEGREE


def test_a_gap_lies_exactly_between_two_points() -> None:
    # Points at both ends, 50 km reach: covered 0..50 and 172.39..222.39; the gap is between.
    index = GridIndex([(1, 0.0, 0.0), (2, 0.0, 2.0)])
    coverage = cover_leg(LEG, index, 50.0)
    assert coverage.length_km == pytest.approx(LENGTH, rel=1e-9)
    assert coverage.covered_km == pytest.approx(100.0, abs=0.01)
    [gap] = coverage.gaps()
    assert gap.start_km == pytest.approx(50.0, abs=0.01)
    assert gap.end_km == pytest.approx(LENGTH - 50.0, abs=0.01)
    assert gap.start[1] == pytest.approx(50.0 / KM_PER_DEGREE, abs=1e-3)
    assert coverage.contributors == {1, 2}


def test_a_point_off_the_line_covers_a_chord() -> None:
    # 30 km north of the middle with a 50 km reach: a chord of 2 × 40 km.
    index = GridIndex([(7, 30.0 / KM_PER_DEGREE, 1.0)])
    coverage = cover_leg(LEG, index, 50.0)
    assert coverage.covered_km == pytest.approx(80.0, abs=0.05)
    assert len(coverage.gaps()) == 2


def test_a_point_out_of_reach_covers_nothing() -> None:
    coverage = cover_leg(LEG, GridIndex([(1, 1.0, 1.0)]), 50.0)
    assert coverage.covered == ()
    assert coverage.gaps()[0].length_km == pytest.approx(LENGTH)


def test_coverage_by_type_counts_length_and_demand_per_type() -> None:
    facilities = [
        Facility(1, 0.0, 0.0, frozenset({"shelter", "legal-aid"}), frozenset({10})),
        Facility(2, 0.0, 2.0, frozenset({"shelter"}), frozenset({11})),
    ]
    demand = [
        *sample_legs([LEG], step_km=10.0),
        DemandPoint(0.0, 1.0, 100.0, "hotspot", "middle town"),
    ]
    radius = {"shelter": 50.0, "legal-aid": 120.0}
    shelter, legal = coverage_by_type(
        [LEG], facilities, demand, ["shelter", "legal-aid"], radius.__getitem__
    )
    assert shelter.share_length == pytest.approx(100.0 / LENGTH, abs=1e-3)
    assert [h.label for h in shelter.uncovered_hotspots] == ["middle town"]
    assert legal.covered_km == pytest.approx(120.0, abs=0.01)
    assert legal.uncovered_hotspots == ()  # the middle (111 km) is within 120 km of point 1
    assert legal.providers == 1
    leg_demand = sum(d.weight for d in demand if d.kind == "leg")
    assert leg_demand == pytest.approx(LENGTH, rel=1e-6)


def test_duplicate_pair_of_two_organisations_within_the_radius() -> None:
    a = Facility(1, 10.0, 10.0, frozenset({"shelter"}), frozenset({1}), "Hub A")
    b = Facility(2, 10.0, 10.02, frozenset({"shelter", "cash"}), frozenset({2}), "Hub B")
    c = Facility(3, 11.0, 10.0, frozenset({"shelter"}), frozenset({3}), "Far away")
    same_org = Facility(4, 10.0, 10.01, frozenset({"cash"}), frozenset({2}), "B annex")
    groups = duplicate_offers([a, b, c, same_org], radius_km=5.0)
    assert [(g.service_type, g.facility_keys, g.organisation_ids) for g in groups] == [
        ("shelter", (1, 2), (1, 2))
    ]


def test_the_same_place_entered_twice() -> None:
    first = Facility(
        1, 52.2471, 21.0609, frozenset({"cash"}), frozenset({1}), "UNHCR Warsaw office"
    )
    second = Facility(
        2, 52.2472, 21.0610, frozenset({"cash"}), frozenset(), "UNHCR - Warsaw Office"
    )
    other = Facility(3, 52.2473, 21.0609, frozenset({"cash"}), frozenset(), "Polish Red Cross")
    pairs = same_place_pairs([first, second, other])
    assert [(p.first, p.second) for p in pairs] == [(1, 2)]
    assert pairs[0].distance_km == pytest.approx(
        haversine_km(52.2471, 21.0609, 52.2472, 21.0610), abs=1e-3
    )


def test_grid_index_agrees_with_brute_force() -> None:
    points = [(i, (i * 7 % 180) - 89.5, (i * 13 % 360) - 179.5) for i in range(500)]
    index = GridIndex(points, cell_degrees=2.0)
    for lat, lon in [(0.0, 0.0), (60.0, 20.0), (-45.0, 170.0)]:
        expected = {k for k, a, b in points if haversine_km(lat, lon, a, b) <= 800}
        assert {k for k, _ in index.within(lat, lon, 800)} == expected
    assert [k for k, _ in index.nearest(0.0, 0.0, 3)] == sorted(
        (k for k, _, _ in points), key=lambda k: haversine_km(0, 0, points[k][1], points[k][2])
    )[:3]
