"""monitoring (C11): survey import batches (the same file answers "unchanged") and the survey's
smuggler answers

Revision ID: 0160_monitoring_survey_batches
Revises: 0040_monitoring
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0160_monitoring_survey_batches"
down_revision = "0040_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("risk_observations", sa.Column("smuggler_used", sa.Boolean(), nullable=True))
    op.add_column("risk_observations", sa.Column("smuggler_cost_usd", sa.Float(), nullable=True))
    op.create_table(
        "field_import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("reader", sa.String(length=40), nullable=False),
        sa.Column("route_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_import_batches")),
    )
    op.create_index(
        op.f("ix_field_import_batches_file_sha256"),
        "field_import_batches",
        ["file_sha256"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_field_import_batches_file_sha256"), table_name="field_import_batches")
    op.drop_table("field_import_batches")
    with op.batch_alter_table("risk_observations") as batch_op:
        batch_op.drop_column("smuggler_cost_usd")
        batch_op.drop_column("smuggler_used")
