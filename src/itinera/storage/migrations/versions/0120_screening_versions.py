"""casework (issue 12): screening rule versions, and the version each screening used

Revision ID: 0120_screening_versions
Revises: 0005_casework
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0120_screening_versions"
down_revision = "0005_casework"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("questionnaire_text", sa.Text(), nullable=False),
        sa.Column("rules_text", sa.Text(), nullable=False),
        sa.Column("pathways_text", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("activated_by", sa.String(length=64), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_versions")),
    )
    with op.batch_alter_table("case_screenings") as batch:
        batch.add_column(sa.Column("screening_version_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_screenings") as batch:
        batch.drop_column("screening_version_id")
    op.drop_table("screening_versions")
