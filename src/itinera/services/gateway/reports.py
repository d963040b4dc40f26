"""What leaves the queue in bulk: aggregated feedback for coordinators, and a queue export.

Both leave the restricted queue out entirely (sensitive complaints are not counted anywhere a
non-focal point could see them), and neither holds a message, a contact or a sender. Counts
below 5 are suppressed, so a rare language in a small month does not point at a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from itinera.domain.access import Action, Actor, require
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.gateway import OPEN_STATUSES, is_overdue
from itinera.domain.gateway_codes import display_code
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = ["EXPORT_COLUMNS", "FeedbackCount", "export_queue", "feedback_counts"]

EXPORT_COLUMNS = ["tracking_code", "kind", "status", "language", "channel", "created_at", "overdue"]


@dataclass(frozen=True)
class FeedbackCount:
    month: str  # YYYY-MM
    kind: str
    language: str
    count: int | None  # None: fewer than 5, suppressed


def feedback_counts(gw: Gateway, actor: Actor) -> list[FeedbackCount]:
    """Submissions per month, kind and language, small counts suppressed (the general queue)."""
    require(actor, Action.VIEW_AGGREGATES)
    with gw.db.transaction() as session:
        rows = SubmissionRepository(session).counts(restricted=False)
    return [
        FeedbackCount(month, kind, language, count if count >= DEFAULT_THRESHOLD else None)
        for month, kind, language, count in rows
    ]


def export_queue(gw: Gateway, actor: Actor, out: TextIO) -> int:
    """The open general queue as CSV (no message, contact or sender); the number of rows."""
    require(actor, Action.VIEW_GATEWAY_QUEUE)
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        found = SubmissionRepository(session, gw.cipher).queue(OPEN_STATUSES, restricted=False)
        gw.audit(
            session,
            actor,
            action="gateway.queue.export",
            entity="gateway_queue",
            entity_id="open",
            detail={"count": len(found)},
        )
    writer = SafeCsvWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for item in found:
        writer.writerow(
            [
                display_code(item.tracking_code),
                item.kind.value,
                item.status.value,
                item.language,
                item.channel or "",
                item.created_at.isoformat(),
                "yes" if is_overdue(item, now) else "no",
            ]
        )
    return len(found)
