"""Tracing inquiries handed over by the gateway; the person's words encrypted, bound to the row
(``tracing_inquiries.text:7``) like every identifying field of tracing."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from itinera.domain.tracing_inquiry import InquiryStatus, NewTracingInquiry, TracingInquiry
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.tracing.request_repository import Cipher
from itinera.storage.tracing.tables import tracing_inquiries

__all__ = ["TracingInquiryRepository", "register_inquiry_columns"]

_I = tracing_inquiries


def _context(inquiry_id: object) -> str:
    return f"tracing_inquiries.text:{inquiry_id}"


def register_inquiry_columns() -> None:
    register_encrypted_column("tracing_inquiries", "text_enc", lambda row: _context(row["id"]))


class TracingInquiryRepository:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self.session = session
        self.cipher = cipher

    def add(self, new: NewTracingInquiry) -> int:
        """Store a pending inquiry once per source; the id of the one already stored if any."""
        assert self.cipher is not None
        found = self.session.execute(select(_I.c.id).where(_I.c.source == new.source)).scalar()
        if found is not None:
            return int(found)
        inquiry_id = self.session.execute(
            _I.insert()
            .values(
                source=new.source,
                text_enc="",
                language=new.language,
                status=InquiryStatus.PENDING.value,
                received_at=new.received_at,
            )
            .returning(_I.c.id)
        ).scalar_one()
        token = self.cipher.encrypt(new.text, context=_context(inquiry_id))
        self.session.execute(update(_I).where(_I.c.id == inquiry_id).values(text_enc=token))
        return int(inquiry_id)

    def list(self, status: InquiryStatus | None = None) -> list[TracingInquiry]:
        query = select(_I).order_by(_I.c.received_at, _I.c.id)
        if status is not None:
            query = query.where(_I.c.status == status.value)
        return [
            TracingInquiry(
                row.id,
                row.source,
                self.cipher.decrypt(row.text_enc, context=_context(row.id))
                if self.cipher
                else None,
                row.language,
                InquiryStatus(row.status),
                row.received_at,
            )
            for row in self.session.execute(query)
        ]
