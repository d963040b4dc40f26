"""User accounts and their tokens, as plain values (no storage, no hashing library)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from itinera.domain.access import Actor, Role
from itinera.domain.errors import FieldError

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "TokenInfo",
    "User",
    "aware",
    "check_new_user",
    "check_password",
    "check_role",
    "username_key",
]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")


def username_key(username: str) -> str:
    return username.strip().casefold()


def aware(moment: datetime | None) -> datetime | None:
    """Datetimes from SQLite come back naive; every stored instant is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    organisation_id: int
    role: Role
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    password_hash: str = field(default="", repr=False)

    def locked_at(self, now: datetime) -> bool:
        until = aware(self.locked_until)
        return until is not None and until > now

    def actor(self) -> Actor:
        return Actor(self.username, frozenset({self.role}), self.id, self.organisation_id)


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself, which is shown once when issued."""

    id: int
    user_id: int
    username: str
    kind: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def usable_at(self, now: datetime) -> bool:
        expires = aware(self.expires_at)
        return self.revoked_at is None and (expires is None or expires > now)


def check_new_user(username: str, role: str, password: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not _USERNAME.match(username.strip()):
        errors.append(
            FieldError(
                "username", "2 to 64 letters, digits or . _ @ -, starting with a letter or digit"
            )
        )
    return errors + check_role(role) + check_password(password)


def check_role(role: str) -> list[FieldError]:
    if role not in {r.value for r in Role} or role == Role.PUBLIC.value:
        allowed = ", ".join(r.value for r in Role if r is not Role.PUBLIC)
        return [FieldError("role", f"unknown role {role!r}; one of {allowed}")]
    return []


def check_password(password: str) -> list[FieldError]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            FieldError(
                "password", f"at least {MIN_PASSWORD_LENGTH} characters (a passphrase is best)"
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [FieldError("password", f"at most {MAX_PASSWORD_LENGTH} characters")]
    return []
