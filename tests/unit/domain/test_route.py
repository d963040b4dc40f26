from __future__ import annotations

import pytest

from itinera.domain.route import (
    CountryRole,
    Leg,
    Mode,
    Route,
    RouteCountry,
    normalise_alias,
    validate_route,
)

KNOWN_PLACES = {"NER", "LBY", "ITA", "lampedusa", "central-med-sea"}


def _validate(route: Route) -> list[tuple[str, str]]:
    errors = validate_route(
        route, place_exists=KNOWN_PLACES.__contains__, group_exists={"western"}.__contains__
    )
    return [(e.field, e.message) for e in errors]


def _route(**changes: object) -> Route:
    base = {
        "id": "central-mediterranean",
        "name": {"en": "Central Mediterranean route"},
        "group": "western",
        "countries": (RouteCountry("NER", CountryRole.TRANSIT),),
        "legs": (
            Leg("NER", "LBY", Mode.LAND),
            Leg("LBY", "lampedusa", Mode.SEA, "central-med-sea"),
        ),
        "aliases": ("Central Mediterranean",),
    }
    base.update(changes)
    return Route(**base)  # type: ignore[arg-type]


def test_a_valid_route_has_no_errors() -> None:
    assert _validate(_route()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "Central Med"}, "id"),
        ({"name": {"en": "  "}}, "name"),
        ({"group": "nowhere"}, "group"),
        ({"countries": (RouteCountry("XXX", CountryRole.ORIGIN),)}, "countries[0].country"),
        ({"legs": (Leg("NER", "atlantis", Mode.LAND),)}, "legs[0].to"),
        ({"legs": (Leg("NER", "LBY", Mode.SEA, "nowhere-sea"),)}, "legs[0].via"),
        ({"legs": (Leg("NER", "NER", Mode.LAND),)}, "legs[0]"),
        ({"aliases": ("Central Med", "central  MED")}, "aliases[1]"),
        (
            {"countries": (RouteCountry("NER", CountryRole.TRANSIT),) * 2},
            "countries[1]",
        ),
    ],
)
def test_each_broken_rule_names_its_field(changes: dict[str, object], field: str) -> None:
    fields = [f for f, _ in _validate(_route(**changes))]
    assert fields == [field]


def test_place_ids_are_in_order_of_first_appearance() -> None:
    assert _route().place_ids() == ["NER", "LBY", "lampedusa"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (
            "Western Africa / Atlantic route to the Canary Islands",
            "western africa / atlantic route to the canary islands",
        ),
        ("  Central   Mediterranean Route ", "central mediterranean route"),
        ("Türkiye–Europe land route", "türkiye-europe land route"),
        ("MÉDITERRANÉE CENTRALE", "méditerranée centrale"),
    ],
)
def test_aliases_are_matched_case_and_space_insensitively(raw: str, key: str) -> None:
    assert normalise_alias(raw) == key
