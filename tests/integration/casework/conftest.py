"""Fixtures for casework tests: three organisations, their caseworkers, a Casework context
with a real cipher and the real audit trail, on SQLite and PostgreSQL (``database_url``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.case_record import NewCase
from itinera.domain.organisation import Organisation, OrganisationType
from itinera.engines.crypto import FieldCipher, generate_key
from itinera.schemas.cases import CaseIn
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.casework.context import Casework
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.database import Database


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


def amina(**changes: Any) -> NewCase:
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
        "consent": {
            "purposes": ["registration", "screening", "referral"],
            "child_assent": True,
            "child_decision": "guardian-consent",
        },
    }
    data.update(changes)
    return CaseIn.model_validate(data).to_domain()


@pytest.fixture(scope="module")
def casework_database_url(module_database_url: str) -> str:
    return module_database_url


@pytest.fixture(scope="module")
def world(casework_database_url: str) -> Iterator[World]:
    db = Database(casework_database_url)
    with db.transaction() as session:
        repo = OrganisationRepository(session)
        ids = [
            repo.add(Organisation(None, f"{name} {secrets.token_hex(3)}", kind)).id
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


def new_user(db: Database, role: str, organisation: str) -> tuple[str, str]:
    """A user of ``role`` in ``organisation`` (created when missing): (username, password)."""
    if not any(o.name == organisation for o in accounts.list_organisations(db)):
        accounts.create_organisation(db, SYSTEM, organisation, "ngo")
    username = f"{role.replace('_', '-')}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    accounts.create_user(db, SYSTEM, username, organisation, role, password)
    return username, password
