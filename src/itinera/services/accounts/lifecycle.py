"""A user's life after creation (issue 10, item 11): deactivate and reactivate, change the
password, change the role.

Each change revokes every session and API token of the user, so that nothing issued under the
old state keeps working: re-activating an account does not revive its old tokens, and a stolen
password stops being useful the moment it is changed. Each change is audited (never the
password). Administrators change users of their own organisation (``scope``); anyone changes
their own password by giving the current one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from itinera.domain.access import Action, Actor, Role, require
from itinera.domain.account import User, check_role
from itinera.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.accounts.passwords import password_errors
from itinera.services.accounts.scope import require_own_organisation
from itinera.storage.accounts.account_repository import AccountRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = ["change_own_password", "change_password", "change_role", "set_active"]


def set_active(db: Database, actor: Actor, username: str, active: bool) -> User:
    """Deactivate (or reactivate) an account; its sessions and tokens are revoked either way."""
    require(actor, Action.MANAGE_USERS)
    if actor.username == username.strip() and not active:
        raise ValidationError.single("username", "you cannot deactivate your own account")
    with db.transaction(write=True) as session:
        user = _managed_user(session, actor, username)
        AccountRepository(session).update_user(user.id, active=active)
        revoked = _revoke_all(session, user)
        _audit(session, actor, user, "user.activate" if active else "user.deactivate", revoked)
        return _reloaded(session, user)


def change_role(db: Database, actor: Actor, username: str, role: str) -> User:
    require(actor, Action.MANAGE_USERS)
    errors = check_role(role)
    if errors:
        raise ValidationError(errors)
    with db.transaction(write=True) as session:
        user = _managed_user(session, actor, username)
        AccountRepository(session).update_user(user.id, role=Role(role).value)
        revoked = _revoke_all(session, user)
        _audit(session, actor, user, "user.role", revoked, {"from": user.role.value, "to": role})
        return _reloaded(session, user)


def change_password(db: Database, actor: Actor, username: str, password: str) -> User:
    """An administrator sets a new password (a forgotten one); the user's sessions end."""
    require(actor, Action.MANAGE_USERS)
    _check(password, username)
    hashed = accounts.hash_password(password)
    with db.transaction(write=True) as session:
        user = _managed_user(session, actor, username)
        return _set_password(session, actor, user, hashed)


def change_own_password(db: Database, actor: Actor, current: str, password: str) -> User:
    """The signed-in user changes their password; every session, this one too, ends."""
    if actor.user_id is None:
        raise PermissionDeniedError("only a signed-in user has a password to change")
    _check(password, actor.username)
    hashed = accounts.hash_password(password)
    with db.transaction(write=True) as session:
        user = AccountRepository(session).user(actor.user_id)
        if user is None or not accounts.verify_password(user.password_hash, current):
            raise ValidationError.single("current_password", "the current password is wrong")
        return _set_password(session, actor, user, hashed)


def _check(password: str, username: str) -> None:
    errors = password_errors(password, username=username)
    if errors:
        raise ValidationError(errors)


def _set_password(session: UnitOfWork, actor: Actor, user: User, hashed: str) -> User:
    AccountRepository(session).update_user(
        user.id, password_hash=hashed, failed_logins=0, locked_until=None
    )
    revoked = _revoke_all(session, user)
    _audit(session, actor, user, "user.password", revoked)
    return _reloaded(session, user)


def _managed_user(session: UnitOfWork, actor: Actor, username: str) -> User:
    user = AccountRepository(session).user_by_name(username)
    if user is None:
        raise NotFoundError(f"no user called {username!r}")
    require_own_organisation(actor, user.organisation_id, f"user called {username!r}")
    return user


def _revoke_all(session: UnitOfWork, user: User) -> int:
    return AccountRepository(session).revoke(user_id=user.id, at=datetime.now(UTC))


def _reloaded(session: UnitOfWork, user: User) -> User:
    found = AccountRepository(session).user(user.id)
    assert found is not None
    return found


def _audit(
    session: UnitOfWork,
    actor: Actor,
    user: User,
    action: str,
    revoked: int,
    detail: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity="user",
        entity_id=str(user.id),
        purpose="administration",
        detail={**(detail or {}), "tokens_revoked": revoked},
    )
