"""Reading and writing case records: identifying fields are encrypted here, field by field.

Each value is encrypted with a context naming its column and its case (``cases.given_name:C-…``),
so a token copied to another field or another case does not decrypt. The columns are declared
to ``itinera keys rotate`` by :func:`register_case_columns` (called by ``bootstrap``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from itinera.domain.case import IDENTIFYING_FIELDS, ConsentRecord
from itinera.domain.case_record import CaseRecord, CaseScreening
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.casework.tables import case_screenings, cases

__all__ = ["CaseRepository", "Cipher", "register_case_columns"]

_CLEAR = ("sex", "age_group", "nationality", "arrival_place", "arrival_date", "route_id")


class Cipher(Protocol):
    def encrypt(self, plaintext: str, *, context: str) -> str: ...

    def decrypt(self, token: str, *, context: str) -> str: ...


def _context(field: str) -> Any:
    return lambda row: f"cases.{field}:{row['id']}"


def register_case_columns() -> None:
    """Declare every encrypted column of casework to key rotation (safe to call twice)."""
    for field in IDENTIFYING_FIELDS:
        register_encrypted_column("cases", f"{field}_enc", _context(field))
    register_encrypted_column(
        "case_screenings",
        "answers_enc",
        lambda row: f"case_screenings.answers:{row['case_id']}",
        key_columns=("id", "case_id"),
    )
    register_encrypted_column(
        "referrals", "reason_enc", lambda row: f"referrals.reason:{row['id']}"
    )
    register_encrypted_column(
        "referral_events",
        "reason_enc",
        lambda row: f"referral_events.reason:{row['referral_id']}",
        key_columns=("id", "referral_id"),
    )


class CaseRepository:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        """``cipher`` may be left out for erasure, which only blanks encrypted values."""
        self.session = session
        self._cipher = cipher

    @property
    def cipher(self) -> Cipher:
        if self._cipher is None:
            raise TypeError("this repository was built without a cipher")
        return self._cipher

    # --- encryption of one case's identifying fields ---

    def _seal(self, case_id: str, field: str, value: Any) -> str | None:
        if value is None:
            return None
        if field == "document_numbers":
            text = json.dumps(list(value))
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = str(value)
        return self.cipher.encrypt(text, context=f"cases.{field}:{case_id}")

    def _open(self, case_id: str, field: str, token: str | None) -> Any:
        if token is None:
            return None
        text = self.cipher.decrypt(token, context=f"cases.{field}:{case_id}")
        if field == "document_numbers":
            return tuple(json.loads(text))
        return date.fromisoformat(text) if field == "date_of_birth" else text

    def _columns(self, case_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, value in values.items():
            if name in IDENTIFYING_FIELDS:
                row[f"{name}_enc"] = self._seal(case_id, name, value)
            elif name == "consent":
                assert isinstance(value, ConsentRecord)
                row[name] = value.to_data()
            elif name == "flags":
                row[name] = list(value)
            else:
                row[name] = value
        return row

    # --- cases ---

    def insert(self, case: CaseRecord, *, updated_at: datetime) -> None:
        self.session.execute(cases.insert().values(**self._row(case, updated_at)))

    def insert_many(self, records: Sequence[CaseRecord], *, updated_at: datetime) -> None:
        """Insert cases in one executemany (each sealed field by field, as :meth:`insert`)."""
        if records:
            self.session.execute(cases.insert(), [self._row(c, updated_at) for c in records])

    def _row(self, case: CaseRecord, updated_at: datetime) -> dict[str, Any]:
        values = {name: getattr(case, name) for name in (*_CLEAR, *IDENTIFYING_FIELDS)}
        values.update(flags=case.flags, consent=case.consent)
        return {
            "id": case.id,
            "organisation_id": case.organisation_id,
            "version": case.version,
            "created_by": case.created_by,
            "created_at": case.created_at,
            "updated_at": updated_at,
            **self._columns(case.id, values),
        }

    def get(
        self, case_id: str, organisation_id: int | None, *, decrypt: frozenset[str] | None = None
    ) -> CaseRecord | None:
        """The case of that organisation (None otherwise); decrypts only the fields asked."""
        row = (
            self.session.execute(
                select(cases).where(
                    cases.c.id == case_id, cases.c.organisation_id == organisation_id
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else self._record(row, decrypt)

    def get_any(self, case_id: str, *, decrypt: frozenset[str]) -> CaseRecord | None:
        """A case regardless of organisation: for a referral receiver's need-to-know view."""
        row = self.session.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        return None if row is None else self._record(row, decrypt)

    def of_organisation(self, organisation_id: int) -> list[CaseRecord]:
        """Every case of the organisation, oldest first, without decrypting anything."""
        rows = self.session.execute(
            select(cases)
            .where(cases.c.organisation_id == organisation_id)
            .order_by(cases.c.created_at)
        ).mappings()
        return [self._record(row, frozenset()) for row in rows]

    def _record(self, row: Any, decrypt: frozenset[str] | None) -> CaseRecord:
        wanted = frozenset(IDENTIFYING_FIELDS) if decrypt is None else decrypt
        identifying = {
            name: self._open(row["id"], name, row[f"{name}_enc"])
            for name in IDENTIFYING_FIELDS
            if name in wanted
        }
        return CaseRecord(
            id=row["id"],
            organisation_id=row["organisation_id"],
            version=row["version"],
            flags=tuple(row["flags"]),
            consent=ConsentRecord.from_data(row["consent"]),
            created_by=row["created_by"],
            created_at=row["created_at"],
            erased_at=row["erased_at"],
            **{name: row[name] for name in _CLEAR},
            **identifying,
            decrypted=wanted & frozenset(IDENTIFYING_FIELDS),
        )

    def update(self, case_id: str, version: int, values: Mapping[str, Any], now: datetime) -> bool:
        """Compare-and-set on ``version``: False when someone else changed the case first."""
        result = self.session.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.version == version)
            .values(**self._columns(case_id, values), version=cases.c.version + 1, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_flags(self, case_id: str, flags: Sequence[str], now: datetime) -> None:
        """The flags of the latest screening, copied onto the case for filtering and counts."""
        self.session.execute(
            update(cases)
            .where(cases.c.id == case_id)
            .values(flags=list(flags), version=cases.c.version + 1, updated_at=now)
        )

    def current_version(self, case_id: str) -> int | None:
        return self.session.execute(
            select(cases.c.version).where(cases.c.id == case_id)
        ).scalar_one_or_none()

    def erase(self, case_ids: Sequence[str], now: datetime) -> None:
        """Blank the identifying fields of these cases, their free text (the arrival place, which
        may name a person's shelter or family) and their screening answers."""
        if not case_ids:
            return
        blank: dict[str, Any] = {f"{name}_enc": None for name in IDENTIFYING_FIELDS}
        blank["arrival_place"] = None
        self.session.execute(
            update(cases)
            .where(cases.c.id.in_(case_ids))
            .values(**blank, erased_at=now, updated_at=now, version=cases.c.version + 1)
        )
        self.session.execute(
            update(case_screenings)
            .where(case_screenings.c.case_id.in_(case_ids))
            .values(answers_enc=None)
        )

    # --- screenings ---

    def add_screening(self, screening: CaseScreening) -> int:
        """Store a screening (its ``id`` is ignored) and answer the id it was given."""
        answers = None if screening.answers is None else dict(screening.answers)
        token = self.cipher.encrypt(
            json.dumps(answers, sort_keys=True),
            context=f"case_screenings.answers:{screening.case_id}",
        )
        result = self.session.execute(
            case_screenings.insert().values(
                case_id=screening.case_id,
                questionnaire_version=screening.questionnaire_version,
                rules_version=screening.rules_version,
                answers_enc=token,
                flags=[dict(f) for f in screening.flags],
                recommendations=[dict(r) for r in screening.recommendations],
                screened_by=screening.screened_by,
                screened_at=screening.screened_at,
                screening_version_id=screening.screening_version_id,
            )
        )
        return int(result.inserted_primary_key[0])

    def screenings(self, case_id: str) -> list[CaseScreening]:
        rows = self.session.execute(
            select(case_screenings)
            .where(case_screenings.c.case_id == case_id)
            .order_by(case_screenings.c.id)
        ).mappings()
        context = f"case_screenings.answers:{case_id}"
        return [
            CaseScreening(
                id=row["id"],
                case_id=row["case_id"],
                questionnaire_version=row["questionnaire_version"],
                rules_version=row["rules_version"],
                flags=tuple(row["flags"]),
                recommendations=tuple(row["recommendations"]),
                screened_by=row["screened_by"],
                screened_at=row["screened_at"],
                answers=None
                if row["answers_enc"] is None
                else json.loads(self.cipher.decrypt(row["answers_enc"], context=context)),
                screening_version_id=row["screening_version_id"],
            )
            for row in rows
        ]
