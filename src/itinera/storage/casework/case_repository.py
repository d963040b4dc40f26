"""Reading and writing case records: identifying fields are encrypted here, field by field.

Each value is encrypted with a context naming its column and its case (``cases.given_name:C-…``),
so a token copied to another field or another case does not decrypt. The columns are registered
for ``itinera keys rotate``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from itinera.domain.case import IDENTIFYING_FIELDS
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.casework.tables import case_screenings, cases

__all__ = ["CaseRepository", "Cipher", "register_case_columns"]


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


register_case_columns()

_CLEAR = ("sex", "age_group", "nationality", "arrival_place", "arrival_date", "route_id")


class CaseRepository:
    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    # --- encryption of one case's identifying fields ---

    def _seal(self, case_id: str, field: str, value: Any) -> str | None:
        if value is None:
            return None
        text = json.dumps(value) if field == "document_numbers" else str(value)
        return self.cipher.encrypt(text, context=f"cases.{field}:{case_id}")

    def _open(self, case_id: str, field: str, token: str | None) -> Any:
        if token is None:
            return None
        text = self.cipher.decrypt(token, context=f"cases.{field}:{case_id}")
        return json.loads(text) if field == "document_numbers" else text

    def _encrypted_values(self, case_id: str, values: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, value in values.items():
            if name in IDENTIFYING_FIELDS:
                row[f"{name}_enc"] = self._seal(case_id, name, value)
            else:
                row[name] = value
        return row

    # --- cases ---

    def insert(
        self, case_id: str, organisation_id: int, values: dict[str, Any], **meta: Any
    ) -> None:
        row = self._encrypted_values(case_id, values)
        self.session.execute(
            cases.insert().values(
                id=case_id, organisation_id=organisation_id, version=1, **row, **meta
            )
        )

    def get(
        self, case_id: str, organisation_id: int | None, *, decrypt: frozenset[str] | None = None
    ) -> dict[str, Any] | None:
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
        return None if row is None else self._plain(row, decrypt)

    def get_any(self, case_id: str, *, decrypt: frozenset[str]) -> dict[str, Any] | None:
        """A case regardless of organisation: for a referral receiver's need-to-know view."""
        row = self.session.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        return None if row is None else self._plain(row, decrypt)

    def _plain(self, row: Any, decrypt: frozenset[str] | None) -> dict[str, Any]:
        wanted = IDENTIFYING_FIELDS if decrypt is None else decrypt
        case: dict[str, Any] = {
            "id": row["id"],
            "organisation_id": row["organisation_id"],
            "version": row["version"],
            "flags": list(row["flags"]),
            "consent": row["consent"],
            "created_by": row["created_by"],
            "created_at": row["created_at"],
            "erased_at": row["erased_at"],
        }
        case.update({name: row[name] for name in _CLEAR})
        for name in IDENTIFYING_FIELDS:
            if name in wanted:
                case[name] = self._open(row["id"], name, row[f"{name}_enc"])
        return case

    def update(self, case_id: str, version: int, values: dict[str, Any], now: datetime) -> bool:
        """Compare-and-set on ``version``: False when someone else changed the case first."""
        row = self._encrypted_values(case_id, values)
        result = self.session.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.version == version)
            .values(**row, version=cases.c.version + 1, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def current_version(self, case_id: str) -> int | None:
        return self.session.execute(
            select(cases.c.version).where(cases.c.id == case_id)
        ).scalar_one_or_none()

    # --- screenings ---

    def add_screening(self, case_id: str, answers: dict[str, Any], **values: Any) -> int:
        token = self.cipher.encrypt(
            json.dumps(answers, sort_keys=True), context=f"case_screenings.answers:{case_id}"
        )
        result = self.session.execute(
            case_screenings.insert().values(case_id=case_id, answers_enc=token, **values)
        )
        return int(result.inserted_primary_key[0])

    def screenings(self, case_id: str) -> list[dict[str, Any]]:
        rows = (
            self.session.execute(
                select(case_screenings)
                .where(case_screenings.c.case_id == case_id)
                .order_by(case_screenings.c.id)
            )
            .mappings()
            .all()
        )
        result = []
        for row in rows:
            item = dict(row)
            token = item.pop("answers_enc")
            item["answers"] = (
                None
                if token is None
                else json.loads(
                    self.cipher.decrypt(token, context=f"case_screenings.answers:{case_id}")
                )
            )
            result.append(item)
        return result
