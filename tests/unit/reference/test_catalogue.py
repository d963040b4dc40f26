"""The packaged catalogue, and the messages a malformed reference file gets."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from itinera.domain.errors import ReferenceDataError
from itinera.domain.reference import ReferenceCategory
from itinera.domain.route import CountryRole, LinkKind, Mode
from itinera.reference.catalogue import load_catalogue
from itinera.reference.files import default_data_dir

EIGHT_ROUTES = {
    "west-africa-atlantic",
    "western-mediterranean",
    "central-mediterranean",
    "east-africa",
    "eastern-mediterranean",
    "gulf-of-aden",
    "south-west-asia-europe",
    "southern-africa",
}


def test_the_catalogue_has_the_eight_routes_of_the_seeds() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.routes) == EIGHT_ROUTES
    for route in catalogue.routes.values():
        assert route.legs, route.id
        assert {c.role for c in route.countries} >= {CountryRole.ORIGIN}, route.id
        assert route.name.get("en") and route.name.get("fr"), route.id


def test_groups_and_the_inverse_link_of_seed_002() -> None:
    catalogue = load_catalogue()
    western = {r.id for r in catalogue.routes.values() if r.group == "western"}
    assert western == {"west-africa-atlantic", "western-mediterranean", "central-mediterranean"}
    eastern = {r.id for r in catalogue.routes.values() if r.group == "eastern"}
    assert {"east-africa", "eastern-mediterranean", "gulf-of-aden"} <= eastern
    inverse = {
        frozenset((link.from_route, link.to_route))
        for link in catalogue.links
        if link.kind is LinkKind.INVERSELY_LINKED
    }
    assert frozenset(("western-mediterranean", "west-africa-atlantic")) in inverse


def test_central_mediterranean_goes_from_the_sahel_by_sea_to_italy_or_malta() -> None:
    route = load_catalogue().routes["central-mediterranean"]
    assert {"NER", "LBY", "TUN"} <= {c.country for c in route.countries}
    destinations = set(route.countries_with(CountryRole.DESTINATION)) | set(
        route.countries_with(CountryRole.ASYLUM)
    )
    assert destinations & {"ITA", "MLT"}
    assert any(leg.mode is Mode.SEA for leg in route.legs)


def test_publishers_route_names_are_aliases() -> None:
    routes = load_catalogue().routes
    assert (
        "Western Africa / Atlantic route to the Canary Islands"
        in routes["west-africa-atlantic"].aliases
    )
    assert "Horn of Africa to Yemen crossing" in routes["gulf-of-aden"].aliases


def test_every_routed_place_has_coordinates_so_the_map_can_draw_it() -> None:
    catalogue = load_catalogue()
    for route in catalogue.routes.values():
        for place_id in route.place_ids():
            assert catalogue.places[place_id].has_coordinates, (route.id, place_id)


def test_reference_lists_are_complete() -> None:
    items = load_catalogue().items
    assert [i.number for i in items[ReferenceCategory.PILLAR]] == [1, 2, 3, 4, 5, 6]
    assert len(items[ReferenceCategory.KEY_AREA]) == 4
    assert len(items[ReferenceCategory.SERVICE_TYPE]) >= 16
    assert len(items[ReferenceCategory.VULNERABILITY]) >= 8


def test_country_names_come_in_three_languages() -> None:
    morocco = load_catalogue().places["MAR"]
    assert morocco.name["en"] == "Morocco"
    assert morocco.name["fr"] == "Maroc"
    assert morocco.name["ar"] != "Morocco"


# -- malformed files ---------------------------------------------------------------------


def _mutated(tmp_path: Path, filename: str, mutate: Callable[[Any], None]) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    path = data_dir / filename
    document = yaml.safe_load(path.read_text("utf-8"))
    mutate(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return data_dir


def _route_index(document: Any, route_id: str) -> int:
    return next(i for i, r in enumerate(document["routes"]) if r["id"] == route_id)


def _set_leg_mode(document: Any) -> None:
    document["routes"][_route_index(document, "central-mediterranean")]["legs"][1]["mode"] = "boat"


def _unknown_leg_place(document: Any) -> None:
    document["routes"][_route_index(document, "central-mediterranean")]["legs"][0]["to"] = (
        "atlantis"
    )


def _duplicate_alias(document: Any) -> None:
    document["routes"][_route_index(document, "gulf-of-aden")]["aliases"].append(
        "Central Mediterranean"
    )


def _missing_name(document: Any) -> None:
    del document["items"][2]["name"]


@pytest.mark.parametrize(
    ("filename", "mutate", "expected"),
    [
        (
            "routes.yaml",
            _set_leg_mode,
            ["routes.yaml", "(central-mediterranean)", "legs[1].mode", "boat"],
        ),
        (
            "routes.yaml",
            _unknown_leg_place,
            ["routes.yaml", "(central-mediterranean)", "legs[0].to", "atlantis"],
        ),
        ("routes.yaml", _duplicate_alias, ["(gulf-of-aden)", "aliases[", "central-mediterranean"]),
        ("pillars.yaml", _missing_name, ["pillars.yaml", "items[2]", "'name'"]),
    ],
)
def test_a_malformed_file_names_file_entry_and_field(
    tmp_path: Path, filename: str, mutate: Callable[[Any], None], expected: list[str]
) -> None:
    data_dir = _mutated(tmp_path, filename, mutate)
    with pytest.raises(ReferenceDataError) as caught:
        load_catalogue(data_dir)
    for fragment in expected:
        assert fragment in str(caught.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(default_data_dir(), data_dir)
    (data_dir / "key_areas.yaml").write_text("version: 1\nitems: [\n  - code: x\n", "utf-8")
    with pytest.raises(ReferenceDataError, match=r"key_areas.yaml: line \d+: not valid YAML"):
        load_catalogue(data_dir)


def test_unknown_country_in_centroids_is_named(tmp_path: Path) -> None:
    data_dir = _mutated(
        tmp_path,
        "countries.yaml",
        lambda d: d["countries"].append({"code": "XYZ", "lat": 1, "lon": 2}),
    )
    with pytest.raises(
        ReferenceDataError, match=r"countries.yaml: countries\[\d+\] \(XYZ\): field 'code'"
    ):
        load_catalogue(data_dir)
