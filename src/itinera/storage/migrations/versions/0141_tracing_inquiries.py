"""Restoring family links: inquiries handed over by the Digital Gateway (C10)

Revision ID: 0141_tracing_inquiries
Revises: 0030_tracing
Create Date: 2026-12-01 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0141_tracing_inquiries"
down_revision = "0030_tracing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracing_inquiries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("text_enc", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_inquiries")),
        sa.UniqueConstraint("source", name=op.f("uq_tracing_inquiries_source")),
    )
    op.create_index(
        op.f("ix_tracing_inquiries_status"), "tracing_inquiries", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tracing_inquiries_status"), table_name="tracing_inquiries")
    op.drop_table("tracing_inquiries")
