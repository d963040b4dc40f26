"""Stored route reports (C4): each rendered file, keyed by its parameters and the freshness
token of the data it was built from, so that the same request is served from here until the
data change. Rows are a cache: deleting them only costs a new rendering."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, String, Table, func

from itinera.storage.metadata import metadata

__all__ = ["report_files"]

report_files = Table(
    "report_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),  # sha256 of parameters + token
    Column("route_id", String(64), nullable=False),
    Column("parameters", String(400), nullable=False),
    Column("token", String(200), nullable=False),
    Column("media_type", String(40), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
