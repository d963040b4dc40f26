"""Case records (C8): register, read, edit with optimistic locking, erase, export pseudonymised.

A case belongs to the organisation that registered it; anyone else gets the same 404 as for a
case that does not exist. Every read and change is audited with its purpose, in the same
transaction. Processing needs consent or another legal basis for the purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, TextIO

import pycountry

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import (
    CHILD_AGE_GROUPS,
    ConsentRecord,
    Purpose,
    age_group,
    new_case_number,
    require_basis,
    require_child_consent,
)
from itinera.domain.case_record import (
    CaseChanges,
    CaseFile,
    CaseRecord,
    ConsentStatement,
    NewCase,
)
from itinera.domain.errors import ConflictError, FieldError, ValidationError
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.services.casework.context import (
    Casework,
    require_audited,
    require_kept,
    unseen,
)
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.casework.referral_repository import ReferralRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import UnitOfWork

__all__ = [
    "edit_case",
    "erase_case",
    "erase_cases",
    "export_pseudonymised",
    "get_case",
    "register_case",
]

log = logging.getLogger(__name__)

NOT_A_COUNTRY = {"XXA": "stateless", "XXX": "unknown"}


def register_case(
    cw: Casework, actor: Actor, data: NewCase, *, origin: str | None = None
) -> CaseRecord:
    """Store a new case with the minimum data; nothing is stored if any field is wrong."""
    require(actor, Action.REGISTER_CASE)
    organisation_id = _organisation(actor)
    now = cw.now()
    group = age_group(data.date_of_birth, cw.today()).value
    statement = data.consent
    require_basis(_consent(statement, actor, now), Purpose.REGISTRATION)
    if group in CHILD_AGE_GROUPS:
        # a child is registered only with their assent and a guardian's or best-interests
        # decision stated (issue 12), as the consent page asks; never assumed
        require_child_consent(statement.child_assent, statement.child_decision, group)
    else:
        statement = replace(statement, child_assent=None, child_decision=None)
    consent = _consent(statement, actor, now)
    with cw.db.transaction(write=True) as session:
        _check(
            session,
            data.nationality,
            data.route_id,
            data.date_of_birth,
            data.arrival_date,
            cw.today(),
        )
        case_id = new_case_number()
        repo = CaseRepository(session, cw.cipher)
        repo.insert(
            CaseRecord(
                id=case_id,
                organisation_id=organisation_id,
                version=1,
                flags=(),
                consent=consent,
                created_by=actor.username[:64],
                created_at=now,
                erased_at=None,
                sex=data.sex.value,
                age_group=group,
                nationality=data.nationality,
                arrival_place=data.arrival_place,
                arrival_date=data.arrival_date,
                route_id=data.route_id,
                given_name=data.given_name,
                family_name=data.family_name,
                date_of_birth=data.date_of_birth,
                contact=data.contact,
                document_numbers=data.document_numbers,
            ),
            updated_at=now,
        )
        case = repo.get(case_id, organisation_id)
        assert case is not None
        # The audit entry comes last: on PostgreSQL it locks the chain head until the commit.
        cw.audit(
            session,
            actor,
            action="case.register",
            entity="case",
            entity_id=case_id,
            purpose=Purpose.REGISTRATION.value,
            origin=origin,
        )
    log.info("case registered by user %s of organisation %s", actor.user_id, organisation_id)
    return case


def get_case(
    cw: Casework,
    actor: Actor,
    case_id: str,
    *,
    purpose: Purpose = Purpose.REGISTRATION,
    origin: str | None = None,
) -> CaseFile:
    """A case of the actor's organisation, with its screenings; the read is audited."""
    require_audited(cw, actor, Action.VIEW_CASE, "case", case_id, origin=origin)
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id)
        if case is None:
            raise unseen(cw, session, actor, "case", case_id, "view", origin=origin)
        require_basis(case.consent, purpose)
        screenings = tuple(repo.screenings(case_id))
        cw.audit(
            session,
            actor,
            action="case.read",
            entity="case",
            entity_id=case_id,
            purpose=purpose.value,
            origin=origin,
        )
    return CaseFile(case, screenings)


def edit_case(
    cw: Casework, actor: Actor, case_id: str, edit: CaseChanges, *, origin: str | None = None
) -> CaseRecord:
    """Change the fields sent; refuse with 409 if the case changed since ``edit.version``."""
    require_audited(cw, actor, Action.EDIT_CASE, "case", case_id, origin=origin)
    now = cw.now()
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id, decrypt=frozenset({"date_of_birth"}))
        if case is None:
            raise unseen(cw, session, actor, "case", case_id, "edit", origin=origin)
        require_kept(case)
        changes: dict[str, Any] = dict(edit.values)
        if edit.consent is not None:
            changes["consent"] = _consent(edit.consent, actor, now)
        else:
            require_basis(case.consent, Purpose.REGISTRATION)
        dob = changes.get("date_of_birth", case.date_of_birth)
        _check(
            session,
            changes.get("nationality"),
            changes.get("route_id"),
            dob,
            changes.get("arrival_date"),
            cw.today(),
        )
        if "date_of_birth" in changes:
            changes["age_group"] = age_group(dob, cw.today()).value
        if not repo.update(case_id, edit.version, changes, now):
            current = repo.current_version(case_id)
            raise ConflictError(
                f"case {case_id} was changed by someone else since version {edit.version} "
                f"(it is now version {current}); nothing was saved",
                hint="reload the case, then apply your change again",
            )
        cw.audit(
            session,
            actor,
            action="case.edit",
            entity="case",
            entity_id=case_id,
            purpose=Purpose.REGISTRATION.value,
            origin=origin,
            detail={"fields": sorted(changes)},
        )
        updated = repo.get(case_id, actor.organisation_id)
        assert updated is not None
    return updated


def erase_case(cw: Casework, actor: Actor, case_id: str, *, origin: str | None = None) -> None:
    """Erasure on the person's request: identifying data and free text go, counts stay."""
    require_audited(cw, actor, Action.ERASE_CASE, "case", case_id, origin=origin)
    with cw.db.transaction(write=True) as session:
        if (
            CaseRepository(session, cw.cipher).get(
                case_id, actor.organisation_id, decrypt=frozenset()
            )
            is None
        ):
            raise unseen(cw, session, actor, "case", case_id, "erase", origin=origin)
        erase_cases(session, [case_id], cw.now())
        cw.audit(
            session,
            actor,
            action="case.erase",
            entity="case",
            entity_id=case_id,
            purpose="erasure-request",
            origin=origin,
        )
    cw.db.reclaim()  # no old ciphertext left in SQLite's write-ahead log


def erase_cases(session: UnitOfWork, case_ids: Sequence[str], now: datetime) -> None:
    """Blank every encrypted value of these cases: their fields, screening answers, and (asked
    of the referral repository) their referrals' reasons."""
    CaseRepository(session).erase(case_ids, now)
    ReferralRepository(session).erase_for_cases(case_ids)


EXPORT_COLUMNS = [
    "pseudonym",
    "sex",
    "age_group",
    "nationality",
    "arrival_place",
    "arrival_date",
    "route_id",
    "flags",
    "erased",
]


def export_pseudonymised(
    cw: Casework, actor: Actor, out: TextIO, *, secret: bytes, origin: str | None = None
) -> int:
    """CSV of the organisation's cases without identifying fields; case numbers are replaced
    by a keyed hash that is stable across exports (so rows can be joined) but not reversible."""
    require(actor, Action.EXPORT_CASES_PSEUDONYMISED)
    organisation_id = _organisation(actor)
    with cw.db.transaction(write=True) as session:
        found = CaseRepository(session, cw.cipher).of_organisation(organisation_id)
        cw.audit(
            session,
            actor,
            action="case.export",
            entity="case",
            entity_id="*",
            purpose="statistics",
            origin=origin,
            detail={"cases": len(found)},
        )
    writer = SafeCsvWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for case in found:
        pseudonym = hmac.new(secret, case.id.encode(), hashlib.sha256).hexdigest()[:16]
        writer.writerow(
            [
                pseudonym,
                case.sex,
                case.age_group,
                case.nationality or "",
                case.arrival_place or "",
                case.arrival_date or "",
                case.route_id or "",
                ";".join(case.flags),
                "yes" if case.erased else "no",
            ]
        )
    return len(found)


def _organisation(actor: Actor) -> int:
    if actor.organisation_id is None:
        raise ValidationError.single("organisation", "your account belongs to no organisation")
    return actor.organisation_id


def _consent(data: ConsentStatement, actor: Actor, now: datetime) -> ConsentRecord:
    return ConsentRecord(
        {p: data.basis for p in data.purposes},
        now,
        actor.username[:64],
        flags_agreed=frozenset(data.flags_agreed),
        child_assent=data.child_assent,
        child_decision=data.child_decision,
    )


def _check(
    session: UnitOfWork,
    nationality: str | None,
    route_id: str | None,
    dob: date | None,
    arrival: date | None,
    today: date,
) -> None:
    errors: list[FieldError] = []
    if (
        nationality
        and nationality not in NOT_A_COUNTRY
        and (pycountry.countries.get(alpha_3=nationality) is None)
    ):
        errors.append(
            FieldError(
                "nationality",
                f"unknown ISO 3166 alpha-3 code {nationality!r} "
                "(XXA for stateless, XXX for unknown)",
            )
        )
    if route_id and RouteRepository(session).get(route_id) is None:
        errors.append(FieldError("route_id", f"unknown route {route_id!r}"))
    if dob and (dob > today or dob.year < today.year - 120):
        errors.append(FieldError("date_of_birth", "must be in the past 120 years"))
    if arrival and arrival > today:
        errors.append(FieldError("arrival_date", "cannot be in the future"))
    if errors:
        raise ValidationError(errors)
