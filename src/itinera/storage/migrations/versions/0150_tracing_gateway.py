"""tracing (C10): an inquiry remembers the Digital Gateway submission it came from; records
received in PFIF are remembered (content digest) so that an import never overwrites silently

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
    op.create_table(
        "tracing_exchange_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("request_id", sa.String(20), nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("source_date", sa.String(20), nullable=False),
        sa.Column("note_status", sa.String(32), nullable=True),
        sa.Column("note_enc", sa.Text, nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_tracing_exchange_records_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["tracing_requests.id"],
            name=op.f("fk_tracing_exchange_records_request_id_tracing_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_exchange_records")),
        sa.UniqueConstraint("record_id", name=op.f("uq_tracing_exchange_records_record_id")),
    )


def downgrade() -> None:
    op.drop_table("tracing_exchange_records")
    with op.batch_alter_table("tracing_requests") as batch:
        batch.drop_constraint("uq_tracing_requests_gateway_submission", type_="unique")
        batch.drop_column("gateway_submission")
