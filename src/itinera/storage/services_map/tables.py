"""Tables of service mapping (C5): service points, their offers, sectors, import batches."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

from itinera.storage.metadata import metadata

__all__ = [
    "service_import_batches",
    "service_mappings",
    "service_offers",
    "service_point_organisations",
    "service_points",
    "service_sectors",
]

service_import_batches = Table(
    "service_import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(120), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("format", String(16), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("imported_by", String(120), nullable=False),
    Column("report", JSON, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

service_points = Table(
    "service_points",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("country", String(3), nullable=True, index=True),
    Column("admin_area", String(200), nullable=True),
    Column("locality", String(200), nullable=True),
    Column("populations", JSON, nullable=False),
    Column("contacts", JSON, nullable=False),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("status_since", Date, nullable=True),
    Column("status_until", Date, nullable=True),
    Column("last_verified", Date, nullable=True),
    Column("verified_by", String(120), nullable=True),
    # (source, external_id) identifies a record across re-imports of the same publisher's file
    Column("source", String(120), nullable=True),
    Column("external_id", String(200), nullable=True),
    Column("batch_id", Integer, ForeignKey("service_import_batches.id"), nullable=True, index=True),
    Column("notes", Text, nullable=True),
    Column("extra", JSON, nullable=False),
    Column("fingerprint", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("source", "external_id", name="uq_service_points_source_external"),
)

service_point_organisations = Table(
    "service_point_organisations",
    metadata,
    Column(
        "point_id",
        Integer,
        ForeignKey("service_points.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), primary_key=True),
)

service_offers = Table(
    "service_offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "point_id",
        Integer,
        ForeignKey("service_points.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("service_type", String(64), nullable=False, index=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("eligibility", Text, nullable=True),
    Column("cost", String(200), nullable=True),
    Column("languages", JSON, nullable=False),
    Column("opening_hours", String(200), nullable=True),
    Column("referral_required", Boolean, nullable=False, server_default=false()),
)

service_sectors = Table(
    "service_sectors",
    metadata,
    # case- and space-folded sector label as publishers write it ("water & sanitation")
    Column("sector_key", String(200), primary_key=True),
    Column("sector", String(200), nullable=False),
    # null: the sector has no service meaning (coordination, logistics…): reported, not stored
    Column("service_type", String(64), nullable=True),
    Column("origin", String(16), nullable=False, server_default="reference"),
)

service_mappings = Table(
    "service_mappings",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("mapping", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
