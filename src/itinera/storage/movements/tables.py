"""Tables of movement data (C2): indicators, sources, import batches, observations, incidents.

Designed for ~10M observation rows on SQLite: integer keys, date columns, short codes, and a
composite index (indicator, route_id, period_start) for the aggregates. Route names are kept
as written (``route_name``) with their folded key (``route_key``); ``route_id`` is resolved
through the catalogue aliases at import and re-resolved whenever aliases change.
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
    UniqueConstraint,
    false,
    func,
)

from itinera.storage.metadata import metadata

__all__ = ["import_batches", "indicators", "movement_incidents", "movement_sources", "observations"]

indicators = Table(
    "indicators",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("unit", String(16), nullable=False),
    Column("names", JSON, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("hxl", String(120), nullable=False),
    Column("synonyms", JSON, nullable=False),
    Column("preferred_sources", JSON, nullable=False),
)

movement_sources = Table(
    "movement_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("publisher", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, ForeignKey("movement_sources.id"), nullable=False, index=True),
    Column("reader", String(40), nullable=False),
    Column("dataset", Text, nullable=False),
    Column("vintage", String(40), nullable=True),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # "complete" (failed imports leave no row)
    Column("rows_read", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("observation_count", Integer, nullable=False),
    Column("incident_count", Integer, nullable=False),
    Column("derived_count", Integer, nullable=False),
    Column("issues", JSON, nullable=False),  # list of Issue.as_dict()
    Column("unmapped_routes", JSON, nullable=False),  # {route name: row count}
    Column("options", JSON, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # The last day the file covers (stated by the publisher, else its last incident date): a
    # month after it is not in the data, a month that holds it may be partial.
    Column("coverage_end", Date, nullable=True),
    # Figures, incidents and persons by means of route attribution (the import report's).
    Column("attribution", JSON, nullable=True),
    UniqueConstraint("file_sha256", "reader", name="uq_import_batches_file"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "batch_id",
        Integer,
        ForeignKey("import_batches.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("source_id", Integer, nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("period_kind", String(8), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("route_name", Text, nullable=True),
    Column("route_key", String(255), nullable=True, index=True),
    Column("route_id", String(64), nullable=True),
    Column("country", String(3), nullable=True),
    Column("place", Text, nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("sex", String(8), nullable=True),
    Column("age_group", String(8), nullable=True),
    Column("border_type", String(8), nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("derived", Boolean, nullable=False, server_default=false()),  # from incidents
    Column("superseded", Boolean, nullable=False, server_default=false()),  # newer vintage
    # 0 country, 1, 2 … admin area (``place``); NULL not stated. Totals sum one level only.
    Column("admin_level", Integer, nullable=True),
    Column("correction", Boolean, nullable=False, server_default=false()),  # publisher's own
    # How the route was found (domain.route_attribution.RouteMethod) and, by coordinates, the
    # distance to the nearest leg; for a derived figure, the farthest of its incidents.
    Column("route_method", String(16), nullable=True),
    Column("route_distance_km", Float, nullable=True),
    Index("ix_observations_indicator_route_period", "indicator", "route_id", "period_start"),
    Index("ix_observations_source_period", "source_id", "indicator", "period_start"),
)

movement_incidents = Table(
    "movement_incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "batch_id",
        Integer,
        ForeignKey("import_batches.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("source_id", Integer, nullable=False, index=True),
    Column("record_id", String(64), nullable=False),  # the publisher's id
    Column("incident_type", String(16), nullable=False),
    Column("date", Date, nullable=True, index=True),
    Column("dead", Integer, nullable=True),
    Column("missing", Integer, nullable=True),
    Column("survivors", Integer, nullable=True),
    Column("females", Integer, nullable=True),
    Column("males", Integer, nullable=True),
    Column("children", Integer, nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("route_name", Text, nullable=True),
    Column("route_key", String(255), nullable=True, index=True),
    Column("route_id", String(64), nullable=True),
    Column("country", String(3), nullable=True),
    Column("region", Text, nullable=True),
    Column("location", Text, nullable=True),
    Column("causes", JSON, nullable=False),
    Column("origins", JSON, nullable=False),
    Column("related_ids", JSON, nullable=False),
    Column("source_quality", String(40), nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("superseded", Boolean, nullable=False, server_default=false()),
    Column("route_method", String(16), nullable=True),
    Column("route_distance_km", Float, nullable=True),
)
