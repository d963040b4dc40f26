from __future__ import annotations

from itinera.domain.geometry import route_features
from itinera.domain.place import Place, PlaceKind, check_coordinates
from itinera.domain.route import Leg, Mode, Route

PLACES = {
    "LBY": Place("LBY", PlaceKind.COUNTRY, {"en": "Libya"}, "LBY", 27.0, 17.0),
    "lampedusa": Place("lampedusa", PlaceKind.LOCALITY, {"en": "Lampedusa"}, "ITA", 35.5, 12.6),
    "sea": Place("sea", PlaceKind.SEA_AREA, {"en": "Sea"}, None, 34.0, 14.0),
    "nowhere": Place("nowhere", PlaceKind.LOCALITY, {"en": "?"}),
}


def test_legs_become_lines_in_lon_lat_order_bent_through_the_via_place() -> None:
    route = Route("r", {"en": "R"}, legs=(Leg("LBY", "lampedusa", Mode.SEA, "sea"),))
    [feature] = route_features(route, PLACES)
    assert feature["geometry"]["coordinates"] == [[17.0, 27.0], [14.0, 34.0], [12.6, 35.5]]
    assert feature["properties"]["mode"] == "sea"
    assert feature["properties"]["route_id"] == "r"


def test_a_leg_with_an_end_without_coordinates_is_not_drawn() -> None:
    route = Route(
        "r", {"en": "R"}, legs=(Leg("LBY", "nowhere", Mode.LAND), Leg("LBY", "lampedusa", Mode.SEA))
    )
    features = route_features(route, PLACES)
    assert [f["properties"]["leg"] for f in features] == [1]


def test_coordinates_out_of_range_are_explained() -> None:
    assert check_coordinates(91, 0) == "latitude 91 is outside -90..90"
    assert check_coordinates(0, -181) == "longitude -181 is outside -180..180"
    assert check_coordinates(1.0, None) == "latitude and longitude go together"
    assert check_coordinates(35.5, 12.6) is None
