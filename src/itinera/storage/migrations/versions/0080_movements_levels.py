"""movement data (C2): admin level and correction flag of each figure, coverage end of a batch

Revision ID: 0080_movements_levels
Revises: 0003_movements
Create Date: 2026-12-01 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0080_movements_levels"
down_revision = "0003_movements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("observations", sa.Column("admin_level", sa.Integer(), nullable=True))
    op.add_column(
        "observations",
        sa.Column("correction", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("import_batches", sa.Column("coverage_end", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_batches") as batch_op:
        batch_op.drop_column("coverage_end")
    with op.batch_alter_table("observations") as batch_op:
        batch_op.drop_column("correction")
        batch_op.drop_column("admin_level")
