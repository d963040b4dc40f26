"""analytics (C3): a partial index (totals) for the first and last month of an indicator (issue 13)

Revision ID: 0400_analytics_span
Revises: 0007_analytics_generation
Create Date: 2026-12-02 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0400_analytics_span"
down_revision = "0007_analytics_generation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    term = sa.text("analytics_cube.dimension = 'total'")
    op.create_index(
        "ix_analytics_cube_span",
        "analytics_cube",
        ["indicator", "month"],
        sqlite_where=term,
        postgresql_where=term,
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_cube_span", table_name="analytics_cube")
