"""Users and their tokens (sessions and API tokens, stored as hashes only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from itinera.domain.access import Role
from itinera.domain.account import TokenInfo, User, username_key
from itinera.domain.errors import ConflictError
from itinera.storage.accounts.tables import api_tokens, users

__all__ = ["AccountRepository"]


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- users ---

    def user_by_name(self, username: str) -> User | None:
        row = self.session.execute(
            select(users).where(users.c.username_key == username_key(username))
        ).first()
        return _user(row) if row else None

    def user(self, user_id: int) -> User | None:
        row = self.session.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        return [_user(r) for r in self.session.execute(select(users).order_by(users.c.username))]

    def add_user(self, username: str, organisation_id: int, role: Role, password_hash: str) -> User:
        try:
            result = self.session.execute(
                insert(users).values(
                    username=username.strip(),
                    username_key=username_key(username),
                    organisation_id=organisation_id,
                    role=role.value,
                    password_hash=password_hash,
                )
            )
        except IntegrityError:  # two creations raced; the unique key refused the second
            raise ConflictError(f"user {username.strip()!r} already exists") from None
        new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        return User(new_id, username.strip(), organisation_id, role)

    def update_user(self, user_id: int, **values: Any) -> None:
        self.session.execute(update(users).where(users.c.id == user_id).values(**values))

    # --- tokens ---

    def add_token(
        self,
        user_id: int,
        kind: str,
        token_hash: str,
        label: str | None,
        expires_at: datetime | None,
    ) -> int:
        result = self.session.execute(
            insert(api_tokens).values(
                user_id=user_id,
                kind=kind,
                token_hash=token_hash,
                label=label,
                expires_at=expires_at,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def token_owner(self, token_hash: str) -> tuple[TokenInfo, User] | None:
        row = self.session.execute(
            select(api_tokens, users.c.username)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        owner = self.user(row.user_id)
        return (_token(row), owner) if owner else None

    def tokens(self, user_id: int | None = None, kind: str | None = None) -> list[TokenInfo]:
        query = select(api_tokens, users.c.username).join(users, users.c.id == api_tokens.c.user_id)
        if user_id is not None:
            query = query.where(api_tokens.c.user_id == user_id)
        if kind is not None:
            query = query.where(api_tokens.c.kind == kind)
        return [_token(r) for r in self.session.execute(query.order_by(api_tokens.c.id))]

    def revoke(
        self,
        *,
        token_id: int | None = None,
        token_hash: str | None = None,
        user_id: int | None = None,
        at: datetime,
    ) -> int:
        query = update(api_tokens).where(api_tokens.c.revoked_at.is_(None))
        if token_id is not None:
            query = query.where(api_tokens.c.id == token_id)
        if token_hash is not None:
            query = query.where(api_tokens.c.token_hash == token_hash)
        if user_id is not None:
            query = query.where(api_tokens.c.user_id == user_id)
        return int(self.session.execute(query.values(revoked_at=at)).rowcount)  # type: ignore[attr-defined]

    def delete_tokens(self, token_ids: list[int]) -> None:
        if token_ids:
            self.session.execute(api_tokens.delete().where(api_tokens.c.id.in_(token_ids)))


def _user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        organisation_id=row.organisation_id,
        role=Role(row.role),
        active=bool(row.active),
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        password_hash=row.password_hash,
    )


def _token(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        user_id=row.user_id,
        username=row.username,
        kind=row.kind,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
