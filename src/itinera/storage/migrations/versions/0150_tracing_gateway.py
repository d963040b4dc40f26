"""tracing (C10): an inquiry remembers the Digital Gateway submission it came from

Revision ID: 0150_tracing_gateway
Revises: 0030_tracing
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0150_tracing_gateway"
down_revision = "0030_tracing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tracing_requests") as batch:
        batch.add_column(sa.Column("gateway_submission", sa.String(32), nullable=True))
        batch.create_unique_constraint(
            "uq_tracing_requests_gateway_submission", ["gateway_submission"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tracing_requests") as batch:
        batch.drop_constraint("uq_tracing_requests_gateway_submission", type_="unique")
        batch.drop_column("gateway_submission")
