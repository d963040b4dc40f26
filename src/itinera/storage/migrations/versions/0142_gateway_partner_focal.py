"""Digital Gateway: complaints passed to another organisation's focal point (C9)

Revision ID: 0142_gateway_partner_focal
Revises: 0140_gateway_search_gin
Create Date: 2026-12-01 23:20:00

A focal point with an organisation is a partner organisation's focal point: it sees only the
restricted complaints passed to its organisation (with the person's consent), where the
gateway's own focal points (no organisation) see every restricted complaint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0142_gateway_partner_focal"
down_revision = "0140_gateway_search_gin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_focal_points") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("gateway_submissions") as batch:
        batch.add_column(sa.Column("passed_to_organisation_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gateway_submissions") as batch:
        batch.drop_column("passed_to_organisation_id")
    with op.batch_alter_table("gateway_focal_points") as batch:
        batch.drop_column("organisation_id")
