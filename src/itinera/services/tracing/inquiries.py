"""Inquiries handed over to the tracing team: a person on the move who asked the Digital
Gateway about a lost relative, and agreed that the message goes to the tracing team.

The gateway does not import tracing: ``bootstrap`` registers :func:`receive_from_gateway` as
the gateway's tracing hand-over, called inside the gateway's own transaction, so that the
submission and the inquiry are stored together or not at all.
"""

from __future__ import annotations

import logging

from itinera.domain.access import Action, Actor, require
from itinera.domain.tracing_inquiry import InquiryStatus, NewTracingInquiry, TracingInquiry
from itinera.services.store import UnitOfWork
from itinera.services.tracing.context import Tracing
from itinera.storage.tracing.inquiry_repository import TracingInquiryRepository
from itinera.storage.tracing.request_repository import Cipher

__all__ = ["list_inquiries", "receive_from_gateway"]

log = logging.getLogger(__name__)


def receive_from_gateway(session: UnitOfWork, cipher: Cipher, inquiry: NewTracingInquiry) -> int:
    """Store a pending inquiry (once per source) and return its id."""
    inquiry_id = TracingInquiryRepository(session, cipher).add(inquiry)
    log.info("tracing inquiry %s received from %s", inquiry_id, inquiry.source.split(":")[0])
    return inquiry_id


def list_inquiries(
    tr: Tracing, actor: Actor, status: InquiryStatus | None = InquiryStatus.PENDING
) -> list[TracingInquiry]:
    """The inquiries waiting for the tracing team (reading them is audited)."""
    require(actor, Action.REQUEST_TRACING)
    with tr.db.transaction(write=True) as session:
        found = TracingInquiryRepository(session, tr.cipher).list(status)
        tr.audit(
            session,
            actor,
            action="tracing.inquiries.read",
            entity="tracing_inquiry",
            entity_id="*",
            purpose="tracing",
            detail={"count": len(found)},
        )
    return found
