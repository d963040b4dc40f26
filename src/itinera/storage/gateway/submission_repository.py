"""Reading and writing gateway submissions; what identifies a person is encrypted here.

Each encrypted value is bound to its column and its submission's tracking code
(``gateway_submissions.text:7K3M…``), so a token copied to another field or row does not decrypt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itinera.domain.gateway import (
    Answer,
    ComplaintCategory,
    Intake,
    NewSubmission,
    Priority,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.gateway.submission_batch import (
    SubmissionBatch,
    sealed_row,
    submission_context,
)
from itinera.storage.gateway.tables import (
    gateway_answers,
    gateway_channels,
    gateway_inbound_messages,
    gateway_submissions,
)

__all__ = ["SubmissionRepository", "register_submission_columns", "sealed_row"]

_ENCRYPTED = ("text", "contact", "sender")


def register_submission_columns() -> None:
    """Declare the encrypted submission columns to key rotation (safe to call twice)."""
    for field in _ENCRYPTED:
        register_encrypted_column(
            "gateway_submissions",
            f"{field}_enc",
            _rowsubmission_context(field),
            key_columns=("id", "tracking_code"),
        )


def _rowsubmission_context(field: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda row: submission_context(field, row["tracking_code"])


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every one stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _answer(row: Any) -> Answer:
    return Answer(
        row.id,
        row.body,
        row.language,
        row.public,
        row.author,
        _aware(row.created_at),
        row.delivery,
    )


class SubmissionRepository:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        """``cipher`` may be left out for reads that open no encrypted field."""
        self.session = session
        self._cipher = cipher

    @property
    def cipher(self) -> Cipher:
        if self._cipher is None:
            raise TypeError("this repository was built without a cipher")
        return self._cipher

    def _open(self, field: str, code: str, token: str | None) -> str | None:
        if token is None:
            return None
        return self.cipher.decrypt(token, context=submission_context(field, code))

    # --- writing ---

    def insert(
        self,
        code: str,
        new: NewSubmission,
        *,
        intake: Intake,
        now: datetime,
        flags: Sequence[str] = (),
        channel_id: int | None = None,
        sender: str | None = None,
    ) -> int:
        row = sealed_row(
            self.cipher,
            code,
            new,
            intake=intake,
            now=now,
            flags=flags,
            channel_id=channel_id,
            sender=sender,
        )
        return SubmissionBatch(self.session).insert_many([row])[0]

    def remember_inbound(
        self, channel_id: int, message_id: str, submission_id: int, now: datetime
    ) -> None:
        """Raises :class:`ConflictError` when another delivery stored this message first."""
        SubmissionBatch(self.session).remember_inbound_many(
            [(channel_id, message_id, submission_id)], now
        )

    def add_answer(
        self,
        submission_id: int,
        body: str,
        language: str,
        *,
        public: bool,
        author: str,
        now: datetime,
        delivery: str | None = None,
    ) -> int:
        result = self.session.execute(
            gateway_answers.insert().values(
                submission_id=submission_id,
                body=body,
                language=language,
                public=public,
                author=author[:64],
                delivery=delivery,
                created_at=now,
            )
        )
        return int(result.inserted_primary_key[0])

    def set_delivery(self, answer_id: int, delivery: str) -> None:
        self.session.execute(
            update(gateway_answers)
            .where(gateway_answers.c.id == answer_id)
            .values(delivery=delivery)
        )

    def last_message_at(self, submission_id: int) -> datetime | None:
        """When the person last wrote through a channel (the start of a reply window)."""
        found = self.session.execute(
            select(func.max(gateway_inbound_messages.c.received_at)).where(
                gateway_inbound_messages.c.submission_id == submission_id
            )
        ).scalar()
        return None if found is None else _aware(found)

    def set_status(self, submission_id: int, status: SubmissionStatus, now: datetime) -> None:
        self.session.execute(
            update(gateway_submissions)
            .where(gateway_submissions.c.id == submission_id)
            .values(status=status.value, updated_at=now)
        )

    # --- reading ---

    def code_of_inbound(self, channel_id: int, message_id: str) -> tuple[str, str] | None:
        """(tracking code, status) of the submission a channel's message created, if any."""
        row = self.session.execute(
            select(gateway_submissions.c.tracking_code, gateway_submissions.c.status)
            .join(
                gateway_inbound_messages,
                gateway_inbound_messages.c.submission_id == gateway_submissions.c.id,
            )
            .where(
                gateway_inbound_messages.c.channel_id == channel_id,
                gateway_inbound_messages.c.message_id == message_id,
            )
        ).first()
        return None if row is None else (row.tracking_code, row.status)

    def status_of(self, code: str) -> tuple[int, SubmissionStatus] | None:
        row = self.session.execute(
            select(gateway_submissions.c.id, gateway_submissions.c.status).where(
                gateway_submissions.c.tracking_code == code
            )
        ).first()
        return None if row is None else (row.id, SubmissionStatus(row.status))

    def answers(self, submission_id: int, *, public_only: bool) -> tuple[Answer, ...]:
        query = select(gateway_answers).where(gateway_answers.c.submission_id == submission_id)
        if public_only:
            query = query.where(gateway_answers.c.public.is_(True))
        rows = self.session.execute(query.order_by(gateway_answers.c.id))
        return tuple(_answer(row) for row in rows)

    def get(self, code: str) -> Submission | None:
        """One submission with every answer and its identifying fields opened."""
        query = (
            select(gateway_submissions, gateway_channels.c.name.label("channel_name"))
            .outerjoin(gateway_channels, gateway_channels.c.id == gateway_submissions.c.channel_id)
            .where(gateway_submissions.c.tracking_code == code)
        )
        row = self.session.execute(query).first()
        return None if row is None else self._submission(row, with_answers=True)

    def queue(
        self,
        statuses: Sequence[SubmissionStatus],
        *,
        restricted: bool,
        limit: int = 500,
        passed_to: int | None = None,
    ) -> list[Submission]:
        """Submissions in the given statuses, oldest first (the order they are answered in),
        from the general queue or the restricted one, never both; ``passed_to`` keeps those
        passed to that organisation."""
        query = (
            select(gateway_submissions, gateway_channels.c.name.label("channel_name"))
            .outerjoin(gateway_channels, gateway_channels.c.id == gateway_submissions.c.channel_id)
            .where(gateway_submissions.c.status.in_([s.value for s in statuses]))
            .where(gateway_submissions.c.restricted.is_(restricted))
            .order_by(gateway_submissions.c.created_at, gateway_submissions.c.id)
            .limit(limit)
        )
        if passed_to is not None:
            query = query.where(gateway_submissions.c.passed_to_organisation_id == passed_to)
        rows = self.session.execute(query)
        return [self._submission(row, with_answers=False) for row in rows]

    def _submission(self, row: Any, *, with_answers: bool) -> Submission:
        code = row.tracking_code
        text = self._open("text", code, row.text_enc)
        return Submission(
            id=row.id,
            tracking_code=code,
            kind=SubmissionKind(row.kind),
            status=SubmissionStatus(row.status),
            language=row.language,
            intake=Intake(row.intake),
            channel=row.channel_name,
            text=text or "",
            contact=self._open("contact", code, row.contact_enc),
            sender=self._open("sender", code, row.sender_enc),
            flags=tuple(row.flags),
            created_at=_aware(row.created_at),
            updated_at=_aware(row.updated_at),
            answers=self.answers(row.id, public_only=False) if with_answers else (),
            category=ComplaintCategory(row.category) if row.category else None,
            restricted=bool(row.restricted),
            topic=row.topic,
            priority=Priority(row.priority),
            assigned_to=row.assigned_to,
            merged_into=row.merged_into,
            passed_to_organisation_id=row.passed_to_organisation_id,
        )

    def triage(
        self,
        submission_id: int,
        now: datetime,
        *,
        topic: str | None,
        priority: Priority,
        assigned_to: str | None,
    ) -> None:
        self.session.execute(
            update(gateway_submissions)
            .where(gateway_submissions.c.id == submission_id)
            .values(topic=topic, priority=priority.value, assigned_to=assigned_to, updated_at=now)
        )

    def merge(self, duplicate_id: int, into_id: int, now: datetime) -> None:
        """Close the duplicate and point it at the submission it repeats (answers stay)."""
        self.session.execute(
            update(gateway_submissions)
            .where(gateway_submissions.c.id == duplicate_id)
            .values(merged_into=into_id, status=SubmissionStatus.CLOSED.value, updated_at=now)
        )
        self.session.execute(
            update(gateway_inbound_messages)
            .where(gateway_inbound_messages.c.submission_id == duplicate_id)
            .values(submission_id=into_id)
        )

    def merged_target(self, submission_id: int) -> int | None:
        return self.session.execute(
            select(gateway_submissions.c.merged_into).where(
                gateway_submissions.c.id == submission_id
            )
        ).scalar()

    def code_of(self, submission_id: int) -> str | None:
        return self.session.execute(
            select(gateway_submissions.c.tracking_code).where(
                gateway_submissions.c.id == submission_id
            )
        ).scalar()

    def add_flag(self, submission_id: int, flag: str, now: datetime) -> None:
        flags = self.session.execute(
            select(gateway_submissions.c.flags).where(gateway_submissions.c.id == submission_id)
        ).scalar()
        if flags is not None and flag not in flags:
            self.session.execute(
                update(gateway_submissions)
                .where(gateway_submissions.c.id == submission_id)
                .values(flags=[*flags, flag], updated_at=now)
            )

    def set_restricted(self, submission_id: int, now: datetime) -> None:
        self.session.execute(
            update(gateway_submissions)
            .where(gateway_submissions.c.id == submission_id)
            .values(restricted=True, updated_at=now)
        )

    def pass_to(self, submission_id: int, organisation_id: int, now: datetime) -> None:
        self.session.execute(
            update(gateway_submissions)
            .where(gateway_submissions.c.id == submission_id)
            .values(passed_to_organisation_id=organisation_id, updated_at=now)
        )

    def is_restricted(self, submission_id: int) -> bool:
        return bool(
            self.session.execute(
                select(gateway_submissions.c.restricted).where(
                    gateway_submissions.c.id == submission_id
                )
            ).scalar()
        )

    def counts(self, *, restricted: bool) -> list[tuple[str, str, str, int]]:
        """(month YYYY-MM, kind, language, count) of one queue, for aggregate views."""
        rows = self.session.execute(
            select(
                gateway_submissions.c.created_at,
                gateway_submissions.c.kind,
                gateway_submissions.c.language,
            ).where(gateway_submissions.c.restricted.is_(restricted))
        )
        totals: dict[tuple[str, str, str], int] = {}
        for row in rows:
            key = (f"{row.created_at:%Y-%m}", row.kind, row.language)
            totals[key] = totals.get(key, 0) + 1
        return [(*key, n) for key, n in sorted(totals.items())]
