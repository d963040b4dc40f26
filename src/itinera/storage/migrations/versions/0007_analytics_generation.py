"""analytics (C3): breakdowns summed on demand, generation number, superseded rows index

Revision ID: 0007_analytics_generation
Revises: 0006_analytics
Create Date: 2026-11-22 04:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_analytics_generation"
down_revision = "0006_analytics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_breakdown_batches",
        sa.Column("batch_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_analytics_breakdown_batches")),
    )
    state = op.create_table(
        "analytics_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_state")),
    )
    op.bulk_insert(state, [{"id": 1, "generation": 0}])
    op.create_index(
        "ix_observations_superseded",
        "observations",
        ["batch_id"],
        sqlite_where=sa.text("superseded = 1"),
        postgresql_where=sa.text("superseded"),
    )
    # batches summed before this revision carry their breakdowns already
    op.execute(
        "INSERT INTO analytics_breakdown_batches (batch_id) "
        "SELECT batch_id FROM analytics_cube_batches"
    )


def downgrade() -> None:
    op.drop_index("ix_observations_superseded", table_name="observations")
    op.drop_table("analytics_state")
    op.drop_table("analytics_breakdown_batches")
