"""Referrals across organisations (C7): create, read on a need-to-know basis, move along the
lifecycle, and follow up (inbox, overdue, reminders).

The receiving organisation sees the case number and only the fields the referral shares. A
referral is invisible (404) to organisations that neither sent nor received it, and a draft is
invisible to its receiver. Every read and transition is audited.

The person's consent is checked at the moment of every read and transition, not only when the
referral is made: once the ``referral`` purpose is withdrawn, a draft cannot be sent and no
side can read the referral or move it forward (403). Only winding it down (declining or closing)
stays possible, and that answer carries no field of the case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.case import Purpose, new_case_number, require_basis
from itinera.domain.errors import ConflictError, FieldError, ValidationError
from itinera.domain.referral import (
    OPEN_STATUSES,
    Referral,
    ReferralRequest,
    ReferralStatus,
    Side,
    Transition,
    allowed_next,
    apply_transition,
    is_overdue,
    shared_view,
)
from itinera.domain.referral_view import (
    OrganisationRef,
    ReferralDetail,
    ReferralReminder,
    ReferralSummary,
)
from itinera.domain.screening import Urgency
from itinera.domain.text import localise
from itinera.services.casework.context import Casework, hidden, require_kept, unseen
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.casework.referral_repository import ReferralRepository
from itinera.storage.database import UnitOfWork

__all__ = [
    "create_referral",
    "get_referral",
    "inbox",
    "overdue",
    "reminders",
    "transition_referral",
]

PURPOSE = Purpose.REFERRAL.value
# Transitions that end processing: allowed after withdrawal so the referral can be wound down.
_WINDING_DOWN = frozenset({ReferralStatus.DECLINED, ReferralStatus.CLOSED})


def create_referral(
    cw: Casework,
    actor: Actor,
    data: ReferralRequest,
    *,
    language: str = "en",
    origin: str | None = None,
) -> ReferralDetail:
    """Refer a case of the actor's organisation; nothing is stored if anything is wrong."""
    require(actor, Action.REFER_CASE)
    pathway = cw.screening.rule_set.pathways.get(data.pathway)
    errors: list[FieldError] = []
    if pathway is None:
        known = ", ".join(cw.screening.rule_set.pathways)
        raise ValidationError.single("pathway", f"unknown pathway {data.pathway!r}; one of {known}")
    shared = tuple(data.shared_fields) if data.shared_fields is not None else pathway.shared_fields
    errors += [
        FieldError(
            f"shared_fields[{i}]",
            f"{name!r} is not needed for the pathway "
            f"{pathway.code!r} (it shares {', '.join(pathway.shared_fields)})",
        )
        for i, name in enumerate(shared)
        if name not in pathway.shared_fields
    ]
    if data.to_organisation_id == actor.organisation_id:
        errors.append(FieldError("to_organisation_id", "refer to another organisation"))
    now = cw.now()
    due = data.due_date or now.date() + timedelta(days=pathway.follow_up_days[data.urgency])
    if due < now.date():
        errors.append(FieldError("due_date", "cannot be in the past"))
    with cw.db.transaction(write=True) as session:
        case = CaseRepository(session, cw.cipher).get(
            data.case_id, actor.organisation_id, decrypt=frozenset()
        )
        if case is None:
            raise unseen(cw, session, actor, "case", data.case_id, "refer", origin=origin)
        require_kept(case)
        require_basis(case.consent, Purpose.REFERRAL)
        if OrganisationRepository(session).get(data.to_organisation_id) is None:
            errors.append(
                FieldError("to_organisation_id", f"unknown organisation {data.to_organisation_id}")
            )
        if errors:
            raise ValidationError(errors)
        assert actor.organisation_id is not None
        referral = Referral(
            new_case_number("R"),
            data.case_id,
            actor.organisation_id,
            data.to_organisation_id,
            pathway.code,
            data.urgency.value,
            data.reason,
            due,
            shared,
            service_point_id=data.service_point_id,
            history=(
                Transition(None, ReferralStatus.DRAFT, now, actor.username, actor.organisation_id),
            ),
        )
        if data.send:
            referral = apply_transition(
                referral,
                ReferralStatus.SENT,
                side=Side.SENDER,
                at=now,
                by=actor.username,
                organisation_id=actor.organisation_id,
            )
        repo = ReferralRepository(session, cw.cipher)
        repo.insert(referral, created_by=actor.username[:64])
        answer = _detail(cw, session, actor, referral, Side.SENDER, language)
        # The audit entry comes last: on PostgreSQL it locks the chain head until the commit.
        cw.audit(
            session,
            actor,
            action="referral.create",
            entity="referral",
            entity_id=referral.id,
            purpose=PURPOSE,
            origin=origin,
            detail={
                "case": data.case_id,
                "to": data.to_organisation_id,
                "fields": list(shared),
                "status": referral.status.value,
            },
        )
        return answer


def get_referral(
    cw: Casework,
    actor: Actor,
    referral_id: str,
    *,
    language: str = "en",
    origin: str | None = None,
) -> ReferralDetail:
    with cw.db.transaction(write=True) as session:
        referral, side = _visible(cw, session, actor, referral_id)
        _require_referral_basis(cw, session, referral)
        cw.audit(
            session,
            actor,
            action="referral.read",
            entity="referral",
            entity_id=referral_id,
            purpose=PURPOSE,
            origin=origin,
            detail={"case": referral.case_id, "fields": list(referral.shared_fields)},
        )
        return _detail(cw, session, actor, referral, side, language)


def transition_referral(
    cw: Casework,
    actor: Actor,
    referral_id: str,
    to: ReferralStatus,
    *,
    reason: str = "",
    language: str = "en",
    origin: str | None = None,
) -> ReferralDetail:
    with cw.db.transaction(write=True) as session:
        before, side = _visible(cw, session, actor, referral_id)
        require(actor, Action.UPDATE_REFERRAL if side is Side.RECEIVER else Action.REFER_CASE)
        consented = _has_referral_basis(cw, session, before)
        if not consented and to not in _WINDING_DOWN:
            _require_referral_basis(cw, session, before)
        after = apply_transition(
            before,
            to,
            side=side,
            at=cw.now(),
            by=actor.username,
            organisation_id=actor.organisation_id,
            reason=reason,
        )
        if not ReferralRepository(session, cw.cipher).save_transition(before, after):
            raise ConflictError(
                f"referral {referral_id} was moved by someone else meanwhile",
                hint="reload it and try again",
            )
        cw.audit(
            session,
            actor,
            action="referral.transition",
            entity="referral",
            entity_id=referral_id,
            purpose=PURPOSE,
            origin=origin,
            detail={"from": before.status.value, "to": to.value},
        )
        return _detail(cw, session, actor, after, side, language, withhold_case=not consented)


def inbox(cw: Casework, actor: Actor, *, language: str = "en") -> list[ReferralSummary]:
    """Referrals sent to the actor's organisation, drafts excepted (no personal data)."""
    require(actor, Action.RECEIVE_REFERRAL)
    statuses = [s for s in ReferralStatus if s is not ReferralStatus.DRAFT]
    with cw.db.transaction() as session:
        found = ReferralRepository(session, cw.cipher).find(
            to_organisation=actor.organisation_id, statuses=statuses
        )
        return [_summary(cw, session, r, language) for r in found]


def overdue(cw: Casework, actor: Actor, *, language: str = "en") -> list[ReferralSummary]:
    """Open referrals past their due date, sent or received by the actor's organisation."""
    _require_any(actor)
    with cw.db.transaction() as session:
        found = ReferralRepository(session, cw.cipher).find(
            either_organisation=actor.organisation_id, statuses=OPEN_STATUSES, due_before=cw.today()
        )
        return [_summary(cw, session, r, language) for r in found]


def reminders(
    cw: Casework, actor: Actor, *, within_days: int = 2, language: str = "en"
) -> list[ReferralReminder]:
    """What needs chasing: overdue, due within ``within_days``, and drafts never sent."""
    _require_any(actor)
    today = cw.today()
    horizon = today + timedelta(days=within_days + 1)
    with cw.db.transaction() as session:
        repo = ReferralRepository(session, cw.cipher)
        found = repo.find(from_organisation=actor.organisation_id, statuses=[ReferralStatus.DRAFT])
        found += repo.find(
            either_organisation=actor.organisation_id, statuses=OPEN_STATUSES, due_before=horizon
        )
        items = []
        for referral in found:
            if referral.status is ReferralStatus.DRAFT:
                kind = "draft-unsent"
            else:
                kind = "overdue" if is_overdue(referral, today) else "due-soon"
            items.append(ReferralReminder(_summary(cw, session, referral, language), kind))
        return items


def _require_any(actor: Actor) -> None:
    if not (can(actor, Action.RECEIVE_REFERRAL) or can(actor, Action.REFER_CASE)):
        require(actor, Action.RECEIVE_REFERRAL)


def _visible(
    cw: Casework, session: UnitOfWork, actor: Actor, referral_id: str
) -> tuple[Referral, Side]:
    referral = ReferralRepository(session, cw.cipher).get(referral_id)
    side = referral.side_of(actor.organisation_id) if referral else None
    if (
        referral is None
        or side is None
        or (side is Side.RECEIVER and referral.status is ReferralStatus.DRAFT)
    ):
        raise unseen(cw, session, actor, "referral", referral_id, "read")
    require(actor, Action.RECEIVE_REFERRAL if side is Side.RECEIVER else Action.VIEW_CASE)
    return referral, side


def _has_referral_basis(cw: Casework, session: UnitOfWork, referral: Referral) -> bool:
    case = CaseRepository(session, cw.cipher).get_any(referral.case_id, decrypt=frozenset())
    return case is not None and case.consent.basis_for(Purpose.REFERRAL) is not None


def _require_referral_basis(cw: Casework, session: UnitOfWork, referral: Referral) -> None:
    """The person's consent (or other basis) for referral, as it stands now."""
    case = CaseRepository(session, cw.cipher).get_any(referral.case_id, decrypt=frozenset())
    if case is None:
        raise hidden("referral", referral.id)
    require_basis(case.consent, Purpose.REFERRAL)


def _organisation(session: UnitOfWork, organisation_id: int) -> OrganisationRef:
    organisation = OrganisationRepository(session).get(organisation_id)
    return OrganisationRef(
        organisation_id, organisation.name if organisation else str(organisation_id)
    )


def _summary(
    cw: Casework, session: UnitOfWork, referral: Referral, language: str
) -> ReferralSummary:
    pathway = cw.screening.rule_set.pathways.get(referral.pathway)
    return ReferralSummary(
        id=referral.id,
        case_id=referral.case_id,
        status=referral.status,
        pathway=referral.pathway,
        pathway_name=localise(pathway.name, language) if pathway else referral.pathway,
        urgency=referral.urgency,
        due_date=referral.due_date,
        overdue=is_overdue(referral, cw.today()),
        from_organisation=_organisation(session, referral.from_organisation_id),
        to_organisation=_organisation(session, referral.to_organisation_id),
        service_point_id=referral.service_point_id,
        version=referral.version,
    )


def _detail(
    cw: Casework,
    session: UnitOfWork,
    actor: Actor,
    referral: Referral,
    side: Side,
    language: str,
    *,
    withhold_case: bool = False,
) -> ReferralDetail:
    identifying = frozenset() if withhold_case else frozenset(referral.shared_fields)
    case = CaseRepository(session, cw.cipher).get_any(referral.case_id, decrypt=identifying)
    assert case is not None
    return ReferralDetail(
        summary=_summary(cw, session, referral, language),
        urgency_rank=Urgency(referral.urgency).rank,
        reason=referral.reason,
        shared_fields=tuple(referral.shared_fields),
        side=side,
        allowed_transitions=tuple(allowed_next(referral.status, side)),
        history=referral.history,
        case=_with_pathway_flags(
            cw,
            referral.pathway,
            shared_view(case.fields(), () if withhold_case else referral.shared_fields),
            case.consent.flags_agreed,
        ),
    )


def _with_pathway_flags(
    cw: Casework, pathway_code: str, view: dict[str, Any], agreed: frozenset[str]
) -> dict[str, Any]:
    """The receiver sees the flags the referral's pathway needs, and a sensitive flag (a GBV
    disclosure) only with the person's explicit agreement recorded: never every flag."""
    if "flags" in view:
        pathway = cw.screening.rule_set.pathways.get(pathway_code)
        view["flags"] = list(pathway.flags_to_share(view["flags"], agreed)) if pathway else []
    return view
