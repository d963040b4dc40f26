"""``/api/field``: entries are created as JSON, refused with reasons, and listed with
suppression and confidentiality for the public (C11)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.integration.reports.conftest import INTERNAL_NOTE, PUBLIC_NOTE, RESTRICTED_NOTE, ROUTE


def _observation(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "route_id": ROUTE,
        "incident_type": "robbery",
        "perpetrator": "criminal-groups",
        "date_from": "2023-06-01",
        "date_to": "2023-06-30",
        "place": "Sabha",
        "persons": 4,
        "sex": "male",
        "age_group": "adult",
        "source_type": "interview",
        "reliability": "B",
        "credibility": "3",
        "confidentiality": "public",
        "description": "Group robbed on the road north",
    }
    return {**body, **changes}


def test_an_observation_is_created_and_listed(analyst: TestClient) -> None:
    created = analyst.post("/api/field/observations", json=_observation())
    assert created.status_code == 201, created.text
    found = analyst.get("/api/field/observations", params={"route_id": ROUTE}).json()
    mine = [o for o in found["observations"] if o["id"] == created.json()["id"]]
    assert mine and mine[0]["persons"] == 4 and mine[0]["reliability"] == "b"
    assert found["exact"] is True


def test_identifying_text_is_refused_with_the_reason(analyst: TestClient) -> None:
    for text, reason in (
        ("call him on +218 91 234 5678", "phone"),
        ("passport AB1234567 kept by the smuggler", "document number"),
    ):
        answer = analyst.post("/api/field/observations", json=_observation(description=text))
        assert answer.status_code == 422, answer.text
        assert reason in answer.text and "description" in answer.text
    note = analyst.post(
        "/api/field/notes",
        json={"route_id": ROUTE, "date": "2024-01-02", "text": "reach me at +33 6 12 34 56 78"},
    )
    assert note.status_code == 422 and "phone" in note.text


def test_unknown_codes_and_missing_place_name_the_field(analyst: TestClient) -> None:
    answer = analyst.post(
        "/api/field/observations",
        json=_observation(incident_type="alien-abduction", place=None, perpetrator="nobody"),
    )
    assert answer.status_code == 422
    for field_name in ("incident_type", "perpetrator", "where"):
        assert field_name in answer.text


def test_the_public_may_not_record(public: TestClient) -> None:
    answer = public.post("/api/field/observations", json=_observation())
    assert answer.status_code in (401, 403)


def test_the_public_list_is_suppressed_and_public_only(
    public: TestClient, analyst: TestClient
) -> None:
    exact = analyst.get("/api/field/observations", params={"route_id": ROUTE}).json()
    shown = public.get("/api/field/observations", params={"route_id": ROUTE}).json()
    assert shown["exact"] is False and shown["threshold"] == 5
    assert {o["confidentiality"] for o in shown["observations"]} == {"public"}
    assert "internal" in {o["confidentiality"] for o in exact["observations"]}
    # an analyst without an organisation sees no restricted entry (only its organisation does)
    assert "restricted" not in {o["confidentiality"] for o in exact["observations"]}
    small = [o for o in shown["observations"] if o["persons_suppressed"]]
    assert small and all(o["persons"] is None for o in small)
    assert all(o["persons"] is None or o["persons"] >= 5 for o in shown["observations"])
    for o in shown["observations"]:
        if o["latitude"] is not None:
            assert (o["latitude"] - 0.25) % 0.5 == 0  # centre of a 0.5° cell
    assert shown["counts"]["incident_type"]


def test_notes_are_created_and_listed_by_confidentiality(
    public: TestClient, analyst: TestClient
) -> None:
    created = analyst.post(
        "/api/field/notes",
        json={
            "route_id": ROUTE,
            "date_from": "2024-01-01",
            "date_to": "2024-01-31",
            "text": "Boats leave from further east since the new checkpoint.",
            "tags": ["route-change", "border-closure"],
            "confidentiality": "public",
        },
    )
    assert created.status_code == 201, created.text
    texts = {
        n["text"]
        for n in public.get("/api/field/notes", params={"route_id": ROUTE}).json()["notes"]
    }
    assert PUBLIC_NOTE in texts and INTERNAL_NOTE not in texts and RESTRICTED_NOTE not in texts
    inside = analyst.get("/api/field/notes", params={"route_id": ROUTE}).json()["notes"]
    assert INTERNAL_NOTE in {n["text"] for n in inside}
    bad_tag = analyst.post(
        "/api/field/notes",
        json={"route_id": ROUTE, "date": "2024-01-02", "text": "x", "tags": ["gossip"]},
    )
    assert bad_tag.status_code == 422 and "tags[0]" in bad_tag.text


def test_the_route_page_offers_the_report(public: TestClient) -> None:
    page = public.get(f"/routes/{ROUTE}", params={"lang": "fr"})
    assert page.status_code == 200
    assert f'action="/api/routes/{ROUTE}/report"' in page.text
    assert "Obtenir le rapport" in page.text and 'name="edition"' in page.text


def test_the_route_page_shows_risk_observations_beside_the_dead_and_missing(
    public: TestClient, analyst: TestClient
) -> None:
    params = {"lang": "fr", "from": "2024-01", "to": "2024-03"}
    shown = public.get(f"/routes/{ROUTE}", params=params).text
    inside = analyst.get(f"/routes/{ROUTE}", params=params).text
    assert 'id="route-risks"' in shown and "Enlèvement" in shown  # public kidnapping entry
    assert "Extorsion" not in shown and "Extorsion" in inside  # internal entry


Q1_DAYS = {"route_id": ROUTE, "from": "2024-01-01", "to": "2024-03-31"}


def test_counts_by_route_leg_type_perpetrator_and_month(
    public: TestClient, analyst: TestClient
) -> None:
    shown = public.get("/api/field/observations/summary", params=Q1_DAYS).json()
    inside = analyst.get("/api/field/observations/summary", params=Q1_DAYS).json()
    dimensions = {"route_id", "leg", "incident_type", "perpetrator", "month"}
    assert set(shown["counts"]) == dimensions and set(inside["counts"]) == dimensions
    for answer in (shown, inside):
        for by in dimensions:  # every entry is counted once in every dimension
            rows = answer["counts"][by]["rows"]
            assert sum(r["observations"] for r in rows) == answer["total"], by
    types = {r["category"]: r for r in shown["counts"]["incident_type"]["rows"]}
    assert "sexual-violence" not in types  # an internal entry
    assert types["kidnapping"]["persons"] is None  # 3 persons: below the public threshold
    exact = {r["category"]: r for r in inside["counts"]["incident_type"]["rows"]}
    assert exact["kidnapping"]["persons"] == 3 and "sexual-violence" in exact
    months = [r["category"] for r in inside["counts"]["month"]["rows"]]
    assert set(months) <= {"2024-01", "2024-02", "2024-03"}


def test_the_map_points_are_rounded_for_the_public(public: TestClient, analyst: TestClient) -> None:
    shown = public.get("/api/field/observations/points", params={**Q1_DAYS, "lang": "fr"})
    assert shown.headers["content-type"].startswith("application/geo+json")
    inside = analyst.get("/api/field/observations/points", params=Q1_DAYS).json()
    public_points = shown.json()["features"]
    assert public_points and len(public_points) < len(inside["features"])
    for feature in public_points:  # centres of 0.5° cells
        assert all((2 * c - 0.5) % 1 == 0 for c in feature["geometry"]["coordinates"])
    assert {f["properties"]["label"] for f in public_points} >= {"Enlèvement"}
    exact = {tuple(f["geometry"]["coordinates"]) for f in inside["features"]}
    assert (12.1, 32.9) in exact  # the death at sea off Zuwara, as recorded


def test_the_analysis_page_counts_and_maps_in_arabic(
    public: TestClient, analyst: TestClient
) -> None:
    params = {**Q1_DAYS, "lang": "ar"}
    shown = public.get("/field/analysis", params=params)
    assert shown.status_code == 200 and 'lang="ar"' in shown.text
    for by in ("route_id", "leg", "incident_type", "perpetrator", "month"):
        assert f'id="counts-{by}"' in shown.text
    assert "حسب المقطع" in shown.text and 'data-risk-points="/api/field/observations/points' in (
        shown.text
    )
    inside = analyst.get("/field/analysis", params={**Q1_DAYS, "lang": "en"}).text
    assert "Sexual violence" in inside
    assert "Sexual violence" not in public.get("/field/analysis", params={**Q1_DAYS}).text
