"""The route catalogue through the JSON API, including every kind of refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from itinera.storage.database import Database

NEW_ROUTE: dict[str, Any] = {
    "id": "english-channel",
    "name": {"en": "English Channel", "fr": "Manche"},
    "aliases": ["English Channel to the UK", "Mainland Europe to the UK"],
    "countries": [{"country": "FRA", "role": "transit"}, {"country": "GBR", "role": "destination"}],
    "legs": [{"from": "FRA", "to": "GBR", "mode": "sea"}],
}


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_list_has_the_eight_catalogue_routes(client: TestClient) -> None:
    routes = client.get("/api/routes").json()
    assert len(routes) == 8
    assert {"id", "name", "group", "leg_count", "country_count"} <= set(routes[0])


def test_a_route_has_legs_roles_group_links_and_geometry(client: TestClient) -> None:
    route = client.get("/api/routes/western-mediterranean").json()
    assert route["group"] == "western"
    assert route["legs"][0]["from"]["id"]
    assert {c["role"] for c in route["countries"]} >= {"origin", "destination"}
    assert any(
        link["route_id"] == "west-africa-atlantic" and link["kind"] == "inversely-linked"
        for link in route["links"]
    )
    geometry = route["geometry"]
    assert geometry["type"] == "FeatureCollection"
    assert len(geometry["features"]) == len(route["legs"])
    assert all(f["geometry"]["type"] == "LineString" for f in geometry["features"])


def test_names_follow_the_language(client: TestClient) -> None:
    fr = client.get("/api/routes/central-mediterranean", params={"lang": "fr"}).json()
    en = client.get(
        "/api/routes/central-mediterranean", headers={"Accept-Language": "en-GB"}
    ).json()
    assert fr["name"] != en["name"]
    assert fr["name"] == fr["names"]["fr"]


def test_unknown_route_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/routes/atlantis")
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_create_then_edit_a_route(client: TestClient) -> None:
    created = client.post("/api/routes", json=NEW_ROUTE)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/routes/english-channel"
    body = created.json()
    assert body["origin"] == "user" and body["version"] == 1

    change = {
        **NEW_ROUTE,
        "legs": [*NEW_ROUTE["legs"], {"from": "BEL", "to": "GBR", "mode": "sea"}],
        "version": 1,
    }
    del change["id"]
    edited = client.put("/api/routes/english-channel", json=change)
    assert edited.status_code == 200, edited.text
    assert [leg["from"]["id"] for leg in edited.json()["legs"]] == ["FRA", "BEL"]
    assert edited.json()["version"] == 2


def test_a_stale_version_is_refused_not_overwritten(client: TestClient) -> None:
    client.post("/api/routes", json=NEW_ROUTE)
    stale = {**NEW_ROUTE, "name": {"en": "Changed"}, "version": 1}
    assert client.put("/api/routes/english-channel", json=stale).status_code == 200
    again = client.put("/api/routes/english-channel", json={**stale, "name": {"en": "Lost?"}})
    assert again.status_code == 409
    assert "changed by someone else" in _error(again)["message"]
    assert client.get("/api/routes/english-channel").json()["name"] == "Changed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"countries": [{"country": "XXA", "role": "transit"}]}, "countries[0].country"),
        ({"countries": [{"country": "fra", "role": "transit"}]}, "countries[0].country"),
        ({"countries": [{"country": "FRA", "role": "tourist"}]}, "countries[0].role"),
        ({"legs": [{"from": "FRA", "to": "atlantis", "mode": "sea"}]}, "legs[0].to"),
        ({"legs": [{"from": "FRA", "to": "GBR", "mode": "swim"}]}, "legs[0].mode"),
        ({"group": "northern"}, "group"),
        ({"aliases": ["Central Mediterranean"]}, "aliases[0]"),
        ({"id": "Bad Id"}, "id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_fields_answer_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/routes", json={**NEW_ROUTE, **change})
    assert response.status_code == 422, response.text
    error = _error(response)
    assert error["code"] == "validation_error"
    assert field in [f["field"] for f in error["fields"]]
    assert client.get("/api/routes/english-channel").status_code == 404  # nothing stored


def test_duplicate_id_is_a_conflict(client: TestClient) -> None:
    response = client.post("/api/routes", json={**NEW_ROUTE, "id": "gulf-of-aden", "aliases": []})
    assert response.status_code == 409
    assert _error(response)["code"] == "conflict"


def test_legs_can_be_added_replaced_and_removed(client: TestClient) -> None:
    before = client.get("/api/routes/gulf-of-aden").json()
    n = len(before["legs"])
    added = client.post(
        "/api/routes/gulf-of-aden/legs", json={"from": "YEM", "to": "SAU", "mode": "land"}
    )
    assert added.status_code == 201, added.text
    assert len(added.json()["legs"]) == n + 1 and added.json()["edited"] is True
    replaced = client.put(
        f"/api/routes/gulf-of-aden/legs/{n}", json={"from": "YEM", "to": "OMN", "mode": "land"}
    )
    assert replaced.json()["legs"][n]["to"]["id"] == "OMN"
    removed = client.delete(f"/api/routes/gulf-of-aden/legs/{n}")
    assert len(removed.json()["legs"]) == n
    missing = client.delete("/api/routes/gulf-of-aden/legs/99")
    assert missing.status_code == 404


def test_catalogue_routes_cannot_be_deleted_but_user_routes_can(client: TestClient) -> None:
    assert client.delete("/api/routes/central-mediterranean").status_code == 409
    client.post("/api/routes", json=NEW_ROUTE)
    assert client.delete("/api/routes/english-channel").status_code == 204
    assert client.get("/api/routes/english-channel").status_code == 404


def test_all_routes_geojson_covers_every_route(client: TestClient) -> None:
    collection = client.get("/api/routes/geojson").json()
    assert {f["properties"]["route_id"] for f in collection["features"]} == {
        r["id"] for r in client.get("/api/routes").json()
    }


def test_openapi_documents_the_route_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/routes", "/api/routes/{route_id}", "/api/routes/{route_id}/legs"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/routes"])
    assert {"get", "put", "delete"} <= set(paths["/api/routes/{route_id}"])


def test_anonymous_callers_may_read_but_not_edit(anonymous_client: TestClient) -> None:
    assert anonymous_client.get("/api/routes").status_code == 200
    refused = anonymous_client.post("/api/routes", json=NEW_ROUTE)
    # no credentials: 401 with the challenge HTTP clients expect, not 403
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert _error(refused)["code"] == "authentication_required"
    deleted = anonymous_client.delete("/api/routes/gulf-of-aden/legs/0")
    assert deleted.status_code == 401 and deleted.headers["www-authenticate"] == "Bearer"
    assert anonymous_client.get("/api/routes/english-channel").status_code == 404


def test_a_known_caller_without_the_permission_gets_403_and_a_bad_token_401(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    official = login(anonymous_client, *make_user(sqlite_db, "official"))
    anonymous_client.cookies.clear()  # the bearer token alone
    refused = anonymous_client.post("/api/routes", json=NEW_ROUTE, headers=official)
    assert refused.status_code == 403 and "www-authenticate" not in refused.headers
    assert _error(refused)["code"] == "permission_denied"
    forged = {"Authorization": "Bearer not-a-token"}
    wrong = anonymous_client.post("/api/routes", json=NEW_ROUTE, headers=forged)
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert _error(wrong)["code"] == "authentication_failed"
