"""monitoring (C11): the route index also holds each entry's last day, so that a report reads
only its period's entries (not every earlier entry of the route) — issue 16

Revision ID: 0300_monitoring_period_index
Revises: 0160_monitoring_survey_batches
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0300_monitoring_period_index"
down_revision = "0160_monitoring_survey_batches"
branch_labels = None
depends_on = None

TABLES = ("risk_observations", "field_notes")


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_route", table_name=table)
        op.create_index(f"ix_{table}_route_period", table, ["route_id", "date_from", "date_to"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_route_period", table_name=table)
        op.create_index(f"ix_{table}_route", table, ["route_id", "date_from"])
