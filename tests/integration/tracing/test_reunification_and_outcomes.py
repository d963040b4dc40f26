"""What a tracing request records beyond names (route, reason for separation, last contact,
languages, profession, distinguishing information, medical urgency), the steps a child's
reunification waits for, and the outcomes as anonymised figures per route; on SQLite and
PostgreSQL."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from itinera.bootstrap import build_app, build_cli
from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor
from itinera.domain.case import Sex
from itinera.domain.errors import ConflictError, ValidationError
from itinera.domain.tracing import (
    CandidateStatus,
    Decision,
    Inquirer,
    NewTracingRequest,
    Outcome,
    SeparationReason,
    SoughtPerson,
)
from itinera.domain.tracing_reunification import BestInterests, VerificationMethod
from itinera.engines.crypto import generate_key
from itinera.services.accounts import users as accounts
from itinera.services.accounts.keys import field_cipher
from itinera.services.tracing import review
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.matching import run_match
from itinera.services.tracing.requests import close_request, create_request, get_request
from itinera.services.tracing.reunification import record_best_interests, verify_relationship
from itinera.storage.accounts.tables import audit_log
from itinera.storage.database import Database
from itinera.storage.tracing.tables import tracing_requests

from .conftest import new_user

ROUTE = "central-mediterranean"
SECRET_NOTE = "birth certificate 4471 seen by both"
PROFESSION = "fisherman on Lake Tana"
MARKS = "scar above the left eye, green scarf"


@pytest.fixture(scope="module")
def world(
    tracing_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Tracing, Settings]]:
    settings = Settings(
        database_url=tracing_database_url,
        environment="test",
        field_key=base64.b64encode(generate_key()).decode(),
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
    )
    db = Database(tracing_database_url)
    yield db, Tracing(db, field_cipher(settings)), settings
    db.dispose()


def _actor(db: Database, organisation: str) -> Actor:
    return accounts.authenticate(db, *new_user(db, "tracing", organisation)).actor


def _person(given: str, family: str, year: int, **details: object) -> SoughtPerson:
    return SoughtPerson(given, family, Sex.FEMALE, "ERI", birth_year=year, **details)  # type: ignore[arg-type]


def _request(*persons: SoughtPerson, **details: object) -> NewTracingRequest:
    inquirer = Inquirer("Amal", "Requester", "+249 900 000 000")
    return NewTracingRequest(inquirer, persons, "mother", ("tracing",), **details)  # type: ignore[arg-type]


def test_a_request_keeps_route_reason_and_details_and_encrypts_the_identifying_ones(
    world: tuple[Database, Tracing, Settings],
) -> None:
    db, tr, _ = world
    actor = _actor(db, f"Links {secrets.token_hex(3)}")
    person = _person(
        "Hiwet",
        "Gebremedhin",
        1990,
        languages=("ti", "ar"),
        profession=PROFESSION,
        last_contact_date=date(2025, 11, 3),
        separation_reason=SeparationReason.SHIPWRECK,
        route_id=ROUTE,
        distinguishing_info=MARKS,
    )
    created = create_request(tr, actor, _request(person, medical_urgency=True))
    assert created.medical_urgency
    read = get_request(tr, actor, created.id).sought[0]
    assert (read.languages, read.profession, read.distinguishing_info) == (
        ("ti", "ar"),
        PROFESSION,
        MARKS,
    )
    assert (read.route_id, read.separation_reason, read.last_contact_date) == (
        ROUTE,
        SeparationReason.SHIPWRECK,
        date(2025, 11, 3),
    )
    with db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT profession_enc, distinguishing_info_enc, route_id FROM tracing_persons")
        ).all()
    flat = repr(stored)
    assert PROFESSION not in flat and "scar" not in flat and ROUTE in flat

    with db.transaction() as session:
        before = session.execute(select(func.count()).select_from(tracing_requests)).scalar()
    unknown = replace(person, route_id="no-such-route")
    with pytest.raises(ValidationError) as refused:
        create_request(tr, actor, _request(person, unknown))
    assert [e.field for e in refused.value.errors] == ["sought[1].route_id"]
    with db.transaction() as session:  # nothing of the refused request was stored
        after = session.execute(select(func.count()).select_from(tracing_requests)).scalar()
    assert after == before


def test_a_child_is_reunited_only_after_contact_a_verified_relationship_and_best_interests(
    world: tuple[Database, Tracing, Settings],
) -> None:
    db, tr, _ = world
    organisation = f"Family Links {secrets.token_hex(3)}"
    one, two = _actor(db, organisation), _actor(db, organisation)
    year = date.today().year - 9
    mine = create_request(tr, one, _request(_person("ዘይነብ", "ተስፋይ", year)))
    create_request(tr, two, _request(_person("Zeinab", "Tesfaye", year)))
    run_match(tr, SYSTEM)
    [view] = review.candidates_of_request(tr, one, mine.id)
    candidate = view.candidate.id
    assert view.candidate.child
    with pytest.raises(ConflictError):  # nothing before a confirmed match
        verify_relationship(tr, one, candidate, VerificationMethod.DOCUMENTS)
    review.decide(tr, one, candidate, Decision.MATCH, "same girl")
    assert review.decide(tr, two, candidate, Decision.MATCH, "photo").status is (
        CandidateStatus.CONFIRMED
    )
    with pytest.raises(ConflictError, match="after contact started"):
        close_request(tr, one, mine.id, Outcome.REUNITED)
    review.record_contact_consent(tr, one, candidate)
    review.start_contact(tr, one, candidate)
    with pytest.raises(ConflictError, match="relationship verified, best-interests step"):
        close_request(tr, one, mine.id, Outcome.REUNITED)

    verify_relationship(tr, one, candidate, VerificationMethod.DOCUMENTS, SECRET_NOTE)
    record_best_interests(tr, two, candidate, BestInterests.FURTHER_ASSESSMENT, "visit planned")
    with pytest.raises(ConflictError, match="best-interests step"):
        close_request(tr, one, mine.id, Outcome.REUNITED)
    record_best_interests(tr, two, candidate, BestInterests.IN_BEST_INTERESTS, "BID 2026-114")
    close_request(tr, one, mine.id, Outcome.REUNITED)
    with pytest.raises(ConflictError, match="already closed"):
        close_request(tr, one, mine.id, Outcome.NOT_FOUND)

    with db.engine.connect() as connection:
        notes = connection.execute(text("SELECT note_enc FROM tracing_reunification_steps")).all()
        trail = connection.execute(
            select(audit_log.c.action, audit_log.c.detail).where(
                audit_log.c.entity_id == str(candidate)
            )
        ).all()
    assert len(notes) == 3 and all(n and SECRET_NOTE not in n and "BID" not in n for (n,) in notes)
    steps = [d for a, d in trail if a == "tracing.reunification_step"]
    assert len(steps) == 3 and "4471" not in repr(trail)


def test_outcomes_are_counted_per_route_and_small_counts_suppressed(
    world: tuple[Database, Tracing, Settings],
) -> None:
    db, tr, settings = world
    actor = _actor(db, f"Outcomes {secrets.token_hex(3)}")
    route = "eastern-mediterranean"
    closed = [Outcome.NOT_FOUND] * 6 + [Outcome.FOUND_ALIVE] * 2 + [Outcome.WITHDRAWN] * 5
    for outcome in closed:
        person = _person("Selam", secrets.token_hex(4), 1980, route_id=route)
        request = create_request(tr, actor, _request(person))
        close_request(tr, actor, request.id, outcome)
    with TestClient(build_app(settings, database=db)) as client:
        answer = client.get("/api/tracing/outcomes")  # public: anonymised figures
        page = client.get(f"/routes/{route}?lang=fr")
    assert answer.status_code == 200, answer.text
    figures = answer.json()
    assert figures["threshold"] == settings.analytics_suppression_threshold == 5
    [row] = [r for r in figures["routes"] if r["route_id"] == route]
    counts = row["counts"]
    assert counts["found alive"] is None  # 2 < 5
    # and one more, or the total would give the 2 back
    assert counts["not found"] is None or counts["withdrawn"] is None or row["total"] is None
    assert counts["found deceased"] == 0
    assert "Selam" not in answer.text
    assert page.status_code == 200
    table = page.text.split('id="route-tracing-outcomes"')[1].split("</table>")[0]
    shown = [value for _, value in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", table)]
    assert shown == ["masqué" if n is None else str(n) for n in counts.values()]  # the API's row
    runner = CliRunner()
    env = {"ITINERA_DATABASE_URL": settings.database_url, "ITINERA_ENVIRONMENT": "test"}
    printed = runner.invoke(build_cli(), ["tracing", "outcomes", "--json"], env=env)
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == figures  # the command line publishes the same table
