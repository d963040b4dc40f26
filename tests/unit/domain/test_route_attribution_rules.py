"""Route attribution from place (issue 11, decision 0020): rules, distances, shared stretches."""

from __future__ import annotations

import pytest

from itinera.domain.route_attribution import (
    Attribution,
    AttributionRules,
    LegSegment,
    PlaceRule,
    RouteAttributor,
    RouteMethod,
    leg_segments,
    nearest_route,
)
from itinera.reference.attribution import attribution_rules, packaged_attribution_rules
from itinera.reference.catalogue import default_data_dir, load_catalogue

SEA = LegSegment("sea-route", 33.0, 12.0, 35.5, 12.6)  # Zuwara to Lampedusa, roughly
LAND = LegSegment("land-route", 17.0, 8.0, 33.0, 12.0)  # Agadez to Zuwara
SHARED = LegSegment("other-route", 33.0, 12.0, 35.5, 12.6)  # the same crossing, another route


def test_the_nearest_leg_within_the_limit_gives_the_route_and_its_distance() -> None:
    found = nearest_route(34.0, 12.5, [SEA, LAND], 100)
    assert found is not None and found[0] == "sea-route"
    assert 0 < found[1] < 30  # a few km east of the line
    assert nearest_route(10.0, -60.0, [SEA, LAND], 250) is None  # the Caribbean: no route


def test_a_leg_shared_by_two_routes_goes_to_the_first_of_the_tie_order() -> None:
    assert nearest_route(34.0, 12.5, [SHARED, SEA], 100, ("sea-route",))[0] == "sea-route"
    assert nearest_route(34.0, 12.5, [SHARED, SEA], 100, ("other-route",))[0] == "other-route"


@pytest.mark.parametrize(
    ("country", "place", "route"),
    [
        ("ITA", None, "central-mediterranean"),
        ("GRC", "Lesvos", "eastern-mediterranean"),
        ("ESP", "Canary Islands", "west-africa-atlantic"),
        ("ESP", "Ceuta", "western-mediterranean"),
        ("ESP", "Mainland Andalucia", "western-mediterranean"),
        ("ESP", None, None),  # Spain's total counts both routes: on neither
        ("FRA", None, None),
    ],
)
def test_unhcr_arrivals_follow_the_place_rules_of_the_reference_data(
    country: str, place: str | None, route: str | None
) -> None:
    attributor = RouteAttributor(packaged_attribution_rules(), [], "unhcr-med")
    found = attributor.attribute(Attribution(None, None), None, country, place)
    assert found.route_id == route
    assert found.method == (RouteMethod.PLACE_RULE if route else None)


def test_a_rule_applies_only_to_its_sources() -> None:
    attributor = RouteAttributor(packaged_attribution_rules(), [], "iom-mmp")
    assert not attributor.by_place("ITA", None).on_route


def test_a_name_outside_the_catalogue_is_not_moved_by_coordinates_but_a_shared_stretch_is() -> None:
    rules = AttributionRules(
        max_distance_km=50, shared_stretches={"Sahara Desert crossing": ("land-route",)}
    )
    attributor = RouteAttributor(rules, [SEA, LAND], "iom-mmp")
    none = Attribution(None, None)
    assert attributor.attribute(none, "US-Mexico border crossing", None, None, 34.0, 12.5) == none
    by_point = attributor.attribute(none, None, None, None, 34.0, 12.5)
    assert by_point.route_id == "sea-route" and by_point.method is RouteMethod.COORDINATES
    sahara = attributor.attribute(none, "Sahara desert crossing", None, None, 25.0, 10.0)
    assert sahara.route_id == "land-route"  # only the stretch's routes, up to its own reach
    named = Attribution("sea-route", RouteMethod.ALIAS)
    assert attributor.attribute(named, "Central Mediterranean", "LBY", None, 25.0, 10.0) == named


def test_air_legs_are_not_places_where_incidents_happen() -> None:
    catalogue = load_catalogue()
    segments = leg_segments(catalogue.routes.values(), catalogue.places)
    attributor = RouteAttributor(packaged_attribution_rules(), segments, "iom-mmp")
    # The Gulf of Aden: under the Somalia-Syria flight of the Eastern Mediterranean route.
    assert attributor.by_point(12.0, 45.0).route_id == "gulf-of-aden"
    assert attributor.by_point(33.6, 12.4).route_id == "central-mediterranean"
    assert attributor.by_point(36.0, -3.0).route_id == "western-mediterranean"
    assert attributor.by_point(28.0, -16.0).route_id == "west-africa-atlantic"


def test_the_packaged_rules_name_only_catalogue_routes() -> None:
    routes = set(load_catalogue().routes)
    rules = attribution_rules(default_data_dir(), routes)
    assert rules.place_rules and rules.shared_stretches
    assert all(r in routes for r in rules.tie_order)


def test_a_place_rule_with_places_needs_one_of_them() -> None:
    rule = PlaceRule("west-africa-atlantic", "ESP", ("unhcr-med",), ("canar",))
    assert rule.matches("unhcr-med", "ESP", "Islas Canarias")
    assert not rule.matches("unhcr-med", "ESP", None)
    assert not rule.matches("other", "ESP", "Canary Islands")


def test_an_exported_attribution_is_read_back_as_it_was_placed() -> None:
    read_back = Attribution.read_back
    assert read_back("central-mediterranean", "coordinates", 12.5) == Attribution(
        "central-mediterranean", RouteMethod.COORDINATES, 12.5
    )
    assert read_back(None, "analyst", None) == Attribution(None, RouteMethod.ANALYST)
    assert read_back(None, None, None) is None  # the file does not say: attributed again
    assert read_back(None, "place-rule", None) is None
