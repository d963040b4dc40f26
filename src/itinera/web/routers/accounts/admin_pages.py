"""The administrator's audit trail page (C8): newest entries, chain status, CSV export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.services.accounts import audit
from itinera.services.accounts.audit import AuditFilter
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/admin/audit", response_class=HTMLResponse, response_model=None)
def audit_page(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    if actor.user_id is None:
        return RedirectResponse(f"/login?next=/admin/audit&lang={language}", status_code=303)
    filters = AuditFilter(entity or None, entity_id or None, limit=200)
    entries = audit.list_entries(db, actor, filters)  # refuses all but administrators
    check = audit.verify(db, actor)
    return render(
        request,
        "admin_audit.html",
        language,
        entries=entries,
        check=check,
        entity=entity or "",
        entity_id=entity_id or "",
    )
