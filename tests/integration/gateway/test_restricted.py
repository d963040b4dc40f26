"""Sensitive complaints: a restricted item is visible to no account but the named focal points,
across the queue, one submission, answering, the export, the aggregates and the CLI."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from tests.integration.casework.conftest import new_user
from tests.integration.gateway.conftest import GatewayWorld
from typer.testing import CliRunner

from itinera.bootstrap import build_cli

cli = build_cli()


@dataclass
class Staff:
    focal: dict[str, str]
    agent: dict[str, str]
    coordinator: dict[str, str]
    admin: dict[str, str]


def _login(world: GatewayWorld, username: str, password: str) -> dict[str, str]:
    answer = world.client.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    world.client.cookies.clear()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture(scope="module")
def staff(world: GatewayWorld) -> Iterator[Staff]:
    organisation = f"Protection NGO {secrets.token_hex(3)}"
    focal = new_user(world.db, "gateway_agent", organisation)
    named = CliRunner().invoke(cli, ["gateway", "focal-points", "add", focal[0]], env=world.env)
    assert named.exit_code == 0, named.output
    yield Staff(
        _login(world, *focal),
        _login(world, *new_user(world.db, "gateway_agent", organisation)),
        _login(world, *new_user(world.db, "coordinator", organisation)),
        _login(world, *new_user(world.db, "administrator", organisation)),
    )


def _complaint(world: GatewayWorld, **extra: str) -> str:
    answer = world.client.post(
        "/api/gateway/submissions",
        json={"kind": "complaint", "text": "confidential-" + secrets.token_hex(4), "language": "fr"}
        | extra,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["tracking_code"])


def _codes(answer: list[dict[str, object]]) -> set[object]:
    return {item["tracking_code"] for item in answer}


def test_a_restricted_complaint_is_seen_by_the_focal_points_only(
    world: GatewayWorld, staff: Staff
) -> None:
    feedback_before = world.client.get("/api/gateway/feedback", headers=staff.coordinator).json()
    sea = _complaint(world, category="sexual_exploitation_abuse")
    ordinary = _complaint(world)
    assert ordinary in _codes(world.client.get("/api/gateway/queue", headers=staff.agent).json())
    moved = world.client.post(f"/api/gateway/queue/{ordinary}/restrict", headers=staff.agent)
    assert moved.status_code == 204
    hidden = {sea, ordinary}

    for who in (staff.agent, staff.coordinator):
        assert not hidden & _codes(world.client.get("/api/gateway/queue", headers=who).json())
        overdue = world.client.get("/api/gateway/queue?overdue=true", headers=who).json()
        assert not hidden & _codes(overdue)
        assert world.client.get("/api/gateway/queue?restricted=true", headers=who).json() == []
        for code in hidden:
            assert world.client.get(f"/api/gateway/queue/{code}", headers=who).status_code == 404
            answer = world.client.post(
                f"/api/gateway/queue/{code}/answers",
                json={"body": "x", "language": "fr"},
                headers=who,
            )
            assert answer.status_code == 404
            again = world.client.post(f"/api/gateway/queue/{code}/restrict", headers=who)
            assert again.status_code == 404
        export = world.client.get("/api/gateway/queue/export", headers=who)
        assert export.status_code == 200 and not any(code in export.text for code in hidden)
        assert "confidential-" not in export.text
    for path in ("/api/gateway/queue", "/api/gateway/queue?restricted=true"):
        assert world.client.get(path, headers=staff.admin).status_code == 403
    assert world.client.get(f"/api/gateway/queue/{sea}", headers=staff.admin).status_code == 403
    assert world.client.get("/api/gateway/queue").status_code == 401
    assert world.client.get("/api/gateway/feedback", headers=staff.coordinator).json() == (
        feedback_before
    ), "aggregates do not count restricted complaints"
    listed = CliRunner().invoke(cli, ["gateway", "queue", "--json"], env=world.env)
    assert listed.exit_code == 0 and not hidden & _codes(json.loads(listed.output))

    restricted = world.client.get("/api/gateway/queue?restricted=true", headers=staff.focal)
    assert hidden <= _codes(restricted.json())
    assert all(item["restricted"] for item in restricted.json())
    assert not hidden & _codes(world.client.get("/api/gateway/queue", headers=staff.focal).json())
    opened = world.client.get(f"/api/gateway/queue/{sea}", headers=staff.focal)
    assert opened.status_code == 200 and opened.json()["text"].startswith("confidential-")
    answered = world.client.post(
        f"/api/gateway/queue/{sea}/answers",
        json={
            "body": "Votre plainte est prise en charge en toute confidentialité.",
            "language": "fr",
        },
        headers=staff.focal,
    )
    assert answered.status_code == 201, answered.text
    tracked = world.client.get(f"/api/gateway/submissions/{sea}").json()
    assert tracked["status"] == "answered" and len(tracked["answers"]) == 1


def test_a_complaint_about_another_organisations_staff_goes_to_its_focal_point_with_consent(
    world: GatewayWorld, staff: Staff
) -> None:
    other = f"Partner NGO {secrets.token_hex(3)}"
    partner_user = new_user(world.db, "service_provider", other)
    named = CliRunner().invoke(
        cli, ["gateway", "focal-points", "add", partner_user[0], "--partner"], env=world.env
    )
    assert named.exit_code == 0 and "partner focal point" in named.output, named.output
    partner = _login(world, *partner_user)
    partner_colleague = _login(world, *new_user(world.db, "gateway_agent", other))
    organisations = world.client.get("/api/organisations", headers=staff.focal)
    other_id = next(o["id"] for o in organisations.json() if o["name"] == other)
    about_them = _complaint(world, category="staff_misconduct")
    not_theirs = _complaint(world, category="fraud")

    def partner_sees() -> set[object]:
        found = world.client.get("/api/gateway/queue?restricted=true", headers=partner)
        assert found.status_code == 200, found.text
        return _codes(found.json())

    assert partner_sees() == set()  # a partner focal point sees nothing until it is passed
    assert world.client.get(f"/api/gateway/queue/{about_them}", headers=partner).status_code in (
        403,
        404,
    )
    url = f"/api/gateway/queue/{about_them}/pass"
    refused = world.client.post(
        url, json={"organisation_id": other_id, "consent": False}, headers=staff.focal
    )
    assert refused.status_code == 403 and "consent" in refused.text, refused.text
    assert partner_sees() == set()
    for who in (staff.agent, partner):  # only the gateway's own focal points pass complaints
        tried = world.client.post(
            url, json={"organisation_id": other_id, "consent": True}, headers=who
        )
        assert tried.status_code == 404
    passed = world.client.post(
        url, json={"organisation_id": other_id, "consent": True}, headers=staff.focal
    )
    assert passed.status_code == 204, passed.text

    assert partner_sees() == {about_them}  # not the other complaint
    opened = world.client.get(f"/api/gateway/queue/{about_them}", headers=partner)
    assert opened.status_code == 200 and f"passed:{other_id}" in opened.json()["flags"]
    assert world.client.get(f"/api/gateway/queue/{not_theirs}", headers=partner).status_code == 404
    # the partner's other staff, and the gateway's agents, still see nothing of it
    for who in (partner_colleague, staff.agent):
        assert about_them not in _codes(world.client.get("/api/gateway/queue", headers=who).json())
        assert world.client.get(f"/api/gateway/queue/{about_them}", headers=who).status_code == 404
    # the gateway's focal point still handles it, and may offer the survivor assistance
    assert about_them in _codes(
        world.client.get("/api/gateway/queue?restricted=true", headers=staff.focal).json()
    )
    # the survivor is offered assistance: a protection case (and its referrals), with consent
    survivor = {
        "given_name": "Survivor",
        "family_name": "Testperson",
        "sex": "female",
        "date_of_birth": "1998-03-14",
        "nationality": "GIN",
        "arrival_place": "Sfax",
        "arrival_date": "2026-11-01",
        "consent": {"purposes": ["registration", "screening", "referral"]},
    }
    case = world.client.post(
        f"/api/gateway/queue/{about_them}/escalate", json=survivor, headers=staff.focal
    )
    assert case.status_code == 201, case.text
    flags = world.client.get(f"/api/gateway/queue/{about_them}", headers=staff.focal).json()
    assert f"case:{case.json()['id']}" in flags["flags"]
