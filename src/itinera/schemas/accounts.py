"""Wire shapes of accounts, tokens and the audit trail (C8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from itinera.domain.access import Actor
from itinera.domain.account import TokenInfo, User
from itinera.domain.audit import AuditEntry
from itinera.domain.organisation import Organisation

__all__ = [
    "AuditEntryOut",
    "LoginIn",
    "LoginOut",
    "MeOut",
    "OrganisationIn",
    "OrganisationOut",
    "TokenIn",
    "TokenInfoOut",
    "UserIn",
    "UserOut",
    "VerifyOut",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(_Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class LoginOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime | None
    username: str
    role: str
    organisation_id: int | None


class MeOut(BaseModel):
    logged_in: bool
    username: str
    roles: list[str]
    user_id: int | None
    organisation_id: int | None

    @classmethod
    def of(cls, actor: Actor) -> MeOut:
        return cls(
            logged_in=actor.user_id is not None,
            username=actor.username,
            roles=sorted(r.value for r in actor.roles),
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
        )


class OrganisationIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    type: str = Field("other", max_length=32, description="un, ngo, state, …")
    acronym: str | None = Field(None, max_length=40)


class OrganisationOut(BaseModel):
    id: int | None
    name: str
    type: str
    acronym: str | None

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationOut:
        return cls(
            id=organisation.id,
            name=organisation.name,
            type=organisation.type.value,
            acronym=organisation.acronym,
        )


class UserIn(_Strict):
    username: str = Field(min_length=1, max_length=64)
    organisation: str = Field(min_length=1, max_length=200, description="name or acronym")
    role: str = Field(max_length=32)
    password: str = Field(min_length=1, max_length=1024)


class RoleIn(_Strict):
    role: str = Field(max_length=32)


class PasswordIn(_Strict):
    password: str = Field(min_length=1, max_length=1024)


class OwnPasswordIn(_Strict):
    current_password: str = Field(min_length=1, max_length=1024)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: int
    username: str
    organisation_id: int
    role: str
    active: bool
    locked_until: datetime | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            username=user.username,
            organisation_id=user.organisation_id,
            role=user.role.value,
            active=user.active,
            locked_until=user.locked_until,
        )


class TokenIn(_Strict):
    username: str = Field(min_length=1, max_length=64)
    label: str | None = Field(None, max_length=100)
    days: int | None = Field(90, ge=1, le=3650, description="null: never expires")


class TokenInfoOut(BaseModel):
    id: int
    username: str
    kind: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, info: TokenInfo) -> TokenInfoOut:
        return cls(
            id=info.id,
            username=info.username,
            kind=info.kind,
            label=info.label,
            created_at=info.created_at,
            expires_at=info.expires_at,
            revoked_at=info.revoked_at,
        )


class AuditEntryOut(BaseModel):
    id: int
    at: str
    actor_id: int | None
    actor_name: str
    organisation_id: int | None
    action: str
    entity: str
    entity_id: str
    purpose: str | None
    origin: str | None
    detail: dict[str, Any]
    entry_hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(**entry.content(), entry_hash=entry.entry_hash)


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None
    head_id: int
    head_hash: str
