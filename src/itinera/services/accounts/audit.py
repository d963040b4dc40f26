"""The audit trail (C8): record, verify, list and export.

``record`` appends in the caller's transaction, so an entry exists exactly when the change it
describes was committed. Reads of personal data are recorded too. Entries hold ids, field
names and purposes only: never names, dates of birth or free text about a person.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TextIO

from itinera.domain.access import Action, Actor, require
from itinera.domain.audit import (
    GENESIS,
    AuditEntry,
    VerifyResult,
    check_detail,
    entry_hash,
    format_instant,
)
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.storage.accounts.audit_repository import AuditFilter, AuditRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = [
    "AuditFilter",
    "AuditNote",
    "VerifyResult",
    "export_entries",
    "list_entries",
    "record",
    "record_many",
    "verify",
]

CSV_COLUMNS = [
    "id",
    "at",
    "actor_id",
    "actor_name",
    "organisation_id",
    "action",
    "entity",
    "entity_id",
    "purpose",
    "origin",
    "detail",
    "previous_hash",
    "entry_hash",
]


@dataclass(frozen=True)
class AuditNote:
    """One entry to append with :func:`record_many` (the actor and instant are shared)."""

    action: str
    entity: str
    entity_id: str
    purpose: str | None = None
    origin: str | None = None
    detail: dict[str, Any] | None = None


def record(
    session: UnitOfWork,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: str,
    purpose: str | None = None,
    origin: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the chain, in the caller's transaction."""
    record_many(session, actor, [AuditNote(action, entity, entity_id, purpose, origin, detail)])


def record_many(session: UnitOfWork, actor: Actor, notes: Sequence[AuditNote]) -> None:
    """Append entries in one pass, in the caller's transaction: the head is locked once and
    the entries are chained and inserted together (the intake's group commit, decision 0028)."""
    if not notes:
        return
    repository = AuditRepository(session)
    last_id, last_hash = repository.lock_head()
    at = format_instant(datetime.now(UTC))
    entries = []
    for offset, note in enumerate(notes, start=1):
        draft = AuditEntry(
            id=last_id + offset,
            at=at,
            actor_id=actor.user_id,
            actor_name=actor.username[:64],
            organisation_id=actor.organisation_id,
            action=note.action[:64],
            entity=note.entity[:64],
            entity_id=str(note.entity_id)[:64],
            purpose=note.purpose[:64] if note.purpose else None,
            origin=note.origin[:64] if note.origin else None,
            detail=check_detail(note.detail or {}),
            previous_hash=last_hash,
        )
        last_hash = entry_hash(last_hash, draft.content())
        entries.append(replace(draft, entry_hash=last_hash))
    repository.append_many(entries)


def verify(db: Database, actor: Actor | None = None) -> VerifyResult:
    """Recompute the chain from the first entry; name the first entry that does not fit.

    The command line calls it without an actor (the operator holds the database); the API
    passes the caller, who must be allowed to view the audit trail.
    """
    if actor is not None:
        require(actor, Action.VIEW_AUDIT)
    with db.transaction() as session:
        repository = AuditRepository(session)
        previous, expected_id, checked = GENESIS, 1, 0
        for entry in repository.iterate():
            problem = _problem(entry, expected_id, previous)
            if problem:
                return VerifyResult(False, checked, problem[0], problem[1])
            previous, expected_id, checked = entry.entry_hash, entry.id + 1, checked + 1
        head_id, head_hash = repository.head()
    if head_id != expected_id - 1 or head_hash != previous:
        return VerifyResult(
            False,
            checked,
            expected_id,
            f"the chain head names entry {head_id} but the log ends at entry {expected_id - 1}: "
            "entries were removed from the end",
            head_id,
            head_hash,
        )
    return VerifyResult(True, checked, None, None, head_id, head_hash)


def _problem(entry: AuditEntry, expected_id: int, previous: str) -> tuple[int, str] | None:
    if entry.id != expected_id:
        return expected_id, f"entry {expected_id} is missing (next found: {entry.id})"
    if entry.previous_hash != previous:
        return entry.id, "its link to the entry before does not match (removed or reordered)"
    if entry_hash(previous, entry.content()) != entry.entry_hash:
        return entry.id, "its content was changed after it was written"
    return None


def list_entries(
    db: Database, actor: Actor, filters: AuditFilter | None = None
) -> list[AuditEntry]:
    """Newest first; administrators only, each seeing the entries of their own organisation's
    people (the operator at the command line sees all)."""
    require(actor, Action.VIEW_AUDIT)
    return _find(db, _scoped(actor, filters or AuditFilter()))


def export_entries(
    db: Database,
    actor: Actor,
    out: TextIO,
    filters: AuditFilter | None = None,
    *,
    origin: str | None = None,
) -> int:
    """Write matching entries as CSV (oldest first); the export is itself recorded."""
    require(actor, Action.EXPORT_AUDIT)
    entries = sorted(_find(db, _scoped(actor, filters or AuditFilter())), key=lambda e: e.id)
    writer = SafeCsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = {
            **entry.content(),
            "previous_hash": entry.previous_hash,
            "entry_hash": entry.entry_hash,
        }
        row["detail"] = _json(entry.detail)
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    with db.transaction() as session:
        record(
            session,
            actor,
            action="audit.export",
            entity="audit_log",
            entity_id="*",
            purpose="oversight",
            origin=origin,
            detail={"entries": len(entries)},
        )
    return len(entries)


def _scoped(actor: Actor, filters: AuditFilter) -> AuditFilter:
    """Separation of duties (issue 10, item 5): a web administrator reads their own
    organisation's part of the trail."""
    if actor.organisation_id is None and actor.user_id is None:
        return filters
    return replace(filters, organisation_id=actor.organisation_id)


def _find(db: Database, filters: AuditFilter) -> list[AuditEntry]:
    with db.transaction() as session:
        return AuditRepository(session).find(filters)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _cell(value: Any) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
