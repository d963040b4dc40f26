"""Reading and writing tracing requests and the persons sought, identifying fields encrypted.

Each value is encrypted with a context naming its column and its row
(``tracing_persons.given_name:17``), like case fields, so a token moved elsewhere does not
decrypt. :func:`register_tracing_columns` declares the columns to key rotation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from itinera.domain.case import Sex
from itinera.domain.tracing import (
    Inquirer,
    NewTracingRequest,
    Outcome,
    RequestStatus,
    SeparationReason,
    SoughtPerson,
    TracingRequest,
)
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.tracing.tables import tracing_persons, tracing_requests

__all__ = ["Cipher", "TracingRequestRepository", "outcome_counts", "register_tracing_columns"]

INQUIRER_FIELDS = ("given_name", "family_name", "contact")
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "name_parts",
    "father_name",
    "mother_name",
    "other_spellings",
    "birth_year",
    "date_of_birth",
    "last_seen_place",
    "profession",
    "distinguishing_info",
)
CLEAR_PERSON_FIELDS = ("last_seen_date", "last_contact_date", "route_id")
_LISTS = frozenset({"name_parts", "other_spellings"})


class Cipher(Protocol):
    def encrypt(self, plaintext: str, *, context: str) -> str: ...

    def decrypt(self, token: str, *, context: str) -> str: ...


def _row_context(table: str, field: str) -> Any:
    return lambda row: f"{table}.{field}:{row['id']}"


def register_tracing_columns() -> None:
    """Declare every encrypted column of tracing to key rotation (safe to call twice)."""
    for field in INQUIRER_FIELDS:
        register_encrypted_column(
            "tracing_requests", f"inquirer_{field}_enc", _row_context("tracing_requests", field)
        )
    for field in PERSON_FIELDS:
        register_encrypted_column(
            "tracing_persons", f"{field}_enc", _row_context("tracing_persons", field)
        )
    register_encrypted_column(
        "tracing_reviews", "reason_enc", _row_context("tracing_reviews", "reason")
    )
    register_encrypted_column(
        "tracing_exchange_records", "note_enc", _row_context("tracing_exchange_records", "note")
    )
    register_encrypted_column(
        "tracing_reunification_steps",
        "note_enc",
        _row_context("tracing_reunification_steps", "note"),
    )
    register_encrypted_column(
        "tracing_learned_spellings",
        "spelling_enc",
        _row_context("tracing_learned_spellings", "spelling"),
    )


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    return value.isoformat() if isinstance(value, date) else str(value)


def _value(field: str, text: str) -> Any:
    if field in _LISTS:
        return tuple(json.loads(text))
    if field == "birth_year":
        return int(text)
    return date.fromisoformat(text) if field == "date_of_birth" else text


def outcome_counts(session: Session) -> dict[tuple[str | None, Outcome], int]:
    """Closed requests by route × outcome, across organisations: a request counts once per
    distinct route of its persons sought (None: no route known)."""
    per_request = (
        select(
            tracing_requests.c.id,
            tracing_requests.c.outcome,
            tracing_persons.c.route_id,
        )
        .join(tracing_persons, tracing_persons.c.request_id == tracing_requests.c.id)
        .where(
            tracing_requests.c.status == RequestStatus.CLOSED.value,
            tracing_requests.c.outcome.is_not(None),
        )
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(per_request.c.route_id, per_request.c.outcome, func.count()).group_by(
            per_request.c.route_id, per_request.c.outcome
        )
    )
    return {(route, Outcome(outcome)): int(n) for route, outcome, n in rows}


class TracingRequestRepository:
    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    def _seal(self, table: str, field: str, row_id: object, value: Any) -> str | None:
        if value is None or value == ():
            return None
        return self.cipher.encrypt(_text(value), context=f"{table}.{field}:{row_id}")

    def _open(self, table: str, field: str, row_id: object, token: str | None) -> Any:
        if token is None:
            return () if field in _LISTS else None
        return _value(field, self.cipher.decrypt(token, context=f"{table}.{field}:{row_id}"))

    def _inquirer(self, request_id: str, inquirer: Inquirer) -> dict[str, str | None]:
        return {
            f"inquirer_{f}_enc": self._seal("tracing_requests", f, request_id, v)
            for f, v in (
                ("given_name", inquirer.given_name),
                ("family_name", inquirer.family_name),
                ("contact", inquirer.contact),
            )
        }

    def insert(
        self,
        request_id: str,
        organisation_id: int,
        data: NewTracingRequest,
        *,
        created_by: str,
        now: datetime,
    ) -> None:
        self.session.execute(
            tracing_requests.insert().values(
                id=request_id,
                organisation_id=organisation_id,
                inquirer_language=data.inquirer.language,
                relationship=data.relationship,
                purposes=list(data.purposes),
                status=RequestStatus.OPEN.value,
                medical_urgency=data.medical_urgency,
                created_by=created_by,
                created_at=now,
                updated_at=now,
                **self._inquirer(request_id, data.inquirer),
            )
        )
        self.add_persons(request_id, data.sought, now)

    def add_persons(self, request_id: str, sought: tuple[SoughtPerson, ...], now: datetime) -> None:
        for person in sought:
            result = self.session.execute(
                tracing_persons.insert().values(
                    request_id=request_id,
                    sex=person.sex.value,
                    nationality=person.nationality,
                    child=person.is_child(now.date()),
                    languages=list(person.languages) or None,
                    separation_reason=person.separation_reason.value
                    if person.separation_reason
                    else None,
                    **{f: getattr(person, f) for f in CLEAR_PERSON_FIELDS},
                )
            )
            person_id = int(result.inserted_primary_key[0])
            self.session.execute(
                update(tracing_persons)
                .where(tracing_persons.c.id == person_id)
                .values(
                    **{
                        f"{f}_enc": self._seal("tracing_persons", f, person_id, getattr(person, f))
                        for f in PERSON_FIELDS
                    }
                )
            )

    def from_gateway(self, tracking_code: str) -> str | None:
        """The inquiry opened from this gateway submission, if any."""
        found = self.session.execute(
            select(tracing_requests.c.id).where(
                tracing_requests.c.gateway_submission == tracking_code
            )
        ).scalar()
        return None if found is None else str(found)

    def mark_from_gateway(self, request_id: str, tracking_code: str) -> None:
        """An inquiry opened from a gateway submission: awaiting intake by the tracing team."""
        self.session.execute(
            update(tracing_requests)
            .where(tracing_requests.c.id == request_id)
            .values(gateway_submission=tracking_code, status=RequestStatus.AWAITING_INTAKE.value)
        )

    def complete_intake(self, request_id: str, data: NewTracingRequest, now: datetime) -> None:
        """A request awaiting intake gets its inquirer, consent and persons sought: open."""
        self.session.execute(
            update(tracing_requests)
            .where(tracing_requests.c.id == request_id)
            .values(
                inquirer_language=data.inquirer.language,
                relationship=data.relationship,
                purposes=list(data.purposes),
                status=RequestStatus.OPEN.value,
                medical_urgency=data.medical_urgency,
                updated_at=now,
                **self._inquirer(request_id, data.inquirer),
            )
        )
        self.add_persons(request_id, data.sought, now)

    def get(self, request_id: str, *, decrypt: bool) -> TracingRequest | None:
        row = (
            self.session.execute(
                select(tracing_requests).where(tracing_requests.c.id == request_id)
            )
            .mappings()
            .first()
        )
        return None if row is None else self._request(row, decrypt)

    def all(
        self,
        *,
        decrypt: bool,
        organisation_id: int | None = None,
        status: RequestStatus | None = None,
    ) -> list[TracingRequest]:
        query = select(tracing_requests).order_by(tracing_requests.c.created_at)
        if organisation_id is not None:
            query = query.where(tracing_requests.c.organisation_id == organisation_id)
        if status is not None:
            query = query.where(tracing_requests.c.status == status.value)
        rows = self.session.execute(query).mappings().all()
        return [self._request(row, decrypt) for row in rows]

    def persons(self, *, decrypt: bool) -> Iterator[tuple[str, int, SoughtPerson]]:
        """Every person sought, with the request and its organisation (for a linkage run)."""
        rows = self.session.execute(
            select(tracing_persons, tracing_requests.c.organisation_id)
            .join(tracing_requests, tracing_requests.c.id == tracing_persons.c.request_id)
            .where(tracing_requests.c.status != RequestStatus.CLOSED.value)
            .order_by(tracing_persons.c.id)
        ).mappings()
        for row in rows:
            yield row["request_id"], row["organisation_id"], self._person(row, decrypt)

    def person(self, person_id: int) -> tuple[str, int, SoughtPerson] | None:
        """One person sought, decrypted, with the request and its organisation."""
        row = (
            self.session.execute(
                select(tracing_persons, tracing_requests.c.organisation_id)
                .join(tracing_requests, tracing_requests.c.id == tracing_persons.c.request_id)
                .where(tracing_persons.c.id == person_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return row["request_id"], row["organisation_id"], self._person(row, True)

    def set_status(
        self, request_id: str, status: RequestStatus, now: datetime, outcome: Outcome | None = None
    ) -> None:
        values: dict[str, Any] = {"status": status.value, "updated_at": now}
        if outcome is not None:
            values["outcome"] = outcome.value
        self.session.execute(
            update(tracing_requests).where(tracing_requests.c.id == request_id).values(**values)
        )

    def _person(self, row: Any, decrypt: bool) -> SoughtPerson:
        fields: dict[str, Any] = {}
        if decrypt:
            fields = {
                f: self._open("tracing_persons", f, row["id"], row[f"{f}_enc"])
                for f in PERSON_FIELDS
            }
        else:
            fields = {"given_name": "", "family_name": ""}
        reason = row["separation_reason"]
        return SoughtPerson(
            id=row["id"],
            sex=Sex(row["sex"]),
            nationality=row["nationality"] or "",
            languages=tuple(row["languages"] or ()),
            separation_reason=None if reason is None else SeparationReason(reason),
            **{f: row[f] for f in CLEAR_PERSON_FIELDS},
            **fields,
        )

    def _request(self, row: Any, decrypt: bool) -> TracingRequest:
        person_rows = self.session.execute(
            select(tracing_persons)
            .where(tracing_persons.c.request_id == row["id"])
            .order_by(tracing_persons.c.id)
        ).mappings()
        inquirer = None
        if decrypt:
            opened = {
                f: self._open("tracing_requests", f, row["id"], row[f"inquirer_{f}_enc"])
                for f in INQUIRER_FIELDS
            }
            inquirer = Inquirer(language=row["inquirer_language"], **opened)
        return TracingRequest(
            id=row["id"],
            organisation_id=row["organisation_id"],
            inquirer=inquirer,
            sought=tuple(self._person(p, decrypt) for p in person_rows),
            relationship=row["relationship"],
            purposes=tuple(row["purposes"]),
            status=RequestStatus(row["status"]),
            outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
            created_by=row["created_by"],
            created_at=row["created_at"],
            gateway_submission=row["gateway_submission"],
            medical_urgency=bool(row["medical_urgency"]),
        )
