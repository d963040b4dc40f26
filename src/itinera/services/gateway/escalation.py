"""Escalation of a submission to a protection case (C7), with the person's consent recorded.

The case is registered through casework's own service (its permission check, consent rules and
audit entry), then the submission carries the case number as a flag (``case:C-…``, a
pseudonymous number) and moves to *in progress*. Nothing is escalated without a consent
statement: casework refuses a registration without a legal basis for it.
"""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.case_record import CaseRecord, NewCase
from itinera.domain.gateway import SubmissionStatus
from itinera.services.casework import cases as case_service
from itinera.services.casework.context import Casework
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = ["escalate_to_case"]


def escalate_to_case(gw: Gateway, actor: Actor, code: str, data: NewCase) -> CaseRecord:
    require(actor, Action.REGISTER_CASE)
    submission = queue_service.open_submission(gw, actor, code)  # visibility and audit
    case = case_service.register_case(Casework(gw.db, gw.cipher, gw.audit), actor, data)
    now = gw.now()
    with gw.db.transaction(write=True) as session:
        repo = SubmissionRepository(session)
        repo.add_flag(submission.id, f"case:{case.id}", now)
        if submission.status is SubmissionStatus.RECEIVED:
            repo.set_status(submission.id, SubmissionStatus.IN_PROGRESS, now)
        gw.audit(
            session,
            actor,
            action="gateway.escalate",
            entity="gateway_submission",
            entity_id=str(submission.id),
            detail={"case": case.id},
        )
    return case
