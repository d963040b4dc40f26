"""tracing (C10): the rest of what a tracing request records about a person sought
(languages, profession, date of last contact, reason for separation, route, distinguishing
information), the request's medical urgency, and the steps a child's reunification waits for

Revision ID: 0580_tracing_details
Revises: 0150_tracing_gateway
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0580_tracing_details"
down_revision = "0150_tracing_gateway"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tracing_requests") as batch:
        batch.add_column(
            sa.Column("medical_urgency", sa.Boolean, nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("tracing_persons") as batch:
        batch.add_column(sa.Column("profession_enc", sa.Text, nullable=True))
        batch.add_column(sa.Column("distinguishing_info_enc", sa.Text, nullable=True))
        batch.add_column(sa.Column("languages", sa.JSON, nullable=True))
        batch.add_column(sa.Column("last_contact_date", sa.Date, nullable=True))
        batch.add_column(sa.Column("separation_reason", sa.String(32), nullable=True))
        batch.add_column(sa.Column("route_id", sa.String(64), nullable=True))
        batch.create_index(op.f("ix_tracing_persons_route_id"), ["route_id"])
    op.create_table(
        "tracing_reunification_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_id", sa.Integer, nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("finding", sa.String(64), nullable=False),
        sa.Column("note_enc", sa.Text, nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["tracing_candidates.id"],
            name=op.f("fk_tracing_reunification_steps_candidate_id_tracing_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_reunification_steps")),
    )
    op.create_index(
        op.f("ix_tracing_reunification_steps_candidate_id"),
        "tracing_reunification_steps",
        ["candidate_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_tracing_reunification_steps_candidate_id"), "tracing_reunification_steps"
    )
    op.drop_table("tracing_reunification_steps")
    with op.batch_alter_table("tracing_persons") as batch:
        batch.drop_index(op.f("ix_tracing_persons_route_id"))
        for column in (
            "route_id",
            "separation_reason",
            "last_contact_date",
            "languages",
            "distinguishing_info_enc",
            "profession_enc",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("tracing_requests") as batch:
        batch.drop_column("medical_urgency")
