"""movement data (C2): indicators, sources, import batches, observations, incidents

Revision ID: 0003_movements
Revises: 0002_organisations
Create Date: 2026-11-22 02:58:25.754931
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_movements"
down_revision = "0002_organisations"
branch_labels = ("movements",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("hxl", sa.String(length=120), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("preferred_sources", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicators")),
    )
    op.create_table(
        "movement_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_movement_sources_key")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("reader", sa.String(length=40), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("vintage", sa.String(length=40), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("observation_count", sa.Integer(), nullable=False),
        sa.Column("incident_count", sa.Integer(), nullable=False),
        sa.Column("derived_count", sa.Integer(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("unmapped_routes", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "finished_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["movement_sources.id"],
            name=op.f("fk_import_batches_source_id_movement_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
        sa.UniqueConstraint("file_sha256", "reader", name="uq_import_batches_file"),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batches_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "movement_incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("incident_type", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("dead", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Integer(), nullable=True),
        sa.Column("survivors", sa.Integer(), nullable=True),
        sa.Column("females", sa.Integer(), nullable=True),
        sa.Column("males", sa.Integer(), nullable=True),
        sa.Column("children", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("route_name", sa.Text(), nullable=True),
        sa.Column("route_key", sa.String(length=255), nullable=True),
        sa.Column("route_id", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("causes", sa.JSON(), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("related_ids", sa.JSON(), nullable=False),
        sa.Column("source_quality", sa.String(length=40), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("superseded", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_movement_incidents_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_incidents")),
    )
    with op.batch_alter_table("movement_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_movement_incidents_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_movement_incidents_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_movement_incidents_route_key"), ["route_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_movement_incidents_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("route_name", sa.Text(), nullable=True),
        sa.Column("route_key", sa.String(length=255), nullable=True),
        sa.Column("route_id", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("age_group", sa.String(length=8), nullable=True),
        sa.Column("border_type", sa.String(length=8), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("derived", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("superseded", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_observations_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_observations_indicator_route_period",
            ["indicator", "route_id", "period_start"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_observations_route_key"), ["route_key"], unique=False)
        batch_op.create_index(
            "ix_observations_source_period",
            ["source_id", "indicator", "period_start"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_source_period")
        batch_op.drop_index(batch_op.f("ix_observations_route_key"))
        batch_op.drop_index("ix_observations_indicator_route_period")
        batch_op.drop_index(batch_op.f("ix_observations_batch_id"))

    op.drop_table("observations")
    with op.batch_alter_table("movement_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_movement_incidents_source_id"))
        batch_op.drop_index(batch_op.f("ix_movement_incidents_route_key"))
        batch_op.drop_index(batch_op.f("ix_movement_incidents_date"))
        batch_op.drop_index(batch_op.f("ix_movement_incidents_batch_id"))

    op.drop_table("movement_incidents")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batches_source_id"))

    op.drop_table("import_batches")
    op.drop_table("movement_sources")
    op.drop_table("indicators")
