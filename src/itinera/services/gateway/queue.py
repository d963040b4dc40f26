"""The staff queue: open submissions oldest first, the overdue ones, reading and answering.

Reading a submission opens the person's message and contact, so it is audited like a case
record; answers marked public are what the person reads by tracking code, the others are
internal notes.
"""

from __future__ import annotations

import logging

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway import (
    MAX_TEXT_LENGTH,
    OPEN_STATUSES,
    Submission,
    SubmissionStatus,
    is_overdue,
)
from itinera.domain.gateway_codes import read_tracking_code
from itinera.services.gateway.context import Gateway
from itinera.services.gateway.replies import deliver_answer
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = ["answer", "open_submission", "queue"]

log = logging.getLogger(__name__)


def queue(gw: Gateway, actor: Actor, *, overdue_only: bool = False) -> list[Submission]:
    """Open submissions, oldest first; with ``overdue_only`` those past their response target."""
    require(actor, Action.VIEW_GATEWAY_QUEUE)
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        found = SubmissionRepository(session, gw.cipher).queue(OPEN_STATUSES)
        gw.audit(
            session,
            actor,
            action="gateway.queue.read",
            entity="gateway_queue",
            entity_id="open",
            detail={"count": len(found)},
        )
    return [s for s in found if is_overdue(s, now)] if overdue_only else found


def open_submission(gw: Gateway, actor: Actor, code: str) -> Submission:
    require(actor, Action.VIEW_GATEWAY_QUEUE)
    canonical = read_tracking_code(code)
    with gw.db.transaction(write=True) as session:
        found = SubmissionRepository(session, gw.cipher).get(canonical) if canonical else None
        if found is None:
            raise NotFoundError("no submission with this tracking code", hint="check the code")
        gw.audit(
            session,
            actor,
            action="gateway.submission.read",
            entity="gateway_submission",
            entity_id=str(found.id),
        )
    return found


def answer(
    gw: Gateway,
    actor: Actor,
    code: str,
    body: str,
    language: str,
    *,
    public: bool = True,
    template: bool = False,
) -> Submission:
    """Add an answer (``public``) or an internal note; a public answer marks it answered."""
    require(actor, Action.ANSWER_GATEWAY)
    if not body.strip() or len(body) > MAX_TEXT_LENGTH:
        raise ValidationError.single("body", f"between 1 and {MAX_TEXT_LENGTH} characters")
    canonical = read_tracking_code(code)
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        repo = SubmissionRepository(session, gw.cipher)
        found = repo.status_of(canonical) if canonical else None
        if found is None or canonical is None:
            raise NotFoundError("no submission with this tracking code", hint="check the code")
        submission_id, status = found
        answer_id = repo.add_answer(
            submission_id,
            body,
            language,
            public=public,
            author=actor.username,
            now=now,
            delivery="pending" if public else None,
        )
        if public:
            repo.set_status(submission_id, SubmissionStatus.ANSWERED, now)
        elif status is SubmissionStatus.RECEIVED:
            repo.set_status(submission_id, SubmissionStatus.IN_PROGRESS, now)
        gw.audit(
            session,
            actor,
            action="gateway.answer" if public else "gateway.note",
            entity="gateway_submission",
            entity_id=str(submission_id),
        )
    log.info("gateway submission %s answered by user %s", submission_id, actor.user_id)
    if public:
        deliver_answer(gw, canonical, answer_id, template=template)
    with gw.db.transaction() as session:
        updated = SubmissionRepository(session, gw.cipher).get(canonical)
    assert updated is not None
    return updated
