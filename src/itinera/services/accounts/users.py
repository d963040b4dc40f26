"""Organisations, users, login, sessions and API tokens (C8).

Passwords are hashed with Argon2id. A login that fails says the same thing, after the same
work, whether the user exists, is inactive or the password is wrong. Accounts are never locked
by failures (that would let anyone lock a victim out); the web layer slows the address that
fails instead. Sessions and API tokens are random strings of which only a SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from itinera.config import Settings
from itinera.domain.access import Action, Actor, AuthenticationError, Role, require
from itinera.domain.account import TokenInfo, User, check_new_user
from itinera.domain.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from itinera.domain.organisation import Organisation, OrganisationType
from itinera.services.accounts import audit
from itinera.services.accounts.passwords import password_errors
from itinera.services.accounts.scope import (
    is_platform_operator,
    require_own_organisation,
    require_platform_operator,
    require_self_or_operator,
)
from itinera.storage.accounts.account_repository import AccountRepository
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.database import Database

__all__ = [
    "LOGIN_FAILED",
    "IssuedToken",
    "LoginPolicy",
    "actor_for_session",
    "actor_for_token",
    "authenticate",
    "create_organisation",
    "create_user",
    "dummy_hash",
    "hash_password",
    "issue_token",
    "list_organisations",
    "list_tokens",
    "list_users",
    "logout",
    "revoke_token",
    "token_hash",
    "verify_password",
]

log = logging.getLogger(__name__)
LOGIN_FAILED = "wrong username or password"
_HASHER = PasswordHasher()  # Argon2id, argon2-cffi's current recommended parameters


@cache
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, computed at first need (an
    Argon2 hash is deliberately slow: not at import)."""
    return _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class LoginPolicy:
    session_hours: int = 8

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        return cls(settings.session_hours)


@dataclass(frozen=True)
class IssuedToken:
    """Shown once: only its hash is kept."""

    id: int
    token: str
    expires_at: datetime | None
    actor: Actor


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    return _verify(hashed, password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


# --- organisations and users --------------------------------------------------------------


def create_organisation(
    db: Database, actor: Actor, name: str, type: str = "other", acronym: str | None = None
) -> Organisation:
    require(actor, Action.MANAGE_ORGANISATIONS)
    require_platform_operator(actor, "creating an organisation")
    errors = []
    if not name.strip() or len(name) > 200:
        errors.append(FieldError("name", "1 to 200 characters"))
    if type not in {t.value for t in OrganisationType}:
        known = ", ".join(t.value for t in OrganisationType)
        errors.append(FieldError("type", f"unknown organisation type {type!r}; one of {known}"))
    if acronym is not None and not 0 < len(acronym.strip()) <= 40:
        errors.append(FieldError("acronym", "1 to 40 characters"))
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        repository = OrganisationRepository(session)
        if repository.by_name(name) is not None:
            raise ConflictError(f"organisation {name.strip()!r} already exists")
        created = repository.add(
            Organisation(
                None, name.strip(), OrganisationType(type), acronym.strip() if acronym else None
            )
        )
        audit.record(
            session,
            actor,
            action="organisation.create",
            entity="organisation",
            entity_id=str(created.id),
            purpose="administration",
        )
        return created


def list_organisations(db: Database) -> list[Organisation]:
    """Organisations are public knowledge (referral receivers, service operators)."""
    with db.transaction() as session:
        return OrganisationRepository(session).list()


def create_user(
    db: Database, actor: Actor, username: str, organisation_name: str, role: str, password: str
) -> User:
    require(actor, Action.MANAGE_USERS)
    errors = check_new_user(username, role, password)
    if not errors:
        errors = password_errors(password, username=username)
    if errors:
        raise ValidationError(errors)
    hashed = _HASHER.hash(password)
    with db.transaction() as session:
        organisation = OrganisationRepository(session).by_name(organisation_name)
        if organisation is None or organisation.id is None:
            raise ValidationError.single(
                "org", f"no organisation called {organisation_name!r} (itinera orgs list)"
            )
        if not is_platform_operator(actor) and organisation.id != actor.organisation_id:
            raise PermissionDeniedError(
                "administrators create users of their own organisation only",
                hint="the platform operator creates users of other organisations (itinera users)",
            )
        accounts = AccountRepository(session)
        if accounts.user_by_name(username) is not None:
            raise ConflictError(f"user {username.strip()!r} already exists")
        user = accounts.add_user(username, organisation.id, Role(role), hashed)
        audit.record(
            session,
            actor,
            action="user.create",
            entity="user",
            entity_id=str(user.id),
            purpose="administration",
            detail={"role": role, "organisation_id": organisation.id},
        )
        return user


def list_users(db: Database, actor: Actor) -> list[User]:
    require(actor, Action.MANAGE_USERS)
    with db.transaction() as session:
        return [
            u
            for u in AccountRepository(session).list_users()
            if is_platform_operator(actor) or u.organisation_id == actor.organisation_id
        ]


# --- login ---------------------------------------------------------------------------------


def authenticate(
    db: Database,
    username: str,
    password: str,
    origin: str | None = None,
    *,
    policy: LoginPolicy | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    """Check the password and open a session; :data:`LOGIN_FAILED` on any failure."""
    policy, now = policy or LoginPolicy(), now or _now()
    with db.transaction() as session:
        accounts = AccountRepository(session)
        user = accounts.user_by_name(username)
        # One Argon2 verification on every path, so the answer takes as long whether the
        # account exists, is inactive, or the password is wrong (issue 10, item 13).
        hashed = user.password_hash if user is not None and user.active else dummy_hash()
        matches = _verify(hashed, password)
        if user is None or not user.active:
            log.info("login refused (no such active account)")
            raise _refused()
        if not matches:
            # No account lockout: anyone could lock a victim out with a few requests. The web
            # layer slows the failing address instead (web/login_limit.py); failures are
            # counted and audited so that a distributed attack on one account shows.
            failures = user.failed_logins + 1
            accounts.update_user(user.id, failed_logins=failures, locked_until=None)
            audit.record(
                session,
                user.actor(),
                action="auth.login_failed",
                entity="user",
                entity_id=str(user.id),
                origin=origin,
                detail={"failures": failures},
            )
            log.info("login refused for account %d (%d failures)", user.id, failures)
            session.commit()  # keep the count although the login fails
            raise _refused()
        changes: dict[str, object] = {
            "failed_logins": 0,
            "locked_until": None,
            "last_login_at": now,
        }
        if _HASHER.check_needs_rehash(user.password_hash):
            changes["password_hash"] = _HASHER.hash(password)
        accounts.update_user(user.id, **changes)
        expires = now + timedelta(hours=policy.session_hours)
        issued = _issue(accounts, user, "session", None, expires)
        audit.record(
            session,
            user.actor(),
            action="auth.login",
            entity="user",
            entity_id=str(user.id),
            origin=origin,
        )
        return issued


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _refused() -> AuthenticationError:
    return AuthenticationError(LOGIN_FAILED, hint="ask an administrator if you forgot it")


def _issue(
    accounts: AccountRepository,
    user: User,
    kind: str,
    label: str | None,
    expires: datetime | None,
) -> IssuedToken:
    token = "itn_" + secrets.token_urlsafe(32)
    token_id = accounts.add_token(user.id, kind, token_hash(token), label, expires)
    return IssuedToken(token_id, token, expires, user.actor())


def logout(db: Database, token: str) -> bool:
    """End the session or token presented; True when one was open."""
    with db.transaction() as session:
        found = AccountRepository(session).token_owner(token_hash(token))
        if found is None:
            return False
        info, user = found
        closed = AccountRepository(session).revoke(token_id=info.id, at=_now()) > 0
        if closed:
            audit.record(
                session, user.actor(), action="auth.logout", entity="user", entity_id=str(user.id)
            )
        return closed


def actor_for_token(db: Database, token: str, *, now: datetime | None = None) -> Actor | None:
    """Whose token (session or API) this is, if it is still valid."""
    if not token.startswith("itn_") or len(token) > 200:
        return None
    with db.transaction() as session:
        found = AccountRepository(session).token_owner(token_hash(token))
    if found is None:
        return None
    info, user = found
    if not info.usable_at(now or _now()) or not user.active:
        return None
    return user.actor()


actor_for_session = actor_for_token
"""Sessions are tokens of kind ``session`` carried in a cookie: the same lookup."""


# --- API tokens ----------------------------------------------------------------------------


def issue_token(
    db: Database,
    actor: Actor,
    username: str,
    *,
    label: str | None = None,
    days: int | None = 90,
) -> IssuedToken:
    """A token for a machine acting as ``username``; ``days=None`` never expires."""
    require(actor, Action.MANAGE_TOKENS)
    if days is not None and days < 1:
        raise ValidationError.single("days", "at least 1 day")
    with db.transaction() as session:
        accounts = AccountRepository(session)
        user = accounts.user_by_name(username)
        if user is None:
            raise NotFoundError(f"no user called {username!r}")
        require_own_organisation(actor, user.organisation_id, f"user called {username!r}")
        require_self_or_operator(actor, user.id)
        expires = _now() + timedelta(days=days) if days is not None else None
        issued = _issue(accounts, user, "api", label, expires)
        audit.record(
            session,
            actor,
            action="token.issue",
            entity="api_token",
            entity_id=str(issued.id),
            purpose="administration",
            detail={"user_id": user.id},
        )
        return issued


def revoke_token(db: Database, actor: Actor, token_id: int) -> None:
    require(actor, Action.MANAGE_TOKENS)
    with db.transaction() as session:
        accounts = AccountRepository(session)
        owner = next((t for t in accounts.tokens() if t.id == token_id), None)
        owner_user = accounts.user(owner.user_id) if owner else None
        if owner_user is not None:
            require_own_organisation(actor, owner_user.organisation_id, f"token {token_id}")
        if accounts.revoke(token_id=token_id, at=_now()) == 0:
            raise NotFoundError(f"no open token with id {token_id}")
        audit.record(
            session,
            actor,
            action="token.revoke",
            entity="api_token",
            entity_id=str(token_id),
            purpose="administration",
        )


def list_tokens(db: Database, actor: Actor, username: str | None = None) -> list[TokenInfo]:
    require(actor, Action.MANAGE_TOKENS)
    with db.transaction() as session:
        accounts = AccountRepository(session)
        user_id = None
        if username is not None:
            user = accounts.user_by_name(username)
            if user is None:
                raise NotFoundError(f"no user called {username!r}")
            require_own_organisation(actor, user.organisation_id, f"user called {username!r}")
            user_id = user.id
        if is_platform_operator(actor):
            return accounts.tokens(user_id)
        own = {u.id for u in accounts.list_users() if u.organisation_id == actor.organisation_id}
        return [t for t in accounts.tokens(user_id) if t.user_id in own]
