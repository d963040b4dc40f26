"""Cases, screening and referrals through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.case import new_case_number
from itinera.domain.case_record import CaseChanges
from itinera.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from itinera.domain.referral import ReferralRequest, ReferralStatus
from itinera.domain.screening import Urgency
from itinera.engines.crypto import DecryptionError
from itinera.services.accounts.retention import apply_retention
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework.screening import screen_case
from itinera.storage.accounts.tables import audit_log
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.casework.tables import cases, referrals

from .conftest import World, amina


def _count(world: World, table: object) -> int:
    with world.cw.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_register_read_screen_refer_and_receive(world: World) -> None:
    cw = world.cw
    case = case_service.register_case(cw, world.worker, amina())
    assert case.id.startswith("C-") and case.given_name == "Amina"
    assert case.age_group == "12-17" and case.version == 1

    result = screen_case(cw, world.worker, case.id, {"travelling_with": "alone"})
    (flag,) = [f for f in result.flags if f.code == "unaccompanied-separated-child"]
    assert {t.question for t in flag.triggered_by} == {"age_years", "travelling_with"}
    assert "unaccompanied child" in flag.explanations[0]
    assert result.recommendations[0].pathway == "child-protection"

    referral = referral_service.create_referral(
        cw,
        world.worker,
        ReferralRequest(
            case_id=case.id,
            to_organisation_id=world.child_protection,
            pathway="child-protection",
            urgency=Urgency.IMMEDIATE,
            reason="alone at the port",
        ),
    )
    sent = referral.summary
    assert sent.status is ReferralStatus.SENT and sent.due_date > date.today()

    inbox = referral_service.inbox(cw, world.receiver)
    assert sent.id in [item.id for item in inbox]
    seen = referral_service.get_referral(cw, world.receiver, sent.id)
    shared = {
        "id",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "age_group",
        "nationality",
        "arrival_place",
        "arrival_date",
        "flags",
    }
    assert set(seen.case) == shared
    assert "contact" not in seen.case and "document_numbers" not in seen.case
    assert seen.case["given_name"] == "Amina" and seen.reason == "alone at the port"

    for to in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED):
        moved = referral_service.transition_referral(cw, world.receiver, sent.id, to)
    assert [h.to_status.value for h in moved.history] == [
        "draft",
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert moved.history[-1].by == "receiver"
    mine = audit_log.c.entity_id.in_([case.id, sent.id])
    actions = [
        a for (a,) in _rows(world, select(audit_log.c.action).where(mine).order_by(audit_log.c.id))
    ]
    assert actions[:4] == ["case.register", "case.screen", "referral.create", "referral.read"]
    assert actions.count("referral.transition") == 3


def _rows(world: World, query: object) -> list[tuple[object, ...]]:
    with world.cw.db.transaction() as session:
        return [tuple(r) for r in session.execute(query)]  # type: ignore[call-overload]


def test_another_organisation_can_neither_read_nor_guess_a_case(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    with pytest.raises(NotFoundError) as theirs:
        case_service.get_case(world.cw, world.outsider, case.id)
    with pytest.raises(NotFoundError) as nobody:
        case_service.get_case(world.cw, world.outsider, "C-0000-0000-0000")
    assert theirs.value.message.replace(case.id, "X") == nobody.value.message.replace(
        "C-0000-0000-0000", "X"
    )
    with pytest.raises(NotFoundError):
        screen_case(world.cw, world.outsider, case.id, {})
    with pytest.raises(NotFoundError):  # the receiver of nothing cannot open the case either
        case_service.get_case(
            world.cw,
            Actor("cw2", frozenset({Role.CASEWORKER}), 9, world.child_protection),
            case.id,
        )


def test_a_draft_is_invisible_to_its_receiver_and_others_see_404(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    draft = referral_service.create_referral(
        world.cw,
        world.worker,
        ReferralRequest(
            case_id=case.id,
            to_organisation_id=world.child_protection,
            pathway="child-protection",
            reason="alone",
            send=False,
        ),
    )
    draft_id = draft.summary.id
    with pytest.raises(NotFoundError):
        referral_service.get_referral(world.cw, world.receiver, draft_id)
    with pytest.raises(NotFoundError):
        referral_service.get_referral(world.cw, world.outsider, draft_id)
    assert draft_id not in [i.id for i in referral_service.inbox(world.cw, world.receiver)]
    reminders = referral_service.reminders(world.cw, world.worker)
    (reminder,) = [r for r in reminders if r.summary.id == draft_id]
    assert reminder.reminder == "draft-unsent"


def test_invalid_transitions_are_refused_and_change_nothing(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    sent = referral_service.create_referral(
        world.cw,
        world.worker,
        ReferralRequest(
            case_id=case.id,
            to_organisation_id=world.child_protection,
            pathway="child-protection",
            reason="alone",
        ),
    )
    with pytest.raises(ConflictError, match="only the receiver"):
        referral_service.transition_referral(
            world.cw, world.worker, sent.summary.id, ReferralStatus.ACCEPTED
        )
    with pytest.raises(ConflictError, match="cannot become 'completed'"):
        referral_service.transition_referral(
            world.cw, world.receiver, sent.summary.id, ReferralStatus.COMPLETED
        )
    with pytest.raises(ValidationError):
        referral_service.transition_referral(
            world.cw, world.receiver, sent.summary.id, ReferralStatus.DECLINED
        )
    again = referral_service.get_referral(world.cw, world.worker, sent.summary.id)
    assert again.summary.status is ReferralStatus.SENT and len(again.history) == 2


def test_two_caseworkers_editing_one_case_lose_no_update(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    case_service.edit_case(
        world.cw, world.worker, case.id, CaseChanges(1, {"contact": "+212 611 111 111"})
    )
    with pytest.raises(ConflictError) as caught:
        case_service.edit_case(
            world.cw, world.colleague, case.id, CaseChanges(1, {"arrival_place": "Nador"})
        )
    assert "changed by someone else since version 1" in caught.value.message
    assert "now version 2" in caught.value.message
    current = case_service.get_case(world.cw, world.colleague, case.id).case
    assert current.contact == "+212 611 111 111" and current.arrival_place == "Melilla"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nationality": "ZZZ"}, "nationality"),
        ({"route_id": "no-such-route"}, "route_id"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ],
)
def test_bad_input_is_named_and_nothing_is_stored(
    world: World, changes: dict[str, str], field: str
) -> None:
    before = _count(world, cases)
    with pytest.raises(ValidationError) as caught:
        case_service.register_case(world.cw, world.worker, amina(**changes))
    assert [e.field for e in caught.value.errors] == [field]
    assert _count(world, cases) == before


def test_processing_without_consent_for_the_purpose_is_refused(world: World) -> None:
    before = _count(world, referrals)
    case = case_service.register_case(
        world.cw,
        world.worker,
        amina(
            consent={
                "purposes": ["registration"],
                "child_assent": True,
                "child_decision": "guardian-consent",
            }
        ),
    )
    with pytest.raises(PermissionDeniedError, match="'screening'"):
        screen_case(world.cw, world.worker, case.id, {"pregnant": True})
    with pytest.raises(PermissionDeniedError, match="'referral'"):
        referral_service.create_referral(
            world.cw,
            world.worker,
            ReferralRequest(
                case_id=case.id,
                to_organisation_id=world.child_protection,
                pathway="child-protection",
                reason="alone",
            ),
        )
    assert _count(world, referrals) == before


def test_sharing_more_than_the_pathway_needs_is_refused(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    before = _count(world, referrals)
    with pytest.raises(ValidationError) as caught:
        referral_service.create_referral(
            world.cw,
            world.worker,
            ReferralRequest(
                case_id=case.id,
                to_organisation_id=world.child_protection,
                pathway="gbv-services",
                reason="x",
                shared_fields=("given_name", "document_numbers"),
            ),
        )
    assert caught.value.errors[0].field == "shared_fields[1]"
    assert _count(world, referrals) == before


def test_erasure_blanks_identifying_data_and_keeps_the_counts(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    coordinator = Actor("coord", frozenset({Role.COORDINATOR}), 5, world.ngo)
    case_service.erase_case(world.cw, coordinator, case.id)
    erased = case_service.get_case(world.cw, world.worker, case.id).case
    assert erased.erased and erased.given_name is None and erased.sex == "female"


def test_retention_erases_expired_cases_but_keeps_those_with_open_referrals(world: World) -> None:
    old, busy, fresh = (
        case_service.register_case(world.cw, world.worker, amina()).id for _ in range(3)
    )
    referral_service.create_referral(
        world.cw,
        world.worker,
        ReferralRequest(
            case_id=busy,
            to_organisation_id=world.child_protection,
            pathway="child-protection",
            reason="alone",
        ),
    )
    long_ago = datetime.now(UTC) - timedelta(days=800)
    with world.cw.db.transaction() as session:
        session.execute(
            cases.update().where(cases.c.id.in_([old, busy])).values(updated_at=long_ago)
        )
    settings = Settings(database_url=world.cw.db.url, environment="test", retention_days=365)
    dry = apply_retention(world.cw.db, SYSTEM, settings, dry_run=True)
    assert old in [i.entity_id for i in dry.items["expired-cases"]]
    assert case_service.get_case(world.cw, world.worker, old).case.given_name == "Amina"
    report = apply_retention(world.cw.db, SYSTEM, settings)
    erased = [i.entity_id for i in report.items["expired-cases"]]
    assert old in erased and busy not in erased and fresh not in erased
    assert case_service.get_case(world.cw, world.worker, old).case.given_name is None
    assert case_service.get_case(world.cw, world.worker, busy).case.given_name == "Amina"


def test_many_cases_are_sealed_each_with_its_own_context(world: World) -> None:
    """``insert_many`` (the seeding of the casework load benchmark) seals as ``insert``."""
    cw = world.cw
    template = case_service.register_case(cw, world.worker, amina())
    copies = [
        replace(template, id=new_case_number(), given_name=f"Name{n}", contact=None)
        for n in range(3)
    ]
    with cw.db.transaction(write=True) as session:
        repository = CaseRepository(session, cw.cipher)
        repository.insert_many(copies, updated_at=template.created_at)
        repository.insert_many([], updated_at=template.created_at)  # nothing to do
    with cw.db.transaction() as session:
        repository = CaseRepository(session, cw.cipher)
        found = [repository.get(c.id, world.ngo) for c in copies]
        rows = session.execute(
            select(cases.c.id, cases.c.given_name_enc, cases.c.contact_enc).where(
                cases.c.id.in_([c.id for c in copies])
            )
        ).all()
    assert [(f.given_name, f.date_of_birth, f.contact) for f in found if f] == [
        (f"Name{n}", template.date_of_birth, None) for n in range(3)
    ]
    assert len(rows) == 3 and all(r.contact_enc is None for r in rows)
    assert not any("Name" in r.given_name_enc for r in rows)
    first, second = rows[0], rows[1]
    with pytest.raises(DecryptionError):  # a token is bound to its own case
        cw.cipher.decrypt(first.given_name_enc, context=f"cases.given_name:{second.id}")
