"""What the casework services need besides the database: the field cipher, the audit trail,
the screening rules and a clock, gathered in one :class:`Casework` object.

``casework_for(settings, db)`` builds the real one (the key from settings or the key file, the
hash-chained audit trail). Tests and the benchmark may pass other parts to the constructor; no
setting can switch protection off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.domain.case_record import CaseRecord
from itinera.domain.errors import ConflictError, NotFoundError
from itinera.engines.crypto import load_cipher
from itinera.reference.screening import ScreeningConfig, load_screening
from itinera.services.accounts import audit
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.database import Database, UnitOfWork

__all__ = ["AuditRecorder", "Casework", "Cipher", "casework_for", "hidden", "require_kept"]


class AuditRecorder(Protocol):
    def __call__(
        self,
        session: UnitOfWork,
        actor: Actor,
        *,
        action: str,
        entity: str,
        entity_id: str,
        purpose: str | None = None,
        origin: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Casework:
    db: Database
    cipher: Cipher
    audit: AuditRecorder
    screening: ScreeningConfig = field(default_factory=load_screening)
    now: Callable[[], datetime] = _now

    def today(self) -> date:
        return self.now().date()


def casework_for(settings: Settings, db: Database) -> Casework:
    return Casework(db, load_cipher(settings), audit.record)


def hidden(what: str, identifier: str) -> NotFoundError:
    """The same answer whether the record does not exist or belongs to another organisation."""
    return NotFoundError(f"no {what} {identifier!r}", hint="check the number")


def require_kept(case: CaseRecord) -> None:
    """An erased case is never filled again: edits, consent, screening and referrals stop."""
    if case.erased:
        raise ConflictError(
            f"case {case.id} was erased; it can no longer be changed",
            hint="register a new case if the person comes back and agrees",
        )
