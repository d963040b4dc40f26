"""Recording and withdrawing consent on an existing case (C7, C8).

The caseworker states the purposes the person agrees to *now* and the legal basis. A purpose
agreed before and not any more is recorded as withdrawn (it keeps its earlier basis, so the
record shows what was given and then taken back); from then on processing for it is refused by
:func:`itinera.domain.case.require_basis`. Registration itself cannot be withdrawn here: a person
who wants their data gone asks for erasure (``DELETE /api/cases/{id}``), which removes it.
Optimistic locking as for edits: a stale ``version`` answers 409 and nothing is saved.
"""

from __future__ import annotations

from datetime import datetime

from itinera.domain.access import Action, Actor
from itinera.domain.case import ConsentRecord, Purpose, require_child_consent
from itinera.domain.case_record import CaseRecord, ConsentStatement
from itinera.domain.errors import ConflictError, ValidationError
from itinera.services.casework.context import (
    Casework,
    require_audited,
    require_kept,
    unseen,
)
from itinera.storage.casework.case_repository import CaseRepository

__all__ = ["change_consent", "next_consent"]


def next_consent(
    previous: ConsentRecord, data: ConsentStatement, actor: Actor, now: datetime
) -> ConsentRecord:
    """The record after the person's new statement: granted now, withdrawn since before."""
    granted = set(data.purposes)
    if Purpose.REGISTRATION not in granted:
        raise ValidationError.single(
            "purposes",
            "registration cannot be withdrawn while the case is kept: ask for the case to be "
            "erased instead",
        )
    active_before = {p for p in previous.bases if p not in previous.withdrawn}
    withdrawn = (active_before | previous.withdrawn) - granted
    bases = {p: b for p, b in previous.bases.items() if p in withdrawn}
    bases.update({p: data.basis for p in data.purposes})  # in the order stated
    return ConsentRecord(
        bases,
        now,
        actor.username[:64],
        withdrawn=frozenset(withdrawn),
        flags_agreed=frozenset(data.flags_agreed),
        child_assent=data.child_assent,
        child_decision=data.child_decision,
    )


def change_consent(
    cw: Casework,
    actor: Actor,
    case_id: str,
    version: int,
    data: ConsentStatement,
    *,
    origin: str | None = None,
) -> CaseRecord:
    """Record the new consent statement on the case, audited with the purposes (no names)."""
    require_audited(cw, actor, Action.EDIT_CASE, "case", case_id, origin=origin)
    now = cw.now()
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id, decrypt=frozenset())
        if case is None:
            raise unseen(cw, session, actor, "case", case_id, "consent", origin=origin)
        require_kept(case)
        require_child_consent(data.child_assent, data.child_decision, case.age_group)
        record = next_consent(case.consent, data, actor, now)
        if not repo.update(case_id, version, {"consent": record}, now):
            raise ConflictError(
                f"case {case_id} was changed by someone else since version {version} "
                f"(it is now version {repo.current_version(case_id)}); nothing was saved",
                hint="reload the case, then record the consent again",
            )
        cw.audit(
            session,
            actor,
            action="case.consent",
            entity="case",
            entity_id=case_id,
            purpose=Purpose.REGISTRATION.value,
            origin=origin,
            detail={
                "purposes": sorted(p.value for p in data.purposes),
                "withdrawn": sorted(p.value for p in record.withdrawn),
                "basis": data.basis.value,
            },
        )
        updated = repo.get(case_id, actor.organisation_id)
        assert updated is not None
    return updated
