"""The analytics cube (C3): a rebuildable cache of monthly sums of the movement observations.

One row per import batch × indicator × route × month × breakdown (``dimension`` is ``total``,
``nationality``, ``sex``, ``age_group`` or ``country``; ``category`` the value, ``""`` for the
total or an unknown one). Only current (not superseded) monthly observations with a route are
summed. ``analytics_cube_batches`` lists the batches the cube reflects; anything here can be
dropped and rebuilt from ``observations`` (``itinera analytics refresh``).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, Index, Integer, String, Table

from itinera.storage.tables import metadata

__all__ = ["DIMENSIONS", "analytics_cube", "analytics_cube_batches"]

DIMENSIONS = ("total", "nationality", "sex", "age_group", "country")

analytics_cube = Table(
    "analytics_cube",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, nullable=False, index=True),
    Column("source_id", Integer, nullable=False),
    Column("indicator", String(40), nullable=False),
    Column("route_id", String(64), nullable=False),
    Column("month", Date, nullable=False),
    Column("dimension", String(16), nullable=False),
    Column("category", String(16), nullable=False),
    Column("value", Float, nullable=False),
    Column("rows", Integer, nullable=False),
    Index("ix_analytics_cube_lookup", "indicator", "route_id", "dimension", "month"),
)

analytics_cube_batches = Table(
    "analytics_cube_batches",
    metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=False),
    Column("source_id", Integer, nullable=False),
)
