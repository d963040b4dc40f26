"""The gap matrix's arithmetic: nobody is counted twice across months, partners or indicators."""

from __future__ import annotations

import pytest

from itinera.domain.activity import Aggregation
from itinera.domain.gap_matrix import ActivityFacts, build_matrix, coverage_colour

ROUTE = [("MLI", "origin"), ("LBY", "transit"), ("ITA", "destination")]


def facts(
    activity_id: int,
    organisation: int,
    pillar: int = 3,
    *,
    country: str = "MLI",
    adm1: str | None = "Gao",
    indicator: str = "people assisted",
    aggregation: Aggregation = Aggregation.SUM,
    figures: tuple[tuple[str, float | None, float | None, float | None], ...] = (),
) -> ActivityFacts:
    return ActivityFacts(
        activity_id, organisation, country, pillar, adm1, indicator, aggregation, figures
    )


def cell(rows: list, country: str, pillar: int):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.country == country).pillars[pillar]


def test_monthly_counts_add_up_and_cumulative_ones_take_their_largest_month() -> None:
    monthly = facts(1, 10, figures=(("2014-01", None, 500, 100), ("2014-02", None, 500, 150)))
    cumulative = facts(
        2,
        11,
        adm1="Mopti",
        aggregation=Aggregation.MAX,
        figures=(("2014-01", None, 400, 100), ("2014-02", None, 400, 180)),
    )
    rows = build_matrix(ROUTE, [monthly, cumulative], {})
    mali = cell(rows, "MLI", 3)
    # 100 + 150 in Gao; the largest month (180) in Mopti; targets are yearly: 500 + 400
    assert mali.reached == 250 + 180
    assert mali.targeted == 900
    assert (mali.organisations, mali.activities) == (2, 2)


def test_partners_in_the_same_area_may_reach_the_same_people() -> None:
    one = facts(1, 10, figures=(("2014-03", None, None, 300),))
    other = facts(2, 11, figures=(("2014-03", None, None, 200),))
    elsewhere = facts(3, 11, adm1="Kidal", figures=(("2014-03", None, None, 50),))
    rows = build_matrix(ROUTE, [one, other, elsewhere], {})
    assert cell(rows, "MLI", 3).reached == 300 + 50


def test_several_indicators_of_one_pillar_count_the_largest_not_the_sum() -> None:
    meals = facts(1, 10, indicator="meals", figures=(("2014-03", None, None, 900),))
    kits = facts(2, 10, indicator="hygiene kits", figures=(("2014-03", None, None, 400),))
    rows = build_matrix(ROUTE, [meals, kits], {})
    assert cell(rows, "MLI", 3).reached == 900
    assert cell(rows, "MLI", 3).organisations == 1


def test_sex_disaggregated_rows_of_a_month_are_summed_before_the_method() -> None:
    split = facts(
        1,
        10,
        aggregation=Aggregation.MAX,
        figures=(
            ("2014-01", None, None, 40),
            ("2014-01", None, None, 60),
            ("2014-02", None, None, 70),
        ),
    )
    assert cell(build_matrix(ROUTE, [split], {}), "MLI", 3).reached == 100


def test_movement_without_actor_is_a_gap_and_actors_per_1000_use_people_moving() -> None:
    rows = build_matrix(
        ROUTE,
        [facts(1, 10, country="ITA", pillar=1), facts(2, 11, country="ITA", pillar=1)],
        {"ITA": {"arrivals": 170_100.0, "dead": 3.0}, "LBY": {"dead": 12.0}},
    )
    italy = next(r for r in rows if r.country == "ITA")
    assert italy.people_moving == 170_100
    assert italy.pillars[1].actors_per_1000 == pytest.approx(2 * 1000 / 170_100, abs=1e-3)
    assert not italy.pillars[1].gap
    assert all(italy.pillars[p].gap for p in (2, 3, 4, 5, 6))
    libya = next(r for r in rows if r.country == "LBY")
    assert all(c.gap for c in libya.pillars.values())  # deaths are movement too
    assert libya.people_moving is None
    mali = next(r for r in rows if r.country == "MLI")
    assert not any(c.gap for c in mali.pillars.values())  # no movement figures: no claim


def test_rows_follow_the_route_order_and_carry_six_pillars() -> None:
    rows = build_matrix(ROUTE, [], {})
    assert [(r.country, r.role) for r in rows] == ROUTE
    assert all(sorted(r.pillars) == [1, 2, 3, 4, 5, 6] for r in rows)
    assert set(rows[0].as_dict()["pillars"]) == {"1", "2", "3", "4", "5", "6"}


@pytest.mark.parametrize(
    ("organisations", "targeted", "reached", "colour"),
    [
        (0, None, None, "none"),
        (2, None, None, "presence"),
        (1, 100, 80, "good"),
        (1, 100, 50, "partial"),
        (1, 100, 10, "low"),
        (1, 0, 10, "presence"),
    ],
)
def test_coverage_colour(
    organisations: int, targeted: float | None, reached: float | None, colour: str
) -> None:
    assert coverage_colour(organisations, targeted, reached) == colour
