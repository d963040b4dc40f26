"""The staff queue: open submissions oldest first, the overdue ones, reading and answering,
and the restricted queue of sensitive complaints.

Reading a submission opens the person's message and contact, so it is audited like a case
record; answers marked public are what the person reads by tracking code, the others are
internal notes. A restricted submission (sexual exploitation and abuse, fraud, staff
misconduct) exists only for the named focal points: to anyone else it answers exactly like a
code that does not exist, and it is left out of their lists, counts and exports.
"""

from __future__ import annotations

import logging

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway import (
    MAX_TEXT_LENGTH,
    OPEN_STATUSES,
    Priority,
    Submission,
    SubmissionStatus,
    is_overdue,
)
from itinera.domain.gateway_codes import read_tracking_code
from itinera.domain.gateway_emergency import is_acute
from itinera.services.gateway.context import Gateway
from itinera.services.gateway.replies import deliver_answer
from itinera.storage.database import UnitOfWork
from itinera.storage.gateway.focal_point_repository import FocalPointRepository
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = [
    "answer",
    "is_focal_point",
    "merge",
    "open_submission",
    "queue",
    "restrict",
    "triage",
]

log = logging.getLogger(__name__)
_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


def _unknown() -> NotFoundError:
    return NotFoundError("no submission with this tracking code", hint="check the code")


def _focal(session: UnitOfWork, actor: Actor) -> bool:
    return FocalPointRepository(session).is_focal_point(actor.user_id)


def is_focal_point(gw: Gateway, actor: Actor) -> bool:
    with gw.db.transaction() as session:
        return _focal(session, actor)


def queue(
    gw: Gateway, actor: Actor, *, overdue_only: bool = False, restricted: bool = False
) -> list[Submission]:
    """Open submissions, oldest first; with ``overdue_only`` those past their response target.

    ``restricted`` asks for the focal points' queue instead of the general one.
    """
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        partner = None
        if restricted and not _focal(session, actor):
            # a partner organisation's focal point sees only what was passed to it
            partner = FocalPointRepository(session).partner_organisation(actor.user_id)
            if partner is None:
                require(actor, Action.VIEW_GATEWAY_QUEUE)  # a role check first: 403 for the public
                return []
        if not restricted:
            require(actor, Action.VIEW_GATEWAY_QUEUE)
        found = SubmissionRepository(session, gw.cipher).queue(
            OPEN_STATUSES, restricted=restricted, passed_to=partner
        )
        gw.audit(
            session,
            actor,
            action="gateway.queue.read",
            entity="gateway_queue",
            entity_id="restricted" if restricted else "open",
            detail={"count": len(found)},
        )
    # acute risks first (threat to life, a child alone, medical emergency), then by priority,
    # then oldest first (the repository's order, kept by the stable sort)
    found.sort(key=lambda s: (not is_acute(s.flags), _RANK[s.priority]))
    return [s for s in found if is_overdue(s, now)] if overdue_only else found


def _find(session: UnitOfWork, gw: Gateway, actor: Actor, code: str) -> Submission:
    """The submission, or the same refusal whether it is missing or restricted from ``actor``:
    403 for a role without the queue, else 404 (so no answer tells a restricted one exists)."""
    focal = _focal(session, actor)
    partner = None if focal else FocalPointRepository(session).partner_organisation(actor.user_id)
    if not focal and partner is None:
        require(actor, Action.VIEW_GATEWAY_QUEUE)
    canonical = read_tracking_code(code)
    found = SubmissionRepository(session, gw.cipher).get(canonical) if canonical else None
    passed_to_partner = (
        found is not None and partner is not None and found.passed_to_organisation_id == partner
    )
    if found is None or (found.restricted and not focal and not passed_to_partner):
        raise _unknown()
    if not found.restricted:
        require(actor, Action.VIEW_GATEWAY_QUEUE)
    return found


def open_submission(gw: Gateway, actor: Actor, code: str) -> Submission:
    with gw.db.transaction(write=True) as session:
        found = _find(session, gw, actor, code)
        gw.audit(
            session,
            actor,
            action="gateway.submission.read",
            entity="gateway_submission",
            entity_id=str(found.id),
        )
    return found


def restrict(gw: Gateway, actor: Actor, code: str) -> None:
    """Move a submission into the restricted queue: from then on only focal points see it."""
    require(actor, Action.ANSWER_GATEWAY)
    with gw.db.transaction(write=True) as session:
        found = _find(session, gw, actor, code)
        SubmissionRepository(session).set_restricted(found.id, gw.now())
        gw.audit(
            session,
            actor,
            action="gateway.restrict",
            entity="gateway_submission",
            entity_id=str(found.id),
        )
    log.info("gateway submission %s moved to the restricted queue", found.id)


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
    if not body.strip() or len(body) > MAX_TEXT_LENGTH:
        raise ValidationError.single("body", f"between 1 and {MAX_TEXT_LENGTH} characters")
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        found = _find(session, gw, actor, code)
        if not found.restricted:
            require(actor, Action.ANSWER_GATEWAY)
        repo = SubmissionRepository(session, gw.cipher)
        answer_id = repo.add_answer(
            found.id,
            body,
            language,
            public=public,
            author=actor.username,
            now=now,
            delivery="pending" if public else None,
        )
        if public:
            repo.set_status(found.id, SubmissionStatus.ANSWERED, now)
        elif found.status is SubmissionStatus.RECEIVED:
            repo.set_status(found.id, SubmissionStatus.IN_PROGRESS, now)
        gw.audit(
            session,
            actor,
            action="gateway.answer" if public else "gateway.note",
            entity="gateway_submission",
            entity_id=str(found.id),
        )
    log.info("gateway submission %s answered by user %s", found.id, actor.user_id)
    if public:
        deliver_answer(gw, found.tracking_code, answer_id, template=template)
    with gw.db.transaction() as session:
        updated = SubmissionRepository(session, gw.cipher).get(found.tracking_code)
    assert updated is not None
    return updated


def triage(
    gw: Gateway,
    actor: Actor,
    code: str,
    *,
    topic: str | None = None,
    priority: Priority = Priority.NORMAL,
    assigned_to: str | None = None,
) -> Submission:
    """Give a submission a topic (staff's own words), a priority and a person or team."""
    if topic is not None and len(topic) > 64:
        raise ValidationError.single("topic", "at most 64 characters")
    if assigned_to is not None and len(assigned_to) > 64:
        raise ValidationError.single("assigned_to", "at most 64 characters")
    with gw.db.transaction(write=True) as session:
        found = _find(session, gw, actor, code)
        if not found.restricted:
            require(actor, Action.ANSWER_GATEWAY)
        SubmissionRepository(session).triage(
            found.id, gw.now(), topic=topic, priority=priority, assigned_to=assigned_to
        )
        gw.audit(
            session,
            actor,
            action="gateway.triage",
            entity="gateway_submission",
            entity_id=str(found.id),
            detail={"priority": priority.value},
        )
        updated = SubmissionRepository(session, gw.cipher).get(found.tracking_code)
    assert updated is not None
    return updated


def merge(gw: Gateway, actor: Actor, duplicate: str, into: str) -> None:
    """Close ``duplicate`` as a repeat of ``into``: its code then shows ``into``'s answers.

    Both must be in the same queue, so a merge never moves a sensitive complaint's answers
    into view of the general queue, nor the reverse.
    """
    with gw.db.transaction(write=True) as session:
        repeat = _find(session, gw, actor, duplicate)
        original = _find(session, gw, actor, into)
        if repeat.id == original.id:
            raise ValidationError.single("into", "a submission cannot repeat itself")
        if repeat.restricted != original.restricted:
            raise ValidationError.single("into", "both must be in the same queue")
        if not repeat.restricted:
            require(actor, Action.ANSWER_GATEWAY)
        SubmissionRepository(session).merge(repeat.id, original.id, gw.now())
        gw.audit(
            session,
            actor,
            action="gateway.merge",
            entity="gateway_submission",
            entity_id=str(repeat.id),
            detail={"into": original.id},
        )
