"""Staff triage: topic, priority and assignment order the queue; a merged duplicate's code shows
the answers of the submission it repeats."""

from __future__ import annotations

import pytest
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import Actor, Role
from itinera.domain.errors import ValidationError
from itinera.domain.gateway import Priority
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway

AGENT = Actor("agent-triage", frozenset({Role.GATEWAY_AGENT}), user_id=11, organisation_id=1)


def _submit(world: GatewayWorld, text: str, **extra: str) -> str:
    answer = world.client.post(
        "/api/gateway/submissions", json={"kind": "request", "text": text, "language": "fr"} | extra
    )
    assert answer.status_code == 201
    return str(answer.json()["tracking_code"])


def _gateway(world: GatewayWorld) -> Gateway:
    world.client.get("/api/gateway/submissions/0")
    world.client.app.state.gateway_lookups = None  # type: ignore[attr-defined]
    return world.client.app.state.gateway  # type: ignore[no-any-return]


def test_priority_orders_the_queue_and_duplicates_merge(world: GatewayWorld) -> None:
    older = _submit(world, "Je cherche un abri")
    newer = _submit(world, "Je cherche un abri (encore)")
    gateway = _gateway(world)
    triaged = queue_service.triage(
        gateway, AGENT, newer, topic="shelter", priority=Priority.URGENT, assigned_to="team-sfax"
    )
    assert (triaged.topic, triaged.priority, triaged.assigned_to) == (
        "shelter",
        Priority.URGENT,
        "team-sfax",
    )
    order = [s.tracking_code for s in queue_service.queue(gateway, AGENT)]
    canonical = {c.replace("-", "") for c in (older, newer)}
    mine = [c for c in order if c in canonical]
    assert mine[0] == newer.replace("-", ""), "urgent before older normal ones"

    queue_service.merge(gateway, AGENT, older, newer)
    with pytest.raises(ValidationError):
        queue_service.merge(gateway, AGENT, newer, newer)
    queue_service.answer(gateway, AGENT, newer, "Le foyer de la rue 5 a de la place.", "fr")
    seen_by_duplicate = world.client.get(f"/api/gateway/submissions/{older}").json()
    assert seen_by_duplicate["status"] == "answered"
    assert [a["body"] for a in seen_by_duplicate["answers"]] == [
        "Le foyer de la rue 5 a de la place."
    ]
    assert older.replace("-", "") not in {
        s.tracking_code for s in queue_service.queue(gateway, AGENT)
    }


def test_a_sensitive_complaint_cannot_be_merged_into_the_general_queue(
    world: GatewayWorld,
) -> None:
    general = _submit(world, "question")
    answer = world.client.post(
        "/api/gateway/submissions",
        json={"kind": "complaint", "text": "x", "language": "fr", "category": "fraud"},
    )
    sensitive = answer.json()["tracking_code"]
    gateway = _gateway(world)
    from itinera.domain.errors import NotFoundError

    with pytest.raises(NotFoundError):  # not a focal point: it does not exist for this agent
        queue_service.merge(gateway, AGENT, sensitive, general)


def test_answers_from_templates_per_language_with_variables(world: GatewayWorld) -> None:
    from itinera.services.gateway import templates

    code = _submit(world, "Où est le bureau ?")
    gateway = _gateway(world)
    templates.save_template(
        gateway,
        AGENT,
        "office-hours",
        "fr",
        "Le bureau de $place ouvre à 9 h. Code : $tracking_code.",
    )
    templates.save_template(gateway, AGENT, "office-hours", "ar", "مكتب $place يفتح الساعة 9.")
    answered = templates.answer_from_template(
        gateway, AGENT, code, "office-hours", "fr", {"place": "Sfax"}
    )
    assert answered.answers[-1].body == f"Le bureau de Sfax ouvre à 9 h. Code : {code}."
    other = templates.answer_from_template(gateway, AGENT, code, "office-hours", "ar")
    assert other.answers[-1].body == "مكتب $place يفتح الساعة 9."  # left visible to check
    from itinera.domain.errors import NotFoundError

    with pytest.raises(NotFoundError):
        templates.answer_from_template(gateway, AGENT, code, "office-hours", "ti")


def test_escalation_to_a_protection_case_records_consent(world: GatewayWorld) -> None:
    import secrets

    from tests.integration.casework.conftest import amina

    from itinera.domain.access import SYSTEM
    from itinera.domain.errors import ItineraError
    from itinera.services.accounts import users as accounts
    from itinera.services.gateway import escalation

    organisation = accounts.create_organisation(
        world.db, SYSTEM, f"Protection {secrets.token_hex(3)}", "ngo"
    )
    worker = Actor("cw", frozenset({Role.CASEWORKER}), user_id=21, organisation_id=organisation.id)
    code = _submit(world, "Ma fille a besoin d’aide")
    gateway = _gateway(world)
    case = escalation.escalate_to_case(gateway, worker, code, amina())
    assert case.id.startswith("C-") and "registration" in case.consent.to_data()["bases"]
    opened = queue_service.open_submission(gateway, worker, code)
    assert f"case:{case.id}" in opened.flags and opened.status.value == "in_progress"
    other = _submit(world, "sans consentement")
    with pytest.raises(ItineraError):  # no basis for registration: nothing is escalated
        escalation.escalate_to_case(
            gateway, worker, other, amina(consent={"purposes": ["screening"]})
        )
    assert not any(
        f.startswith("case:") for f in queue_service.open_submission(gateway, worker, other).flags
    )
