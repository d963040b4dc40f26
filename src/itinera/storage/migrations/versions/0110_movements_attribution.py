"""movement data (C2): how each figure and incident got its route, the distance, the tally

Revision ID: 0110_movements_attribution
Revises: 0080_movements_levels
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0110_movements_attribution"
down_revision = "0080_movements_levels"
branch_labels = None
depends_on = None

_TABLES = ("observations", "movement_incidents")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("route_method", sa.String(16), nullable=True))
        op.add_column(table, sa.Column("route_distance_km", sa.Float(), nullable=True))
    op.add_column("import_batches", sa.Column("attribution", sa.JSON(), nullable=True))
    # Figures stored before: a route id came from the alias table (or the reader).
    for table in _TABLES:
        op.execute(f"UPDATE {table} SET route_method = 'alias' WHERE route_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("import_batches") as batch_op:
        batch_op.drop_column("attribution")
    for table in _TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("route_distance_km")
            batch_op.drop_column("route_method")
