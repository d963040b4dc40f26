"""The hand-over of a "tracing" submission to the family tracing team (C10).

The gateway knows only this extension point; ``bootstrap`` registers tracing's service here.
The hand-over runs inside the gateway's transaction (the submission and the pending inquiry are
stored together or not at all) and only when the person agreed to it.
"""

from __future__ import annotations

from collections.abc import Callable

from itinera.domain.tracing_inquiry import NewTracingInquiry
from itinera.services.casework.context import Cipher
from itinera.services.gateway.context import Gateway
from itinera.services.store import UnitOfWork

__all__ = ["TracingHandover", "hand_over_tracing", "register_tracing_handover"]

TracingHandover = Callable[[UnitOfWork, Cipher, NewTracingInquiry], int]
_HANDOVERS: list[TracingHandover] = []


def register_tracing_handover(handover: TracingHandover) -> None:
    """Called by ``bootstrap``: the one service that receives tracing inquiries."""
    _HANDOVERS[:] = [handover]


def hand_over_tracing(session: UnitOfWork, gw: Gateway, inquiry: NewTracingInquiry) -> int | None:
    """The pending inquiry's id, or None when no tracing service is registered."""
    if not _HANDOVERS:
        return None
    return _HANDOVERS[0](session, gw.cipher, inquiry)
