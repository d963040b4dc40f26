"""Administration API (C8): organisations, users, API tokens, and the audit trail."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.accounts import (
    AuditEntryOut,
    OrganisationIn,
    OrganisationOut,
    PasswordIn,
    RoleIn,
    TokenIn,
    TokenInfoOut,
    UserIn,
    UserOut,
    VerifyOut,
)
from itinera.services.accounts import audit, lifecycle
from itinera.services.accounts import users as accounts
from itinera.services.accounts.audit import AuditFilter
from itinera.web.deps import ActorDep, DatabaseDep
from itinera.web.media import CSV_ANSWER
from itinera.web.routers.accounts.auth import origin_of

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["administration"])


@router.get("/organisations", response_model=list[OrganisationOut])
def list_organisations(db: DatabaseDep) -> list[OrganisationOut]:
    return [OrganisationOut.of(o) for o in accounts.list_organisations(db)]


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
def create_organisation(body: OrganisationIn, db: DatabaseDep, actor: ActorDep) -> OrganisationOut:
    return OrganisationOut.of(
        accounts.create_organisation(db, actor, body.name, body.type, body.acronym)
    )


@router.get("/users", response_model=list[UserOut])
def list_users(db: DatabaseDep, actor: ActorDep) -> list[UserOut]:
    return [UserOut.of(u) for u in accounts.list_users(db, actor)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, db: DatabaseDep, actor: ActorDep) -> UserOut:
    return UserOut.of(
        accounts.create_user(db, actor, body.username, body.organisation, body.role, body.password)
    )


UsernamePath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/users/{username}/deactivate", response_model=UserOut)
def deactivate_user(username: UsernamePath, db: DatabaseDep, actor: ActorDep) -> UserOut:
    """The account can no longer log in; every session and token of it is revoked."""
    return UserOut.of(lifecycle.set_active(db, actor, username, False))


@router.post("/users/{username}/activate", response_model=UserOut)
def activate_user(username: UsernamePath, db: DatabaseDep, actor: ActorDep) -> UserOut:
    """The account may log in again; tokens revoked before stay revoked."""
    return UserOut.of(lifecycle.set_active(db, actor, username, True))


@router.put("/users/{username}/role", response_model=UserOut)
def change_role(username: UsernamePath, body: RoleIn, db: DatabaseDep, actor: ActorDep) -> UserOut:
    """Every session and token of the user is revoked: the new role starts at the next login."""
    return UserOut.of(lifecycle.change_role(db, actor, username, body.role))


@router.put("/users/{username}/password", response_model=UserOut)
def set_password(
    username: UsernamePath, body: PasswordIn, db: DatabaseDep, actor: ActorDep
) -> UserOut:
    """An administrator sets a new password; every session and token of the user is revoked."""
    return UserOut.of(lifecycle.change_password(db, actor, username, body.password))


@router.get("/tokens", response_model=list[TokenInfoOut])
def list_tokens(
    db: DatabaseDep, actor: ActorDep, username: Annotated[str | None, Query(max_length=64)] = None
) -> list[TokenInfoOut]:
    return [TokenInfoOut.of(t) for t in accounts.list_tokens(db, actor, username)]


@router.post("/tokens", status_code=201)
def issue_token(body: TokenIn, db: DatabaseDep, actor: ActorDep) -> dict[str, object]:
    """The token is in this answer only; the platform keeps its hash."""
    issued = accounts.issue_token(db, actor, body.username, label=body.label, days=body.days)
    return {
        "id": issued.id,
        "token": issued.token,
        "token_type": "bearer",
        "expires_at": issued.expires_at,
    }


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)], db: DatabaseDep, actor: ActorDep
) -> Response:
    accounts.revoke_token(db, actor, token_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditEntryOut])
def list_audit(
    db: DatabaseDep,
    actor: ActorDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_name: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DATABASE_INT)] = 0,
) -> list[AuditEntryOut]:
    """Newest first."""
    filters = AuditFilter(entity, entity_id, actor_name, action, limit=limit, offset=offset)
    return [AuditEntryOut.of(e) for e in audit.list_entries(db, actor, filters)]


@router.get("/audit/export", response_class=Response, responses=CSV_ANSWER)
def export_audit(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[str | None, Query(max_length=32, description="ISO 8601, UTC")] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """CSV of the entries, oldest first, with their hashes."""
    out = io.StringIO()
    audit.export_entries(
        db, actor, out, AuditFilter(entity, since=since, until=until), origin=origin_of(request)
    )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/audit/verify", response_model=VerifyOut)
def verify_audit(db: DatabaseDep, actor: ActorDep) -> VerifyOut:
    result = audit.verify(db, actor)
    return VerifyOut(**result.__dict__)
