"""Remove one import batch (C2): the store goes back to exactly its state before the import.

The batch's figures and incidents go, and the vintage rule is applied again between the
source's remaining batches, so figures the batch had superseded are current again. The
analytics cube notices the missing batch on its next read. The removal is audited.
"""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError
from itinera.services.accounts import audit
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["remove_batch"]


def remove_batch(db: Database, actor: Actor, batch_id: int) -> None:
    """Delete import batch ``batch_id`` and undo its effect; NotFoundError when absent."""
    require(actor, Action.IMPORT_MOVEMENTS)
    with db.transaction(write=True) as session:
        if not MovementRepository(session).remove_batch(batch_id):
            raise NotFoundError(f"no import batch {batch_id}")
        audit.record(
            session,
            actor,
            action="import_batch.remove",
            entity="import_batch",
            entity_id=str(batch_id),
            purpose="administration",
        )
