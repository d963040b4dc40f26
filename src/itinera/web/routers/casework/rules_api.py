"""JSON API of the screening rules versions (issue 12): list, read, check a draft, store a
version, activate one. The same service as the ``/admin/screening`` pages: administrators
only, every save and activation audited, a draft checked as ``itinera screening validate``
checks files (an error answers 422 naming the text, its line, entry and field)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from itinera.schemas.screening_rules import (
    ScreeningDraftIn,
    ScreeningVersionIn,
    ScreeningVersionOut,
    ScreeningVersionSummaryOut,
)
from itinera.services.casework import screening_rules as rules_service
from itinera.web.deps import ActorDep
from itinera.web.routers.casework.api import CaseworkDep, origin_of

__all__ = ["router"]

router = APIRouter(prefix="/api/screening/rules", tags=["screening rules"])
VersionId = Annotated[int, Path(ge=1, le=999_999_999, description="version number")]


@router.get("/versions", summary="Every screening rules version, the newest first")
def list_versions(cw: CaseworkDep, actor: ActorDep) -> list[ScreeningVersionSummaryOut]:
    found = rules_service.list_screening_versions(cw, actor)
    return [ScreeningVersionSummaryOut.of(v) for v in found]


@router.get("/versions/active", summary="The version new screenings use, with its texts")
def active_version(cw: CaseworkDep, actor: ActorDep) -> ScreeningVersionOut:
    return ScreeningVersionOut.of(rules_service.get_screening_version(cw, actor))


@router.get("/versions/{version_id}", summary="One version with its three YAML texts")
def get_version(version_id: VersionId, cw: CaseworkDep, actor: ActorDep) -> ScreeningVersionOut:
    return ScreeningVersionOut.of(rules_service.get_screening_version(cw, actor, version_id))


@router.post(
    "/versions/validate",
    summary="Check a draft as the editor does; nothing is stored (422 names the error)",
)
def validate_draft(body: ScreeningDraftIn, cw: CaseworkDep, actor: ActorDep) -> dict[str, Any]:
    texts = rules_service.draft_from_parts(cw, actor, body.files())
    config = rules_service.check_screening_draft(actor, texts)
    return {
        "valid": True,
        "questions": len(config.questionnaire.questions),
        "rules": len(config.rule_set.rules),
        "pathways": len(config.rule_set.pathways),
    }


@router.post("/versions", status_code=201, summary="Store a draft as a new version (audited)")
def create_version(
    body: ScreeningVersionIn, request: Request, cw: CaseworkDep, actor: ActorDep
) -> ScreeningVersionOut:
    texts = rules_service.draft_from_parts(cw, actor, body.files())
    number = rules_service.save_screening_version(
        cw, actor, texts, body.comment, activate=body.activate, origin=origin_of(request)
    )
    return ScreeningVersionOut.of(rules_service.get_screening_version(cw, actor, number))


@router.post(
    "/versions/{version_id}/activate",
    summary="Make a stored version the one new screenings use (audited)",
)
def activate_version(
    version_id: VersionId, request: Request, cw: CaseworkDep, actor: ActorDep
) -> ScreeningVersionSummaryOut:
    rules_service.activate_screening_version(cw, actor, version_id, origin=origin_of(request))
    return ScreeningVersionSummaryOut.of(rules_service.get_screening_version(cw, actor, version_id))
