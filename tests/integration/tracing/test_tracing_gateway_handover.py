"""The gateway's hand-over on SQLite and PostgreSQL: a tracing interest becomes one pending
inquiry for the tracing team, whatever the number of calls, with its contact encrypted."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import text

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.tracing import RequestStatus
from itinera.engines.crypto import load_cipher
from itinera.services.accounts import users as accounts
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.gateway_handover import open_gateway_inquiry
from itinera.services.tracing.matching import run_match
from itinera.services.tracing.requests import get_request, list_requests
from itinera.storage.database import Database

from .conftest import new_user


def test_one_pending_inquiry_per_gateway_submission(
    tracing_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=tracing_database_url, environment="test", key_file=tmp_path / "field.key"
    )
    db = Database(tracing_database_url)
    tr = Tracing(db, load_cipher(settings))
    organisation = f"Family Links G {secrets.token_hex(3)}"
    team = accounts.authenticate(db, *new_user(db, "tracing", organisation)).actor
    assert team.organisation_id is not None
    code = f"G-{secrets.token_hex(4).upper()}"

    first = open_gateway_inquiry(
        tr, SYSTEM, team.organisation_id, code, language="ar", contact="+218 91 000 0000"
    )
    again = open_gateway_inquiry(tr, SYSTEM, team.organisation_id, code)
    assert first.created and not again.created
    assert again.request_id == first.request_id
    assert [r.id for r in list_requests(tr, team)] == [first.request_id]

    request = get_request(tr, team, first.request_id)
    assert request.status is RequestStatus.AWAITING_INTAKE and request.sought == ()
    assert request.inquirer is not None and request.inquirer.contact == "+218 91 000 0000"
    assert run_match(tr, SYSTEM).persons_sought == 0  # nobody sought yet: nothing to link
    with db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT inquirer_contact_enc, gateway_submission FROM tracing_requests")
        ).one()
        audited = connection.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'tracing.gateway_inquiry'")
        ).scalar()
    assert "+218" not in stored[0] and stored[1] == code
    assert audited == 1
    db.dispose()
