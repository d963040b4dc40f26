"""Tables of organisations, accounts, tokens and the audit trail (C8).

``audit_log`` is append-only: entries are only ever inserted, each carrying the hash of the
one before (``services/accounts/audit.py``); ``audit_chain_head`` holds the last id and hash,
is locked by every append on PostgreSQL, and lets ``verify`` notice a truncated tail.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    func,
    true,
)

from itinera.storage.metadata import metadata, timestamps

__all__ = ["api_tokens", "audit_chain_head", "audit_log", "organisations", "users"]

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("username_key", String(64), nullable=False, unique=True),  # case-folded
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(16), nullable=False),  # "session" (login) or "api" (machines)
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256, never the token
    Column("label", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # position in the chain
    Column("at", String(32), nullable=False),  # ISO 8601 UTC with microseconds, as hashed
    Column("actor_id", Integer, nullable=True),  # no foreign key: the trail outlives accounts
    Column("actor_name", String(64), nullable=False),
    Column("organisation_id", Integer, nullable=True),
    Column("action", String(64), nullable=False, index=True),
    Column("entity", String(64), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("purpose", String(64), nullable=True),
    Column("origin", String(64), nullable=True),
    Column("detail", JSON, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("note", Text, nullable=True),
)


organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    # case- and space-folded name: the same organisation is not entered twice
    Column("name_key", String(200), nullable=False, unique=True),
    Column("acronym", String(40), nullable=True),
    Column("type", String(32), nullable=False, server_default="other"),
    Column("country", String(3), nullable=True),
    *timestamps(),
)
