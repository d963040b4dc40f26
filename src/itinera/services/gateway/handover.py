"""The hand-over of a "tracing" submission to the family tracing team (C10).

The gateway knows only this extension point; ``bootstrap`` registers tracing's service here.
The hand-over runs inside the gateway's transaction (the submission and the tracing request
*awaiting intake* are stored together or not at all) and only when the person agreed to it.
"""

from __future__ import annotations

from collections.abc import Callable

from itinera.domain.gateway import TracingInterest
from itinera.services.casework.context import Cipher
from itinera.services.gateway.context import Gateway
from itinera.services.store import UnitOfWork

__all__ = ["TracingHandover", "hand_over_tracing", "register_tracing_handover"]

# returns the tracing request's number, or None when the organisation is unknown
TracingHandover = Callable[[UnitOfWork, Cipher, TracingInterest], str | None]
_HANDOVERS: list[TracingHandover] = []


def register_tracing_handover(handover: TracingHandover) -> None:
    """Called by ``bootstrap``: the one service that receives tracing interests."""
    _HANDOVERS[:] = [handover]


def hand_over_tracing(
    session: UnitOfWork, gw: Gateway, tracking_code: str, language: str, contact: str | None
) -> str | None:
    """The tracing request's number, or None when no tracing service is registered or no
    receiving organisation is configured."""
    if not _HANDOVERS or not gw.tracing_organisation:
        return None
    interest = TracingInterest(tracking_code, language, contact, gw.tracing_organisation)
    return _HANDOVERS[0](session, gw.cipher, interest)
