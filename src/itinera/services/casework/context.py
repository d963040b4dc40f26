"""What the casework services need besides the database: the field cipher, the audit trail,
the screening rules and a clock, gathered in one :class:`Casework` object.

``casework_for(settings, db)`` builds the real one (the key from settings or the key file, the
hash-chained audit trail). Tests and the benchmark may pass other parts to the constructor; no
setting can switch protection off.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from itinera.config import Settings
from itinera.domain.access import Action, Actor, can, require
from itinera.domain.case_record import CaseRecord
from itinera.domain.errors import ConflictError, NotFoundError
from itinera.engines.crypto import load_cipher
from itinera.reference.screening import (
    ScreeningConfig,
    ScreeningTexts,
    load_screening,
    load_screening_texts,
)
from itinera.services.accounts import audit
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.casework.screening_versions import ScreeningVersionRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = [
    "AuditRecorder",
    "Casework",
    "Cipher",
    "casework_for",
    "hidden",
    "require_audited",
    "require_kept",
    "unseen",
]


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


_ACTIVE_CHECKED = "active"
_ACTIVE_FOR_SECONDS = 1.0


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Casework:
    db: Database
    cipher: Cipher
    audit: AuditRecorder
    now: Callable[[], datetime] = _now
    # parsed rule versions by id: a stored version never changes, so they never go stale
    configs: dict[int, ScreeningConfig] = field(default_factory=dict, compare=False, repr=False)
    # when the active version's id was last read, and that id
    active_checked: dict[str, tuple[float, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def today(self) -> date:
        return self.now().date()

    @property
    def screening(self) -> ScreeningConfig:
        """The active questionnaire, rules and pathways (issue 12: administered in the app)."""
        return self.active_screening()[1]

    def active_screening(self) -> tuple[int, ScreeningConfig]:
        """The active version's id and rules; before any version is stored, the packaged files
        (version 1). The id is read again after a second (a list of referrals asks for each
        one), so other worker processes see an activation within that second."""
        checked = self.active_checked.get(_ACTIVE_CHECKED)
        if checked is None or time.monotonic() - checked[0] > _ACTIVE_FOR_SECONDS:
            with self.db.transaction() as session:
                version_id = ScreeningVersionRepository(session).active_id() or 1
            checked = (time.monotonic(), version_id)
            self.active_checked[_ACTIVE_CHECKED] = checked
        return checked[1], self.screening_version(checked[1])

    def forget_active_screening(self) -> None:
        """After a save or an activation in this process: the next screening reads it."""
        self.active_checked.pop(_ACTIVE_CHECKED, None)

    def screening_version(self, version_id: int) -> ScreeningConfig:
        """The rules of a stored version (version 1 is the packaged files until stored)."""
        if version_id not in self.configs:
            with self.db.transaction() as session:
                version = ScreeningVersionRepository(session).get(version_id)
            if version is None and version_id != 1:
                raise NotFoundError(f"no screening rules version {version_id}")
            self.configs[version_id] = (
                load_screening()
                if version is None
                else load_screening_texts(
                    ScreeningTexts(
                        version.questionnaire_text, version.rules_text, version.pathways_text
                    )
                )
            )
        return self.configs[version_id]


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


def unseen(
    cw: Casework,
    session: UnitOfWork,
    actor: Actor,
    what: str,
    identifier: str,
    tried: str,
    *,
    origin: str | None = None,
) -> NotFoundError:
    """:func:`hidden`, after auditing who looked for what (issue 10, item 15): the entry is
    committed at once, as the exception raised next rolls the transaction back."""
    cw.audit(
        session,
        actor,
        action=f"{what}.not_found",
        entity=what,
        entity_id=identifier[:64],
        origin=origin,
        detail={"tried": tried},
    )
    session.commit()
    return hidden(what, identifier)


def require_audited(
    cw: Casework,
    actor: Actor,
    action: Action,
    what: str,
    identifier: str,
    *,
    origin: str | None = None,
) -> None:
    """:func:`require` for an action on one person's record: a signed-in user refused is
    audited (anonymous calls are not: they would let anyone fill the trail)."""
    if can(actor, action) or actor.user_id is None:
        require(actor, action)
        return
    with cw.db.transaction(write=True) as session:
        cw.audit(
            session,
            actor,
            action=f"{what}.refused",
            entity=what,
            entity_id=identifier[:64],
            origin=origin,
            detail={"tried": action.value},
        )
    require(actor, action)
