"""analytics (C3): the monthly cube cache

Revision ID: 0006_analytics
Revises: 0003_movements
Create Date: 2026-11-22 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_analytics"
down_revision = "0003_movements"
branch_labels = ("analytics",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_cube",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_cube")),
    )
    op.create_index(
        op.f("ix_analytics_cube_batch_id"), "analytics_cube", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_analytics_cube_lookup",
        "analytics_cube",
        ["indicator", "route_id", "dimension", "month"],
        unique=False,
    )
    op.create_table(
        "analytics_cube_batches",
        sa.Column("batch_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_analytics_cube_batches")),
    )


def downgrade() -> None:
    op.drop_table("analytics_cube_batches")
    op.drop_index("ix_analytics_cube_lookup", table_name="analytics_cube")
    op.drop_index(op.f("ix_analytics_cube_batch_id"), table_name="analytics_cube")
    op.drop_table("analytics_cube")
