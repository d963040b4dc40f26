"""Tables of field monitoring (C11): protection-risk observations and field notes.

Entries hold no names (free text that looks identifying is refused before it gets here); the
recording user is kept by name, like the audit trail, without a foreign key. ``batch_id`` names
the import batch an entry came from (empty for entries typed on a page or sent to the API).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
)

from itinera.storage.metadata import metadata

__all__ = ["field_import_batches", "field_notes", "risk_observations"]

risk_observations = Table(
    "risk_observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("route_id", String(64), nullable=False),
    Column("incident_type", String(40), nullable=False),
    Column("perpetrator", String(40), nullable=False),
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=False),
    Column("place", String(200), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("leg", Integer, nullable=True),
    Column("persons", Integer, nullable=True),
    Column("sex", String(16), nullable=False),
    Column("age_group", String(16), nullable=False),
    Column("source_type", String(40), nullable=False),
    Column("reliability", String(1), nullable=False),
    Column("credibility", String(1), nullable=False),
    Column("confidentiality", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("batch_id", Integer, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Survey answers (4Mi): did the respondent use a smuggler, and what did the journey cost
    Column("smuggler_used", Boolean, nullable=True),
    Column("smuggler_cost_usd", Float, nullable=True),
    # date_to too: a period's entries are found in the index alone (issue 16)
    Index("ix_risk_observations_route_period", "route_id", "date_from", "date_to"),
)

field_notes = Table(
    "field_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("route_id", String(64), nullable=False),
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=False),
    Column("place", String(200), nullable=True),
    Column("tags", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("confidentiality", String(16), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("batch_id", Integer, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_field_notes_route_period", "route_id", "date_from", "date_to"),
)

# One row per imported file: the same file (same SHA-256, reader and route) answers "unchanged".
field_import_batches = Table(
    "field_import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_sha256", String(64), nullable=False, index=True),
    Column("reader", String(40), nullable=False),
    Column("route_id", String(64), nullable=False, server_default=""),  # chosen for the file
    Column("file_name", String(255), nullable=False),
    Column("added", Integer, nullable=False),
    Column("imported_by", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
