"""JSON API of case records, screening and referrals (C7, C8). Thin: parse, call, answer."""

from __future__ import annotations

import hashlib
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from itinera.domain.case import Purpose
from itinera.schemas.case_answers import CaseFileOut, CaseOut, QuestionnaireOut, ScreeningOut
from itinera.schemas.cases import (
    CaseEdit,
    CaseIn,
    ConsentChange,
    ReferralIn,
    ScreeningIn,
    TransitionIn,
)
from itinera.schemas.referral_answers import ReferralOut, ReferralSummaryOut, ReminderOut
from itinera.services.accounts import audit
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework import screening as screening_service
from itinera.services.casework.consent import change_consent
from itinera.services.casework.context import Casework
from itinera.web.deps import ActorDep, CipherDep, DatabaseDep, LanguageDep

__all__ = ["CaseworkDep", "casework", "origin_of", "router"]

router = APIRouter(prefix="/api", tags=["cases and referrals"])


def casework(request: Request, db: DatabaseDep, cipher: CipherDep) -> Casework:
    """The app's Casework (cipher + audit trail), built once; the benchmark may preset it."""
    existing: Casework | None = getattr(request.app.state, "casework", None)
    if existing is None:
        existing = request.app.state.casework = Casework(db, cipher, audit.record)
    return existing


CaseworkDep = Annotated[Casework, Depends(casework)]
CaseId = Annotated[str, Path(max_length=20, description="case number, e.g. C-7K3M-Q9TX-2B4R")]
ReferralId = Annotated[str, Path(max_length=20, description="referral number, e.g. R-…")]


def origin_of(request: Request) -> str | None:
    """Where a request came from, for the audit trail (the client address)."""
    return request.client.host if request.client else None


@router.post("/cases", status_code=201, summary="Register a case (identifying fields encrypted)")
def register_case(body: CaseIn, request: Request, cw: CaseworkDep, actor: ActorDep) -> CaseOut:
    case = case_service.register_case(cw, actor, body.to_domain(), origin=origin_of(request))
    return CaseOut.of(case)


@router.get(
    "/cases/export",
    summary="Pseudonymised CSV of the organisation's cases",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "one row per case"}},
)
def export_cases(request: Request, cw: CaseworkDep, actor: ActorDep) -> Response:
    out = io.StringIO()
    secret = hashlib.sha256(b"case-export:" + request.app.state.settings.secret_key.encode())
    case_service.export_pseudonymised(
        cw, actor, out, secret=secret.digest(), origin=origin_of(request)
    )
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


@router.get("/cases/{case_id}", summary="One case of your organisation (the read is audited)")
def get_case(
    case_id: CaseId,
    request: Request,
    cw: CaseworkDep,
    actor: ActorDep,
    purpose: Annotated[Purpose, Query(description="why you read it")] = Purpose.REGISTRATION,
) -> CaseFileOut:
    found = case_service.get_case(cw, actor, case_id, purpose=purpose, origin=origin_of(request))
    return CaseFileOut.of(found)


@router.patch("/cases/{case_id}", summary="Edit a case; send the version you read (stale → 409)")
def edit_case(
    case_id: CaseId, body: CaseEdit, request: Request, cw: CaseworkDep, actor: ActorDep
) -> CaseOut:
    case = case_service.edit_case(cw, actor, case_id, body.to_domain(), origin=origin_of(request))
    return CaseOut.of(case)


@router.post(
    "/cases/{case_id}/consent",
    summary="Record consent now: purposes left out are withdrawn (stale version → 409)",
)
def record_consent(
    case_id: CaseId, body: ConsentChange, request: Request, cw: CaseworkDep, actor: ActorDep
) -> CaseOut:
    case = change_consent(
        cw, actor, case_id, body.version, body.to_domain(), origin=origin_of(request)
    )
    return CaseOut.of(case)


@router.delete("/cases/{case_id}", status_code=204, summary="Erase a case on the person's request")
def erase_case(case_id: CaseId, request: Request, cw: CaseworkDep, actor: ActorDep) -> Response:
    case_service.erase_case(cw, actor, case_id, origin=origin_of(request))
    return Response(status_code=204)


@router.get("/screening/questionnaire", summary="The current screening questionnaire")
def questionnaire(cw: CaseworkDep, language: LanguageDep) -> QuestionnaireOut:
    return QuestionnaireOut.of(screening_service.localised_questionnaire(cw, language))


@router.post(
    "/cases/{case_id}/screenings",
    status_code=201,
    summary="Screen a case: flags with explanations, recommended pathways",
)
def screen_case(
    case_id: CaseId,
    body: ScreeningIn,
    request: Request,
    cw: CaseworkDep,
    actor: ActorDep,
    language: LanguageDep,
) -> ScreeningOut:
    result = screening_service.screen_case(
        cw, actor, case_id, body.answers, language=language, origin=origin_of(request)
    )
    return ScreeningOut.of(result)


@router.post("/referrals", status_code=201, summary="Refer a case to another organisation")
def create_referral(
    body: ReferralIn, request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> ReferralOut:
    referral = referral_service.create_referral(
        cw, actor, body.to_domain(), language=language, origin=origin_of(request)
    )
    return ReferralOut.of_detail(referral)


@router.get("/referrals/inbox", summary="Referrals sent to your organisation")
def inbox(cw: CaseworkDep, actor: ActorDep, language: LanguageDep) -> list[ReferralSummaryOut]:
    found = referral_service.inbox(cw, actor, language=language)
    return [ReferralSummaryOut.of(r) for r in found]


@router.get("/referrals/overdue", summary="Open referrals past their due date")
def overdue(cw: CaseworkDep, actor: ActorDep, language: LanguageDep) -> list[ReferralSummaryOut]:
    found = referral_service.overdue(cw, actor, language=language)
    return [ReferralSummaryOut.of(r) for r in found]


@router.get("/referrals/reminders", summary="Overdue, due soon, and unsent drafts")
def reminders(
    cw: CaseworkDep,
    actor: ActorDep,
    language: LanguageDep,
    within_days: Annotated[int, Query(ge=0, le=90)] = 2,
) -> list[ReminderOut]:
    found = referral_service.reminders(cw, actor, within_days=within_days, language=language)
    return [ReminderOut.of_reminder(r) for r in found]


@router.get("/referrals/{referral_id}", summary="One referral; a receiver sees only shared fields")
def get_referral(
    referral_id: ReferralId,
    request: Request,
    cw: CaseworkDep,
    actor: ActorDep,
    language: LanguageDep,
) -> ReferralOut:
    referral = referral_service.get_referral(
        cw, actor, referral_id, language=language, origin=origin_of(request)
    )
    return ReferralOut.of_detail(referral)


@router.post(
    "/referrals/{referral_id}/transitions",
    summary="Move a referral: sent, accepted, declined, in_progress, completed, closed",
)
def transition(
    referral_id: ReferralId,
    body: TransitionIn,
    request: Request,
    cw: CaseworkDep,
    actor: ActorDep,
    language: LanguageDep,
) -> ReferralOut:
    referral = referral_service.transition_referral(
        cw,
        actor,
        referral_id,
        body.to,
        reason=body.reason,
        language=language,
        origin=origin_of(request),
    )
    return ReferralOut.of_detail(referral)
