"""Case records (C8): register, read, edit with optimistic locking, erase, export pseudonymised.

A case belongs to the organisation that registered it; anyone else gets the same 404 as for a
case that does not exist. Every read and change is audited with its purpose, in the same
transaction. Processing needs consent or another legal basis for the purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import date
from typing import Any, TextIO

import pycountry

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import (
    IDENTIFYING_FIELDS,
    ConsentRecord,
    Purpose,
    age_group,
    new_case_number,
    require_basis,
)
from itinera.domain.errors import ConflictError, FieldError, ValidationError
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.schemas.cases import CaseEdit, CaseIn, ConsentIn
from itinera.services.casework.context import Casework, hidden
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.casework.tables import case_screenings, cases, referral_events, referrals
from itinera.storage.catalogue.route_repository import RouteRepository

__all__ = [
    "case_out",
    "edit_case",
    "erase_case",
    "export_pseudonymised",
    "get_case",
    "register_case",
]

log = logging.getLogger(__name__)

NOT_A_COUNTRY = {"XXA": "stateless", "XXX": "unknown"}


def register_case(
    cw: Casework, actor: Actor, data: CaseIn, *, origin: str | None = None
) -> dict[str, Any]:
    """Store a new case with the minimum data; nothing is stored if any field is wrong."""
    require(actor, Action.REGISTER_CASE)
    organisation_id = _organisation(actor)
    now = cw.now()
    consent = _consent(data.consent, actor, now)
    require_basis(consent, Purpose.REGISTRATION)
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
        values = data.model_dump(exclude={"consent"})
        values["age_group"] = age_group(data.date_of_birth, cw.today()).value
        values["date_of_birth"] = data.date_of_birth.isoformat() if data.date_of_birth else None
        repo = CaseRepository(session, cw.cipher)
        repo.insert(
            case_id,
            organisation_id,
            values,
            flags=[],
            consent=consent.to_data(),
            created_by=actor.username[:64],
            created_at=now,
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
    return _out(case)


def get_case(
    cw: Casework,
    actor: Actor,
    case_id: str,
    *,
    purpose: Purpose = Purpose.REGISTRATION,
    origin: str | None = None,
) -> dict[str, Any]:
    """A case of the actor's organisation, with its screenings; the read is audited."""
    require(actor, Action.VIEW_CASE)
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id)
        if case is None:
            raise hidden("case", case_id)
        require_basis(ConsentRecord.from_data(case["consent"]), purpose)
        case["screenings"] = repo.screenings(case_id)
        cw.audit(
            session,
            actor,
            action="case.read",
            entity="case",
            entity_id=case_id,
            purpose=purpose.value,
            origin=origin,
        )
    return _out(case)


def edit_case(
    cw: Casework, actor: Actor, case_id: str, edit: CaseEdit, *, origin: str | None = None
) -> dict[str, Any]:
    """Change the fields sent; refuse with 409 if the case changed since ``edit.version``."""
    require(actor, Action.EDIT_CASE)
    now = cw.now()
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id, decrypt=frozenset({"date_of_birth"}))
        if case is None:
            raise hidden("case", case_id)
        changes = edit.model_dump(exclude_unset=True, exclude={"version", "consent"})
        if edit.consent is not None:
            changes["consent"] = _consent(edit.consent, actor, now).to_data()
        else:
            require_basis(ConsentRecord.from_data(case["consent"]), Purpose.REGISTRATION)
        dob = changes.get("date_of_birth", _date(case["date_of_birth"]))
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
            changes["date_of_birth"] = dob.isoformat() if dob else None
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
    return _out(updated)


def erase_case(cw: Casework, actor: Actor, case_id: str, *, origin: str | None = None) -> None:
    """Erasure on the person's request: identifying data and free text go, counts stay."""
    require(actor, Action.ERASE_CASE)
    with cw.db.transaction(write=True) as session:
        if (
            CaseRepository(session, cw.cipher).get(
                case_id, actor.organisation_id, decrypt=frozenset()
            )
            is None
        ):
            raise hidden("case", case_id)
        erase_rows(session, [case_id], cw.now())
        cw.audit(
            session,
            actor,
            action="case.erase",
            entity="case",
            entity_id=case_id,
            purpose="erasure-request",
            origin=origin,
        )


def erase_rows(session: Any, case_ids: list[str], now: Any) -> None:
    """Blank every encrypted column of these cases and their screenings and referrals."""
    if not case_ids:
        return
    blank = {f"{name}_enc": None for name in IDENTIFYING_FIELDS}
    session.execute(
        cases.update()
        .where(cases.c.id.in_(case_ids))
        .values(**blank, erased_at=now, updated_at=now, version=cases.c.version + 1)
    )
    session.execute(
        case_screenings.update()
        .where(case_screenings.c.case_id.in_(case_ids))
        .values(answers_enc=None)
    )
    referral_ids = (
        referrals.select()
        .with_only_columns(referrals.c.id)
        .where(referrals.c.case_id.in_(case_ids))
        .scalar_subquery()
    )
    session.execute(
        referrals.update().where(referrals.c.case_id.in_(case_ids)).values(reason_enc=None)
    )
    session.execute(
        referral_events.update()
        .where(referral_events.c.referral_id.in_(referral_ids))
        .values(reason_enc=None)
    )


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
        rows = (
            session.execute(
                cases.select()
                .where(cases.c.organisation_id == organisation_id)
                .order_by(cases.c.created_at)
            )
            .mappings()
            .all()
        )
        cw.audit(
            session,
            actor,
            action="case.export",
            entity="case",
            entity_id="*",
            purpose="statistics",
            origin=origin,
            detail={"cases": len(rows)},
        )
    writer = SafeCsvWriter(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        pseudonym = hmac.new(secret, row["id"].encode(), hashlib.sha256).hexdigest()[:16]
        writer.writerow(
            [
                pseudonym,
                row["sex"],
                row["age_group"],
                row["nationality"] or "",
                row["arrival_place"] or "",
                row["arrival_date"] or "",
                row["route_id"] or "",
                ";".join(row["flags"]),
                "yes" if row["erased_at"] else "no",
            ]
        )
    return len(rows)


def _organisation(actor: Actor) -> int:
    if actor.organisation_id is None:
        raise ValidationError.single("organisation", "your account belongs to no organisation")
    return actor.organisation_id


def _consent(data: ConsentIn, actor: Actor, now: Any) -> ConsentRecord:
    return ConsentRecord({p: data.basis for p in data.purposes}, now, actor.username[:64])


def _check(
    session: Any,
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


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _out(case: dict[str, Any]) -> dict[str, Any]:
    out = dict(case)
    withdrawn = list(case["consent"].get("withdrawn") or [])
    out["consent"] = {
        "purposes": sorted(p for p in case["consent"]["bases"] if p not in withdrawn),
        "withdrawn": withdrawn,
        "bases": case["consent"]["bases"],
        "recorded_at": case["consent"]["recorded_at"],
        "recorded_by": case["consent"]["recorded_by"],
    }
    out["erased"] = case["erased_at"] is not None
    return out


case_out = _out  # the public shape of a case, for the consent service
