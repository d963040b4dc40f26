"""The steps recorded before a child's reunification; each note encrypted with a context naming
its row, like review reasons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from itinera.domain.tracing_reunification import ReunificationStep, StepRecord
from itinera.storage.tracing.request_repository import Cipher
from itinera.storage.tracing.tables import tracing_reunification_steps

__all__ = ["ReunificationRepository"]

_TABLE = tracing_reunification_steps


def _context(step_id: int) -> str:
    return f"tracing_reunification_steps.note:{step_id}"


class ReunificationRepository:
    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    def add(
        self,
        candidate_id: int,
        step: ReunificationStep,
        finding: str,
        note: str | None,
        recorded_by: str,
        now: datetime,
    ) -> None:
        result = self.session.execute(
            _TABLE.insert().values(
                candidate_id=candidate_id,
                step=step.value,
                finding=finding,
                recorded_by=recorded_by,
                at=now,
            )
        )
        if note:
            step_id = int(result.inserted_primary_key[0])
            self.session.execute(
                update(_TABLE)
                .where(_TABLE.c.id == step_id)
                .values(note_enc=self.cipher.encrypt(note, context=_context(step_id)))
            )

    def of_candidate(self, candidate_id: int, *, decrypt: bool) -> list[StepRecord]:
        rows = self.session.execute(
            select(_TABLE).where(_TABLE.c.candidate_id == candidate_id).order_by(_TABLE.c.id)
        ).mappings()
        return [
            StepRecord(
                candidate_id=row["candidate_id"],
                step=ReunificationStep(row["step"]),
                finding=row["finding"],
                note=self.cipher.decrypt(row["note_enc"], context=_context(row["id"]))
                if decrypt and row["note_enc"]
                else None,
                recorded_by=row["recorded_by"],
                at=row["at"],
            )
            for row in rows
        ]
