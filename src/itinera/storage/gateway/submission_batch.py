"""Storing gateway submissions a batch at a time (the intake's group commit, decision 0028).

Rows are sealed (their identifying fields encrypted) before the write transaction, then
inserted together; repeats of a channel message and tracking codes already taken are found in
one query each.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from itinera.domain.errors import ConflictError
from itinera.domain.gateway import Intake, NewSubmission, Priority, SubmissionStatus
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.gateway.tables import gateway_inbound_messages, gateway_submissions

__all__ = ["SubmissionBatch", "sealed_row", "submission_context"]


def submission_context(field: str, code: str) -> str:
    """What an encrypted value is bound to: its column and its submission's tracking code."""
    return f"gateway_submissions.{field}:{code}"


def sealed_row(
    cipher: Cipher,
    code: str,
    new: NewSubmission,
    *,
    intake: Intake,
    now: datetime,
    flags: Sequence[str] = (),
    channel_id: int | None = None,
    sender: str | None = None,
) -> dict[str, Any]:
    """A new submission's row with its identifying fields encrypted: built outside the write
    transaction, so that the encryption does not hold the database's write turn."""

    def seal(field: str, value: str | None) -> str | None:
        return (
            None
            if value is None
            else cipher.encrypt(value, context=submission_context(field, code))
        )

    return {
        "tracking_code": code,
        "kind": new.kind.value,
        "status": SubmissionStatus.RECEIVED.value,
        "language": new.language,
        "intake": intake.value,
        "channel_id": channel_id,
        "text_enc": seal("text", new.text),
        "contact_enc": seal("contact", new.contact),
        "sender_enc": seal("sender", sender),
        "flags": list(flags),
        "category": new.category.value if new.category else None,
        "restricted": new.restricted,
        "priority": Priority.NORMAL.value,
        "created_at": now,
        "updated_at": now,
    }


@functools.lru_cache(maxsize=128)
def _sqlite_insert_rows(columns: tuple[str, ...], count: int) -> str:
    """One INSERT of ``count`` rows in the driver's own SQL, built once per size: SQLAlchemy
    compiles a multi-row INSERT again at each execution (40 ms for 64 rows)."""
    row = "(" + ", ".join("?" for _ in columns) + ")"
    return f"INSERT INTO gateway_submissions ({', '.join(columns)}) VALUES " + ", ".join(
        [row] * count
    )


class SubmissionBatch:
    """The writes of a batch of new submissions, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert rows made by :func:`sealed_row` in one statement; their ids, in order."""
        if not rows:
            return []
        if self.session.get_bind().dialect.name == "sqlite":
            # one multi-row statement, no RETURNING: each returned row is a step that lets go
            # of the interpreter lock, and the busy event loop then keeps it (decision 0028).
            # Inside the write lock new rowids follow the largest one, so they are consecutive.
            connection = self.session.connection()
            columns = tuple(rows[0])
            process = [
                gateway_submissions.c[c].type.bind_processor(connection.dialect) for c in columns
            ]
            values = tuple(
                f(row[c]) if f else row[c]
                for row in rows
                for c, f in zip(columns, process, strict=True)
            )
            last = connection.exec_driver_sql(
                _sqlite_insert_rows(columns, len(rows)), values
            ).lastrowid
            return list(range(int(last) - len(rows) + 1, int(last) + 1))
        statement = gateway_submissions.insert().returning(
            gateway_submissions.c.id, sort_by_parameter_order=True
        )
        return [int(i) for i in self.session.execute(statement, list(rows)).scalars()]

    def taken_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of these tracking codes some submission holds already."""
        found = self.session.execute(
            select(gateway_submissions.c.tracking_code).where(
                gateway_submissions.c.tracking_code.in_(list(codes))
            )
        )
        return set(found.scalars())

    def codes_of_inbound(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], tuple[str, str]]:
        """(tracking code, status) of the messages among ``keys`` (channel id, message id)
        stored before, by key."""
        if not keys:
            return {}
        inbound = gateway_inbound_messages.c
        rows = self.session.execute(
            select(
                inbound.channel_id,
                inbound.message_id,
                gateway_submissions.c.tracking_code,
                gateway_submissions.c.status,
            )
            .join(gateway_submissions, inbound.submission_id == gateway_submissions.c.id)
            .where(tuple_(inbound.channel_id, inbound.message_id).in_(list(keys)))
        )
        return {(r.channel_id, r.message_id): (r.tracking_code, r.status) for r in rows}

    def remember_inbound_many(
        self, messages: Sequence[tuple[int, str, int]], now: datetime
    ) -> None:
        """Store (channel id, message id, submission id) of new messages; raises
        :class:`ConflictError` when another delivery stored one of them first."""
        if not messages:
            return
        rows = [
            {"channel_id": c, "message_id": m, "submission_id": s, "received_at": now}
            for c, m, s in messages
        ]
        try:
            self.session.execute(gateway_inbound_messages.insert(), rows)
        except IntegrityError as error:
            raise ConflictError("this message was received already") from error
