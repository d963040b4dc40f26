"""Fixtures for tracing tests: one initialised database per module, on SQLite and PostgreSQL,
and users of given roles in given organisations."""

from __future__ import annotations

import secrets

import pytest

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database


@pytest.fixture(scope="module")
def tracing_database_url(module_database_url: str) -> str:
    return module_database_url


def new_user(db: Database, role: str, organisation: str) -> tuple[str, str]:
    """A user of ``role`` in ``organisation`` (created when missing): (username, password)."""
    if not any(o.name == organisation for o in accounts.list_organisations(db)):
        accounts.create_organisation(db, SYSTEM, organisation, "ngo")
    username = f"{role.replace('_', '-')}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    accounts.create_user(db, SYSTEM, username, organisation, role, password)
    return username, password
