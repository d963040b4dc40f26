"""The Digital Gateway's hand-over: a "tracing interest" becomes a pending inquiry, once.

A person who writes to the gateway that they look for a relative has not yet said who, in the
fields tracing needs: the gateway calls :func:`open_gateway_inquiry` with the submission's
tracking code, and the tracing team of the organisation named finds an inquiry *awaiting
intake* (no person sought, no consent yet) that points back to the submission, where the
person's own words stay. Called again for the same submission, it answers the same inquiry:
no duplicate. The reply contact is encrypted like an inquirer's; the free text is not copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from itinera.domain.access import Actor
from itinera.domain.case import Purpose
from itinera.domain.errors import ValidationError
from itinera.domain.tracing import Inquirer, NewTracingRequest, new_request_number
from itinera.services.tracing.context import Tracing
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["GatewayInquiry", "open_gateway_inquiry"]


@dataclass(frozen=True)
class GatewayInquiry:
    request_id: str
    created: bool  # False when the submission had been handed over before


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
    """The pending inquiry of gateway submission ``tracking_code`` for the tracing team of
    ``organisation_id``, created when none exists (``actor`` is whoever hands it over: the
    gateway's process or agent; the inquiry is then read by the tracing team only)."""
    code = tracking_code.strip()
    if not code or len(code) > 32:
        raise ValidationError.single("tracking_code", "a gateway tracking code of 1-32 characters")
    with tr.db.transaction(write=True) as session:
        repository = TracingRequestRepository(session, tr.cipher)
        existing = repository.from_gateway(code)
        if existing is not None:
            return GatewayInquiry(existing, created=False)
        request_id = new_request_number()
        pending = NewTracingRequest(Inquirer("", "", contact, language), (), "", ())
        repository.insert(
            request_id, organisation_id, pending, created_by=actor.username[:64], now=tr.now()
        )
        repository.mark_from_gateway(request_id, code)
        tr.audit(
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
