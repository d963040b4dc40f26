"""monitoring (C11): risk observations and field notes; stored route reports (C4)

Revision ID: 0040_monitoring
Revises: 0002_organisations
Create Date: 2026-12-01 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040_monitoring"
down_revision = "0002_organisations"
branch_labels = ("monitoring",)
depends_on = None


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "risk_observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("incident_type", sa.String(length=40), nullable=False),
        sa.Column("perpetrator", sa.String(length=40), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("leg", sa.Integer(), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("age_group", sa.String(length=16), nullable=False),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.String(length=1), nullable=False),
        sa.Column("confidentiality", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_risk_observations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_observations")),
    )
    op.create_index(
        "ix_risk_observations_route", "risk_observations", ["route_id", "date_from"], unique=False
    )
    op.create_table(
        "field_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.String(length=16), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_field_notes_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_notes")),
    )
    op.create_index("ix_field_notes_route", "field_notes", ["route_id", "date_from"], unique=False)
    op.create_table(
        "report_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("parameters", sa.String(length=400), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_files")),
        sa.UniqueConstraint("key", name=op.f("uq_report_files_key")),
    )


def downgrade() -> None:
    op.drop_table("report_files")
    op.drop_index("ix_field_notes_route", table_name="field_notes")
    op.drop_table("field_notes")
    op.drop_index("ix_risk_observations_route", table_name="risk_observations")
    op.drop_table("risk_observations")
