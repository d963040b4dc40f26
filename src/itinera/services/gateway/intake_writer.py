"""Storing submissions a batch at a time (group commit, decision 0028).

A batch is one write transaction: the rows are encrypted before the write turn, inserted with
one statement, their channel message ids remembered with one more, and their audit entries
chained in one pass. A message delivered twice (in the batch or before it) is stored once and
both deliveries get its code. If the batch fails as a whole (a race with another process on a
message id, a tracking code drawn twice), each item is stored again on its own, so that one
item's trouble is reported to its own caller only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itinera.domain.access import ANONYMOUS
from itinera.domain.errors import ConflictError
from itinera.domain.gateway import Intake, NewSubmission, SubmissionStatus
from itinera.domain.gateway_codes import new_tracking_code
from itinera.services.accounts.audit import AuditNote, record_many
from itinera.services.gateway.group_commit import GroupCommit, Pending
from itinera.storage.gateway.submission_batch import SubmissionBatch, sealed_row
from itinera.storage.gateway.submission_repository import SubmissionRepository

if TYPE_CHECKING:
    from itinera.services.gateway.context import Gateway

__all__ = [
    "IntakeItem",
    "IntakeWriter",
    "Receipt",
    "new_intake_writer",
    "store_alone",
    "store_batch",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    tracking_code: str
    status: SubmissionStatus
    created: bool  # False when the message had been received before


@dataclass(frozen=True)
class IntakeItem:
    gw: Gateway
    new: NewSubmission
    intake: Intake
    flags: tuple[str, ...] = ()
    origin: str | None = None
    channel_id: int | None = None
    message_id: str | None = None  # a channel's message id: stored once
    sender: str | None = None

    @property
    def key(self) -> tuple[int, str] | None:
        if self.channel_id is None or self.message_id is None:
            return None
        return self.channel_id, self.message_id

    def audit_note(self, submission_id: int) -> AuditNote:
        channel = self.intake is Intake.CHANNEL
        return AuditNote(
            action="gateway.receive" if channel else "gateway.submit",
            entity="gateway_submission",
            entity_id=str(submission_id),
            origin=self.origin,
            detail={"channel": self.channel_id} if channel else None,
        )

    def row(self, code: str, now: datetime) -> dict[str, Any]:
        """Its row, encrypted (outside the write turn)."""
        return sealed_row(
            self.gw.cipher,
            code,
            self.new,
            intake=self.intake,
            now=now,
            flags=self.flags,
            channel_id=self.channel_id,
            sender=self.sender,
        )


IntakeWriter = GroupCommit[IntakeItem, Receipt]


def new_intake_writer() -> IntakeWriter:
    return GroupCommit(store_batch)


def store_batch(batch: Sequence[Pending[IntakeItem, Receipt]]) -> None:
    try:
        receipts = _store_together([p.item for p in batch])
    except Exception:
        for pending in batch:
            try:
                pending.future.set_result(store_alone(pending.item))
            except Exception as error:
                pending.future.set_exception(error)
        return
    for pending, receipt in zip(batch, receipts, strict=True):
        pending.future.set_result(receipt)


def _store_together(items: Sequence[IntakeItem]) -> list[Receipt]:
    gw = items[0].gw  # one writer per Gateway
    now = gw.now()
    # the first delivery of a message id in the batch stores it; a repeat follows it
    first: dict[tuple[int, str], int] = {}
    for index, item in enumerate(items):
        if item.key is not None:
            first.setdefault(item.key, index)
    stored = [i for i, item in enumerate(items) if item.key is None or first[item.key] == i]
    codes = _distinct_codes(len(stored))
    rows = {i: items[i].row(code, now) for i, code in zip(stored, codes, strict=True)}
    with gw.db.transaction(write=True) as session:
        repo = SubmissionBatch(session)
        seen = repo.codes_of_inbound(list(first))
        fresh = [i for i in stored if items[i].key not in seen]
        # a code another submission holds already (odds about 2^-64 each): drawn again
        while taken := repo.taken_codes([rows[i]["tracking_code"] for i in fresh]):
            for i in fresh:
                if rows[i]["tracking_code"] in taken:
                    rows[i] = items[i].row(new_tracking_code(), now)
        ids = repo.insert_many([rows[i] for i in fresh]) if fresh else []
        messages = [(items[i].key, sid) for i, sid in zip(fresh, ids, strict=True)]
        repo.remember_inbound_many([(*key, sid) for key, sid in messages if key], now)
        notes = [items[i].audit_note(sid) for i, sid in zip(fresh, ids, strict=True)]
        record_many(session, ANONYMOUS, notes)
    log.info("gateway: %d submissions stored in one transaction", len(ids))
    receipts: dict[int, Receipt] = {
        i: Receipt(str(rows[i]["tracking_code"]), SubmissionStatus.RECEIVED, created=True)
        for i in fresh
    }
    return [_receipt_of(i, item, first, seen, receipts) for i, item in enumerate(items)]


def _receipt_of(
    index: int,
    item: IntakeItem,
    first: dict[tuple[int, str], int],
    seen: dict[tuple[int, str], tuple[str, str]],
    receipts: dict[int, Receipt],
) -> Receipt:
    if index in receipts:
        return receipts[index]
    assert item.key is not None  # only a channel message is ever left out
    if item.key in seen:
        code, status = seen[item.key]
        return Receipt(code, SubmissionStatus(status), created=False)
    return Receipt(receipts[first[item.key]].tracking_code, SubmissionStatus.RECEIVED, False)


def _distinct_codes(count: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        code = new_tracking_code()
        if code not in codes:
            codes.append(code)
    return codes


def store_alone(item: IntakeItem) -> Receipt:
    """One submission in its own transaction (a batch's fallback, and a tracing handover's
    path); a message id stored meanwhile by another delivery gives that delivery's code."""
    try:
        return _store_together([item])[0]
    except ConflictError:
        with item.gw.db.transaction() as session:
            seen = SubmissionRepository(session).code_of_inbound(*item.key or (0, ""))
        if seen is None:
            raise
        return Receipt(seen[0], SubmissionStatus(seen[1]), created=False)
