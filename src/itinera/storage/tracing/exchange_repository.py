"""Records received from other tracing services in PFIF: which, from whom, with what content
(a digest), so that the same record sent again is recognised and a changed one is a conflict.
A note's text and last known location are encrypted like case fields."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from itinera.domain.tracing_exchange import PfifNote
from itinera.storage.tracing.request_repository import Cipher
from itinera.storage.tracing.tables import tracing_exchange_records

__all__ = ["ExchangeRepository"]


class ExchangeRepository:
    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    def digest_of(self, record_id: str) -> str | None:
        """The content digest of a record received before, or None."""
        found = self.session.execute(
            select(tracing_exchange_records.c.digest).where(
                tracing_exchange_records.c.record_id == record_id
            )
        ).scalar()
        return None if found is None else str(found)

    def request_of(self, record_id: str) -> str | None:
        """The local request a received person record became."""
        found = self.session.execute(
            select(tracing_exchange_records.c.request_id).where(
                tracing_exchange_records.c.record_id == record_id
            )
        ).scalar()
        return None if found is None else str(found)

    def add_person(
        self, record_id: str, organisation_id: int, request_id: str, digest: str, source_date: str
    ) -> None:
        self.session.execute(
            tracing_exchange_records.insert().values(
                record_id=record_id,
                kind="person",
                organisation_id=organisation_id,
                request_id=request_id,
                digest=digest,
                source_date=source_date,
            )
        )

    def add_note(
        self, note: PfifNote, organisation_id: int, request_id: str | None, digest: str
    ) -> None:
        result = self.session.execute(
            tracing_exchange_records.insert().values(
                record_id=note.record_id,
                kind="note",
                organisation_id=organisation_id,
                request_id=request_id,
                digest=digest,
                source_date=note.source_date,
                note_status=note.status,
            )
        )
        row_id = result.inserted_primary_key[0]
        content = {"text": note.text, "last_known_location": note.last_known_location}
        if note.text or note.last_known_location:
            token = self.cipher.encrypt(
                json.dumps(content, ensure_ascii=False),
                context=f"tracing_exchange_records.note:{row_id}",
            )
            self.session.execute(
                tracing_exchange_records.update()
                .where(tracing_exchange_records.c.id == row_id)
                .values(note_enc=token)
            )
