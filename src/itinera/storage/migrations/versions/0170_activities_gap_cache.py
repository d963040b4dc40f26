"""activities by pillar (C6): the year-totals cache carries what the gap matrix groups by
(country, pillar, organisation, indicator, area, reached by the indicator's method), with a
(year, country) index, and one row of year 0 for each activity with no figure (decision 0025)

Revision ID: 0170_activities_gap_cache
Revises: 0050_activities
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0170_activities_gap_cache"
down_revision = "0050_activities"
branch_labels = None
depends_on = None

_ACTIVITY = "(SELECT {} FROM activities a WHERE a.id = activity_year_totals.activity_id)"
_AREA = "lower(coalesce(a.adm1, ''))"
_REACHED = (
    "CASE a.aggregation WHEN 'sum' THEN activity_year_totals.reached_sum "
    "WHEN 'average' THEN activity_year_totals.reached_avg "
    "WHEN 'count_sites' THEN CASE WHEN activity_year_totals.reached_max > 0 THEN 1.0 ELSE 0.0 END "
    "ELSE activity_year_totals.reached_max END"
)


def upgrade() -> None:
    with op.batch_alter_table("activity_year_totals") as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("pillar", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("indicator", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("area", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reached", sa.Float(), nullable=True))
    op.create_index(
        "ix_activity_year_totals_year_country",
        "activity_year_totals",
        ["year", "country"],
        unique=False,
    )
    # the rows already cached take their activity's place and method
    op.execute(
        "UPDATE activity_year_totals SET "
        f"country = {_ACTIVITY.format('a.country')}, "
        f"pillar = {_ACTIVITY.format('a.pillar')}, "
        f"organisation_id = {_ACTIVITY.format('a.organisation_id')}, "
        f"indicator = {_ACTIVITY.format('coalesce(a.indicator, a.sector)')}, "
        f"area = {_ACTIVITY.format(_AREA)}, "
        "reached = CASE WHEN reached_months = 0 THEN NULL "
        f"ELSE {_ACTIVITY.format(_REACHED)} END"
    )
    op.execute(
        "INSERT INTO activity_year_totals "
        "(activity_id, year, reached_months, country, pillar, organisation_id, indicator, area) "
        "SELECT a.id, 0, 0, a.country, a.pillar, a.organisation_id, "
        "coalesce(a.indicator, a.sector), lower(coalesce(a.adm1, '')) FROM activities a "
        "WHERE NOT EXISTS (SELECT 1 FROM activity_figures f WHERE f.activity_id = a.id)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM activity_year_totals WHERE year = 0")
    op.drop_index("ix_activity_year_totals_year_country", table_name="activity_year_totals")
    with op.batch_alter_table("activity_year_totals") as batch_op:
        for name in ("reached", "area", "indicator", "organisation_id", "pillar", "country"):
            batch_op.drop_column(name)
