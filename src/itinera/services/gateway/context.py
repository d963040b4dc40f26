"""What the gateway services need besides the database: the field cipher, the audit trail and
a clock, gathered in one :class:`Gateway` object (the same parts as casework's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from itinera.config import Settings
from itinera.domain.gateway import Channel
from itinera.engines.crypto import load_cipher
from itinera.engines.gateway_outbound import ReplyAdapter, adapter_for
from itinera.services.accounts import audit
from itinera.services.casework.context import AuditRecorder, Cipher
from itinera.services.gateway.intake_writer import IntakeWriter, new_intake_writer
from itinera.storage.database import Database

__all__ = ["Gateway", "gateway_for"]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Gateway:
    db: Database
    cipher: Cipher
    audit: AuditRecorder
    now: Callable[[], datetime] = _now
    # the way out for replies, per channel (tests pass a recording fake)
    adapters: Callable[[Channel, str], ReplyAdapter] = adapter_for
    # submissions arriving together are stored together (group commit, decision 0028)
    intake_writer: IntakeWriter = field(default_factory=new_intake_writer, compare=False)
    # the organisation whose tracing team receives consented tracing interests (a setting)
    tracing_organisation: str | None = None


def gateway_for(settings: Settings, db: Database) -> Gateway:
    return Gateway(
        db,
        load_cipher(settings),
        audit.record,
        tracing_organisation=settings.gateway_tracing_organisation,
    )
