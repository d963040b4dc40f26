"""Erasure leaves nothing behind (issue 10, item 12): no old ciphertext in SQLite's files
(database and write-ahead log), free text erased, and an erased case cannot be filled again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from itinera.domain.access import Actor, Role
from itinera.domain.case import Purpose
from itinera.domain.case_record import CaseChanges, ConsentStatement
from itinera.domain.errors import ConflictError
from itinera.domain.referral import ReferralRequest
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework.consent import change_consent
from itinera.services.casework.screening import screen_case
from itinera.storage.casework.tables import cases

from .conftest import World, amina


def _erase(world: World, case_id: str) -> None:
    coordinator = Actor("coord", frozenset({Role.COORDINATOR}), 5, world.ngo)
    case_service.erase_case(world.cw, coordinator, case_id)


def test_no_ciphertext_of_an_erased_case_stays_in_the_sqlite_files(world: World) -> None:
    if world.cw.db.dialect != "sqlite":
        pytest.skip("PostgreSQL keeps old row versions until VACUUM (docs/security.md)")
    case = case_service.register_case(world.cw, world.worker, amina(arrival_place="Tent 14B"))
    with world.cw.db.transaction() as session:
        row = session.execute(select(cases).where(cases.c.id == case.id)).mappings().one()
    secrets_stored = [row[f"{name}_enc"] for name in ("given_name", "family_name", "contact")]
    assert all(secrets_stored)
    database = Path(world.cw.db.engine.url.database or "")
    files = [database, database.with_name(database.name + "-wal")]
    before = b"".join(f.read_bytes() for f in files if f.exists())
    assert secrets_stored[0].encode() in before  # the test looks where the values are
    _erase(world, case.id)
    after = b"".join(f.read_bytes() for f in files if f.exists())
    for value in secrets_stored:
        assert value.encode() not in after
    assert b"Tent 14B" not in after


def test_an_erased_case_keeps_no_free_text_and_cannot_be_filled_again(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina(arrival_place="Tent 14B"))
    _erase(world, case.id)
    erased = case_service.get_case(world.cw, world.worker, case.id).case
    assert erased.erased and erased.arrival_place is None and erased.nationality == "GIN"
    with pytest.raises(ConflictError, match="erased"):
        case_service.edit_case(
            world.cw, world.worker, case.id, CaseChanges(erased.version, {"given_name": "Amina"})
        )
    with pytest.raises(ConflictError, match="erased"):
        change_consent(
            world.cw,
            world.worker,
            case.id,
            erased.version,
            ConsentStatement((Purpose.REGISTRATION, Purpose.REFERRAL)),
        )
    with pytest.raises(ConflictError, match="erased"):
        screen_case(world.cw, world.worker, case.id, {"travelling_with": "alone"})
    with pytest.raises(ConflictError, match="erased"):
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
    again = case_service.get_case(world.cw, world.worker, case.id).case
    assert again.given_name is None and again.version == erased.version
