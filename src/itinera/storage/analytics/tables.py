"""The analytics cube (C3): a rebuildable cache of monthly sums of the movement observations.

One row per import batch × indicator × route × month × breakdown (``dimension`` is ``total``,
``nationality``, ``sex``, ``age_group`` or ``country``; ``category`` the value, ``""`` for the
total or an unknown one). Only current (not superseded) monthly observations with a route are
summed. ``analytics_cube_batches`` lists the batches whose totals the cube holds and
``analytics_breakdown_batches`` those whose breakdowns it holds too (breakdowns are summed on the
first read that needs them, so that a large import reaches the dashboard's totals quickly).
``analytics_state`` holds one generation number, bumped whenever the cube's figures move without a
new batch (route re-attribution, rebuild): with the batch count and highest batch id it makes the
freshness token read on every request. Anything here can be dropped and rebuilt from
``observations`` (``itinera analytics refresh``).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, Index, Integer, String, Table, text

from itinera.storage.metadata import metadata
from itinera.storage.movements.tables import observations

__all__ = [
    "CUBE_COLUMNS",
    "DIMENSIONS",
    "SPAN_TERM",
    "analytics_breakdown_batches",
    "analytics_cube",
    "analytics_cube_batches",
    "analytics_state",
    "ix_analytics_cube_span",
    "ix_observations_superseded",
]

DIMENSIONS = ("total", "nationality", "sex", "age_group", "country")
# what a sum writes: every column of the cube but its id
CUBE_COLUMNS = (
    "batch_id",
    "source_id",
    "indicator",
    "route_id",
    "month",
    "dimension",
    "category",
    "value",
    "rows",
)

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

# The first and last month of an indicator (every new mortality question asks it): two probes
# of this index instead of a scan of the indicator's rows (issue 13). Partial (totals only), so
# that building the cube writes one index entry per total, not per breakdown row.
SPAN_TERM = "analytics_cube.dimension = 'total'"
ix_analytics_cube_span = Index(
    "ix_analytics_cube_span",
    analytics_cube.c.indicator,
    analytics_cube.c.month,
    sqlite_where=text(SPAN_TERM),
    postgresql_where=text(SPAN_TERM),
)

analytics_cube_batches = Table(
    "analytics_cube_batches",
    metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=False),
    Column("source_id", Integer, nullable=False),
)

analytics_breakdown_batches = Table(
    "analytics_breakdown_batches",
    metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=False),
)

analytics_state = Table(
    "analytics_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", Integer, nullable=False),
)

# Superseded observations by batch (a partial index: only superseded rows), so that a refresh
# finds in one probe whether a new batch superseded older figures (``_resum_superseded``).
ix_observations_superseded = Index(
    "ix_observations_superseded",
    observations.c.batch_id,
    sqlite_where=text("superseded = 1"),
    postgresql_where=text("superseded"),
)
