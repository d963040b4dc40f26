"""The Digital Gateway's hand-over: a "tracing interest" becomes a request awaiting intake, once.

A person who writes to the gateway that they look for a relative has not yet said who, in the
fields tracing needs: the tracing team of the organisation named finds a request *awaiting
intake* (no person sought, no consent yet) that points back to the submission's tracking code,
where the person's own words stay. Handed over again for the same submission, it answers the
same request: no duplicate. The reply contact is encrypted like an inquirer's.

``bootstrap`` registers :func:`receive_from_gateway` as the gateway's hand-over: it runs inside
the gateway's own transaction, so the submission and the request are stored together or not at
all. :func:`open_gateway_inquiry` is the same step in a transaction of its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from itinera.domain.access import SYSTEM, Actor
from itinera.domain.case import Purpose
from itinera.domain.errors import ValidationError
from itinera.domain.gateway import TracingInterest
from itinera.domain.tracing import Inquirer, NewTracingRequest, new_request_number
from itinera.services.accounts import audit
from itinera.services.casework.context import AuditRecorder
from itinera.services.store import UnitOfWork
from itinera.services.tracing.context import Tracing
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.tracing.request_repository import Cipher, TracingRequestRepository

__all__ = ["GatewayInquiry", "open_gateway_inquiry", "receive_from_gateway"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewayInquiry:
    request_id: str
    created: bool  # False when the submission had been handed over before


def _checked(tracking_code: str) -> str:
    code = tracking_code.strip()
    if not code or len(code) > 32:
        raise ValidationError.single("tracking_code", "a gateway tracking code of 1-32 characters")
    return code


def _open(
    session: UnitOfWork,
    cipher: Cipher,
    record: AuditRecorder,
    actor: Actor,
    organisation_id: int,
    code: str,
    *,
    language: str | None,
    contact: str | None,
    now: datetime,
    origin: str | None = None,
) -> GatewayInquiry:
    repository = TracingRequestRepository(session, cipher)
    existing = repository.from_gateway(code)
    if existing is not None:
        return GatewayInquiry(existing, created=False)
    request_id = new_request_number()
    pending = NewTracingRequest(Inquirer("", "", contact, language), (), "", ())
    repository.insert(request_id, organisation_id, pending, created_by=actor.username[:64], now=now)
    repository.mark_from_gateway(request_id, code)
    record(
        session,
        actor,
        action="tracing.gateway_inquiry",
        entity="tracing_request",
        entity_id=request_id,
        purpose=Purpose.TRACING.value,
        origin=origin,
        detail={"gateway_submission": code},
    )
    return GatewayInquiry(request_id, created=True)


def receive_from_gateway(
    session: UnitOfWork, cipher: Cipher, interest: TracingInterest
) -> str | None:
    """The gateway's hand-over, in the gateway's transaction: the request awaiting intake for
    the organisation named, or None (logged) when no organisation has that name."""
    organisation = OrganisationRepository(session).by_name(interest.organisation)
    if organisation is None or organisation.id is None:
        log.warning("gateway tracing hand-over: the configured organisation does not exist")
        return None
    opened = _open(
        session,
        cipher,
        audit.record,
        SYSTEM,
        organisation.id,
        _checked(interest.tracking_code),
        language=interest.language,
        contact=interest.contact,
        now=datetime.now(UTC),
    )
    if opened.created:
        log.info("tracing request %s opened from a gateway submission", opened.request_id)
    return opened.request_id


def open_gateway_inquiry(
    tr: Tracing,
    actor: Actor,
    organisation_id: int,
    tracking_code: str,
    *,
    language: str | None = None,
    contact: str | None = None,
    origin: str | None = None,
) -> GatewayInquiry:
    """The request awaiting intake of gateway submission ``tracking_code`` for the tracing
    team of ``organisation_id``, created when none exists (``actor`` is whoever hands it over:
    the gateway's process or agent; the request is then read by the tracing team only)."""
    code = _checked(tracking_code)
    with tr.db.transaction(write=True) as session:
        return _open(
            session,
            tr.cipher,
            tr.audit,
            actor,
            organisation_id,
            code,
            language=language,
            contact=contact,
            now=tr.now(),
            origin=origin,
        )
