"""A tracing inquiry: a person's wish to find a relative, received by another capability (the
Digital Gateway) with the person's consent, waiting for the tracing team to take it up and
record a full tracing request with the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["InquiryStatus", "NewTracingInquiry", "TracingInquiry"]


class InquiryStatus(StrEnum):
    PENDING = "pending"  # waits for the tracing team
    TAKEN = "taken"  # a tracing officer contacts the person
    CLOSED = "closed"


@dataclass(frozen=True)
class NewTracingInquiry:
    source: str  # where it came from, e.g. "gateway:42" (an id, never a tracking code)
    text: str  # the person's own words (encrypted at rest)
    language: str
    received_at: datetime


@dataclass(frozen=True)
class TracingInquiry:
    id: int
    source: str
    text: str | None  # None when not decrypted for the reader
    language: str
    status: InquiryStatus
    received_at: datetime
