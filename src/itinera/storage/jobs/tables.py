"""The ``jobs`` table: one row per job, its progress and heartbeat (decision 0016)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
    func,
)

from itinera.storage.metadata import metadata

__all__ = ["jobs"]

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("parameters", JSON, nullable=False),  # ids, codes, staged file names: no personal data
    Column("owner_id", Integer, nullable=True),  # the user, or none for the local operator
    Column("owner_name", String(120), nullable=False),
    Column("owner_roles", String(200), nullable=False),
    Column("organisation_id", Integer, nullable=True),
    Column("status", String(16), nullable=False, index=True),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("total", Integer, nullable=True),
    Column("message_key", String(64), nullable=False, server_default="queued"),
    Column("result", JSON, nullable=True),  # a reference (batch id, report key), not the data
    Column("error", Text, nullable=True),  # a sentence for the owner
    Column("cancel_requested", Boolean, nullable=False, server_default=false()),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("worker", String(120), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=True),
    Index("ix_jobs_owner", "owner_id", "owner_name"),
)
