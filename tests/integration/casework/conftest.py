"""Fixtures for casework tests: three organisations, their caseworkers, a Casework context
with a real cipher and the real audit trail, on SQLite and PostgreSQL (``database_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.domain.organisation import Organisation, OrganisationType
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.schemas.cases import CaseIn
from itinera.services import audit
from itinera.services.casework import Casework
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.organisation_repository import OrganisationRepository


@dataclass
class World:
    cw: Casework
    ngo: int  # registers and refers
    child_protection: int  # receives
    other: int  # neither sends nor receives
    worker: Actor
    colleague: Actor
    receiver: Actor
    outsider: Actor


def amina(**changes: Any) -> CaseIn:
    data: dict[str, Any] = {
        "given_name": "Amina",
        "family_name": "Testperson",
        "sex": "female",
        "date_of_birth": "2010-03-14",
        "nationality": "GIN",
        "arrival_place": "Melilla",
        "arrival_date": "2026-11-01",
        "contact": "+212 600 000 000",
        "document_numbers": ["P1234567"],
        "consent": {"purposes": ["registration", "screening", "referral"]},
    }
    data.update(changes)
    return CaseIn.model_validate(data)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    initialise(Settings(database_url=database_url, environment="test"))
    db = Database(database_url)
    with db.transaction() as session:
        repo = OrganisationRepository(session)
        ids = [
            repo.add(Organisation(None, name, kind)).id
            for name, kind in [
                ("Reception NGO", OrganisationType.NGO),
                ("Child Protection Service", OrganisationType.STATE),
                ("Unrelated Agency", OrganisationType.NGO),
            ]
        ]
    ngo, child, other = (int(i) for i in ids if i is not None)
    caseworker = frozenset({Role.CASEWORKER})
    yield World(
        Casework(db, FieldCipher([generate_key()]), audit.record),
        ngo,
        child,
        other,
        Actor("worker", caseworker, 1, ngo),
        Actor("colleague", caseworker, 2, ngo),
        Actor("receiver", frozenset({Role.SERVICE_PROVIDER}), 3, child),
        Actor("outsider", caseworker, 4, other),
    )
    db.dispose()
