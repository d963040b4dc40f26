"""Tracing requests: record one (consent to tracing required), complete the intake of one the
Digital Gateway handed over, read, list, close.

Every read and change is written to the audit trail in the same transaction, with ids and
purposes only. A request belongs to the organisation that recorded it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import ConsentRequiredError, Purpose
from itinera.domain.errors import ConflictError, NotFoundError, ValidationError
from itinera.domain.tracing import (
    NewTracingRequest,
    Outcome,
    RequestStatus,
    TracingRequest,
    new_request_number,
)
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.reunification import check_reunification
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["close_request", "complete_intake", "create_request", "get_request", "list_requests"]

log = logging.getLogger(__name__)


def _organisation(actor: Actor) -> int:
    if actor.organisation_id is None:
        raise ValidationError.single("organisation", "your account belongs to no organisation")
    return actor.organisation_id


def _check_complete(data: NewTracingRequest) -> None:
    if Purpose.TRACING.value not in data.purposes:
        raise ConsentRequiredError(
            "no consent recorded for the purpose 'tracing'",
            hint="record the inquirer's consent to tracing (consent.purposes: ['tracing'])",
        )
    if not data.sought:
        raise ValidationError.single("sought", "a tracing request seeks at least one person")


def _check_routes(session: UnitOfWork, data: NewTracingRequest) -> None:
    routes = RouteRepository(session)
    for index, person in enumerate(data.sought):
        if person.route_id is not None and not routes.exists(person.route_id):
            raise ValidationError.single(
                f"sought[{index}].route_id",
                f"no route {person.route_id!r} in the catalogue (GET /api/routes lists them)",
            )


def create_request(
    tr: Tracing, actor: Actor, data: NewTracingRequest, *, origin: str | None = None
) -> TracingRequest:
    require(actor, Action.REQUEST_TRACING)
    organisation_id = _organisation(actor)
    _check_complete(data)
    now = tr.now()
    request_id = new_request_number()
    with tr.db.transaction(write=True) as session:
        _check_routes(session, data)
        repository = TracingRequestRepository(session, tr.cipher)
        repository.insert(
            request_id, organisation_id, data, created_by=actor.username[:64], now=now
        )
        request = repository.get(request_id, decrypt=False)
        assert request is not None
        tr.audit(
            session,
            actor,
            action="tracing.request",
            entity="tracing_request",
            entity_id=request_id,
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"persons": len(data.sought)},
        )
    log.info("tracing request recorded by user %s", actor.user_id)
    return request


def get_request(
    tr: Tracing, actor: Actor, request_id: str, *, origin: str | None = None
) -> TracingRequest:
    """The request, decrypted, for the tracing team of its organisation (audited read)."""
    require(actor, Action.REQUEST_TRACING)
    with tr.db.transaction(write=True) as session:
        request = TracingRequestRepository(session, tr.cipher).get(request_id, decrypt=True)
        if request is None or request.organisation_id != actor.organisation_id:
            raise NotFoundError(f"no tracing request {request_id!r}", hint="check the number")
        tr.audit(
            session,
            actor,
            action="tracing.view",
            entity="tracing_request",
            entity_id=request_id,
            purpose=Purpose.TRACING.value,
            origin=origin,
        )
    return request


def list_requests(
    tr: Tracing, actor: Actor, status: RequestStatus | None = None
) -> list[TracingRequest]:
    """The organisation's requests (those with ``status`` only, if given), nothing decrypted."""
    require(actor, Action.REQUEST_TRACING)
    with tr.db.transaction() as session:
        repository = TracingRequestRepository(session, tr.cipher)
        return repository.all(decrypt=False, organisation_id=_organisation(actor), status=status)


def complete_intake(
    tr: Tracing,
    actor: Actor,
    request_id: str,
    data: NewTracingRequest,
    *,
    origin: str | None = None,
) -> TracingRequest:
    """Record, with the person who wrote to the gateway, who they seek and their consent: the
    request *awaiting intake* becomes open (and joins linkage). Without a new contact, the one
    the person gave the gateway is kept."""
    require(actor, Action.REQUEST_TRACING)
    _check_complete(data)
    with tr.db.transaction(write=True) as session:
        repository = TracingRequestRepository(session, tr.cipher)
        request = repository.get(request_id, decrypt=True)
        if request is None or request.organisation_id != _organisation(actor):
            raise NotFoundError(f"no tracing request {request_id!r}", hint="check the number")
        if request.status is not RequestStatus.AWAITING_INTAKE:
            raise ConflictError(
                f"tracing request {request_id!r} is {request.status.value}, not awaiting intake",
                hint="only a request handed over by the gateway awaits its intake",
            )
        given = data.inquirer
        if request.inquirer is not None:
            kept = request.inquirer
            given = replace(
                given,
                contact=given.contact or kept.contact,
                language=given.language or kept.language,
            )
        _check_routes(session, data)
        repository.complete_intake(request_id, replace(data, inquirer=given), tr.now())
        tr.audit(
            session,
            actor,
            action="tracing.intake",
            entity="tracing_request",
            entity_id=request_id,
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"persons": len(data.sought)},
        )
        completed = repository.get(request_id, decrypt=False)
    assert completed is not None
    return completed


def close_request(
    tr: Tracing, actor: Actor, request_id: str, outcome: Outcome, *, origin: str | None = None
) -> None:
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        repository = TracingRequestRepository(session, tr.cipher)
        request = repository.get(request_id, decrypt=False)
        if request is None or request.organisation_id != actor.organisation_id:
            raise NotFoundError(f"no tracing request {request_id!r}", hint="check the number")
        if request.status is RequestStatus.CLOSED:
            raise ConflictError(f"tracing request {request_id!r} is already closed")
        if outcome is Outcome.REUNITED:
            check_reunification(session, tr, request)
        repository.set_status(request_id, RequestStatus.CLOSED, tr.now(), outcome)
        tr.audit(
            session,
            actor,
            action="tracing.close",
            entity="tracing_request",
            entity_id=request_id,
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"outcome": outcome.value},
        )
