"""The audit trail's entries and their hash chain (pure: no storage).

Each entry's hash is ``sha256(previous hash + canonical JSON of the entry)``; the first entry
links to :data:`GENESIS`. Changing, removing or reordering any entry breaks every link after
it. Entries carry ids, field *names* and purposes, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "GENESIS",
    "AuditEntry",
    "VerifyResult",
    "check_detail",
    "entry_hash",
    "format_instant",
]

GENESIS = "0" * 64
MAX_DETAIL_TEXT = 200
_SCALARS = (str, int, float, bool, type(None))


def format_instant(moment: datetime) -> str:
    """UTC, microseconds, ``Z``: one spelling whatever the database gives back."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor_id: int | None
    actor_name: str
    organisation_id: int | None
    action: str
    entity: str
    entity_id: str
    purpose: str | None = None
    origin: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    previous_hash: str = GENESIS
    entry_hash: str = ""

    def content(self) -> dict[str, Any]:
        """What the hash covers: everything but the two hashes."""
        # spelled out: dataclasses.asdict's deep copy cost a fifth of a group commit's time;
        # detail holds scalars and lists of them (check_detail), copied here
        return {
            "id": self.id,
            "at": self.at,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "organisation_id": self.organisation_id,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "purpose": self.purpose,
            "origin": self.origin,
            "detail": {k: list(v) if isinstance(v, list) else v for k, v in self.detail.items()},
        }


def entry_hash(previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None
    head_id: int = 0
    head_hash: str = GENESIS


def check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Only short scalars and lists of them: ids, field names, counts, codes; not free text."""
    for key, value in detail.items():
        if not isinstance(key, str):
            raise ValueError("audit detail keys must be strings")
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, _SCALARS):
                raise ValueError(f"audit detail {key!r} must hold scalars or a list of scalars")
            if isinstance(item, str) and len(item) > MAX_DETAIL_TEXT:
                raise ValueError(f"audit detail {key!r} is too long for an id or a field name")
    return dict(detail)
