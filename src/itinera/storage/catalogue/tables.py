"""Tables of the route catalogue and reference data (C1).

Later capabilities add their own table modules; they all share ``metadata``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
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

from itinera.storage.metadata import metadata, timestamps

__all__ = [
    "legs",
    "places",
    "reference_items",
    "reference_versions",
    "route_aliases",
    "route_countries",
    "route_groups",
    "route_links",
    "routes",
]

places = Table(
    "places",
    metadata,
    Column("id", String(64), primary_key=True),  # ISO alpha-3 for countries
    Column("kind", String(16), nullable=False, index=True),
    Column("country", String(3), nullable=True, index=True),
    Column("names", JSON, nullable=False),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("origin", String(16), nullable=False, server_default="reference"),
)

route_groups = Table(
    "route_groups",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("names", JSON, nullable=False),
    Column("description", JSON, nullable=False),
    Column("origin", String(16), nullable=False, server_default="reference"),
)

routes = Table(
    "routes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("names", JSON, nullable=False),
    Column("description", JSON, nullable=False),
    Column("group_id", String(64), ForeignKey("route_groups.id"), nullable=True, index=True),
    Column("sources", JSON, nullable=False),
    # "reference" rows come from the catalogue; "user" rows were created in the app.
    Column("origin", String(16), nullable=False, server_default="reference"),
    # A user changed this catalogue route: reloading the catalogue must keep the change.
    Column("edited", Boolean, nullable=False, server_default=false()),
    Column("reference_checksum", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    *timestamps(),
)

route_aliases = Table(
    "route_aliases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "route_id",
        String(64),
        ForeignKey("routes.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("alias", Text, nullable=False),
    Column("alias_key", String(255), nullable=False, unique=True),
    Column("origin", String(16), nullable=False, server_default="reference"),
)

route_countries = Table(
    "route_countries",
    metadata,
    Column("route_id", String(64), ForeignKey("routes.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(64), ForeignKey("places.id"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("position", Integer, nullable=False),
)

legs = Table(
    "legs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "route_id",
        String(64),
        ForeignKey("routes.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("from_place", String(64), ForeignKey("places.id"), nullable=False),
    Column("to_place", String(64), ForeignKey("places.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("via_place", String(64), ForeignKey("places.id"), nullable=True),
    UniqueConstraint("route_id", "position", name="uq_legs_route_position"),
)

route_links = Table(
    "route_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("from_route", String(64), ForeignKey("routes.id", ondelete="CASCADE"), nullable=False),
    Column("to_route", String(64), ForeignKey("routes.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("source", Text, nullable=True),
    Column("note", JSON, nullable=False),
    Column("origin", String(16), nullable=False, server_default="reference"),
    UniqueConstraint("from_route", "to_route", "kind", name="uq_route_links_pair"),
)

reference_items = Table(
    "reference_items",
    metadata,
    Column("category", String(32), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("number", Integer, nullable=True),
    Column("names", JSON, nullable=False),
    Column("description", JSON, nullable=False),
    Column("source", Text, nullable=True),
    Column("position", Integer, nullable=False),
    Column("edited", Boolean, nullable=False, server_default=false()),
)

reference_versions = Table(
    "reference_versions",
    metadata,
    Column("file", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
