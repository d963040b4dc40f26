"""Passing a complaint about another organisation's staff to that organisation's focal point.

Following the IASC inter-agency referral practice, an allegation of sexual exploitation and
abuse, fraud or misconduct by another organisation's staff goes to that organisation's focal
point, and only with the person's consent: the gateway's own focal point records the consent
and the organisation. From then on the partner organisation's named focal points see the
complaint in their restricted queue (nobody else of theirs does); the survivor is offered
assistance (a referral, escalation.py) whatever happens to the investigation.
"""

from __future__ import annotations

import logging

from itinera.domain.access import Actor
from itinera.domain.case import ConsentRequiredError
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway_codes import read_tracking_code
from itinera.services.gateway.context import Gateway
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.gateway.focal_point_repository import FocalPointRepository
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = ["pass_to_organisation"]

log = logging.getLogger(__name__)


def pass_to_organisation(
    gw: Gateway, actor: Actor, code: str, organisation_id: int, *, consent: bool
) -> None:
    """Pass a restricted complaint to ``organisation_id``'s focal points (the gateway's own
    focal points only; the person's consent is required and recorded)."""
    canonical = read_tracking_code(code)
    with gw.db.transaction(write=True) as session:
        if not FocalPointRepository(session).is_focal_point(actor.user_id):
            raise NotFoundError("no submission with this tracking code")  # as for a missing one
        repo = SubmissionRepository(session, gw.cipher)
        found = repo.get(canonical) if canonical else None
        if found is None or not found.restricted:
            raise NotFoundError("no restricted complaint with this tracking code")
        if not consent:
            raise ConsentRequiredError(
                "the person has not agreed to pass the complaint",
                hint="ask the person first; record consent: true",
            )
        if OrganisationRepository(session).get(organisation_id) is None:
            raise ValidationError.single("organisation_id", "an existing organisation")
        now = gw.now()
        repo.pass_to(found.id, organisation_id, now)
        repo.add_flag(found.id, f"passed:{organisation_id}", now)
        gw.audit(
            session,
            actor,
            action="gateway.pass",
            entity="gateway_submission",
            entity_id=str(found.id),
            detail={"organisation": organisation_id, "consent": True},
        )
    log.info("gateway submission %s passed to organisation %s", found.id, organisation_id)
