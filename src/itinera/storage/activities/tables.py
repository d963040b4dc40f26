"""Tables of activities by pillar (C6): activities, their period figures, reporting periods,
corrections, import batches, the organisation registry's aliases and merge suggestions, and the
monitoring plan (indicators, baselines, targets and values entered directly)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from itinera.storage.metadata import metadata

__all__ = [
    "activities",
    "activity_corrections",
    "activity_figures",
    "activity_import_batches",
    "activity_periods",
    "activity_year_totals",
    "monitoring_indicators",
    "monitoring_targets",
    "organisation_aliases",
    "organisation_merge_suggestions",
]

activity_import_batches = Table(
    "activity_import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(120), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("format", String(16), nullable=False),
    Column("checksum", String(64), nullable=False, index=True),
    Column("rows_read", Integer, nullable=False),
    Column("imported_by", String(120), nullable=False),
    Column("report", JSON, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("programme_organisation_id", Integer, nullable=True),
    Column("funder_ids", JSON, nullable=False),
    Column("project_code", String(120), nullable=True),
    Column("sector", String(200), nullable=False),
    Column("pillar", Integer, nullable=False),
    Column("key_area", String(64), nullable=True),
    Column("service_types", JSON, nullable=False),
    Column("title", Text, nullable=False),
    Column("country", String(3), nullable=False, index=True),
    Column("adm1", String(200), nullable=True),
    Column("adm2", String(200), nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("population_group", String(120), nullable=True),
    Column("start", Date, nullable=True),
    Column("end", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("indicator", Text, nullable=True),
    Column("aggregation", String(16), nullable=False),
    Column("budget", Float, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("source", String(120), nullable=False),
    Column("external_id", String(120), nullable=True),
    Column("batch_id", Integer, nullable=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("source", "external_id", name="uq_activities_source_external_id"),
)

activity_figures = Table(
    "activity_figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "activity_id",
        Integer,
        ForeignKey("activities.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("period", String(7), nullable=False, index=True),
    Column("sex", String(8), nullable=False, server_default=""),
    Column("age_group", String(16), nullable=False, server_default=""),
    Column("in_need", Float, nullable=True),
    Column("targeted", Float, nullable=True),
    Column("reached", Float, nullable=True),
    Column("state", String(16), nullable=False),
    UniqueConstraint(
        "activity_id", "period", "sex", "age_group", name="uq_activity_figures_activity_id"
    ),
)

activity_periods = Table(
    "activity_periods",
    metadata,
    Column("period", String(7), primary_key=True),
    Column("open", Boolean, nullable=False),
    Column("changed_by", String(120), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

activity_corrections = Table(
    "activity_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("activity_id", Integer, nullable=False, index=True),
    Column("period", String(7), nullable=False),
    Column("before", JSON, nullable=False),
    Column("after", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("corrected_by", String(120), nullable=False),
    Column("corrected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

organisation_aliases = Table(
    "organisation_aliases",
    metadata,
    Column("alias_key", String(300), primary_key=True),
    Column("alias", String(300), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("origin", String(16), nullable=False),  # import · confirmed
)

organisation_merge_suggestions = Table(
    "organisation_merge_suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation_id", Integer, nullable=False, index=True),
    Column("candidate_id", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("state", String(16), nullable=False),  # pending · merged · rejected
    UniqueConstraint(
        "organisation_id", "candidate_id", name="uq_organisation_merge_suggestions_organisation_id"
    ),
)

monitoring_indicators = Table(
    "monitoring_indicators",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", JSON, nullable=False),  # {en, fr, ar}
    Column("definition", JSON, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("pillar", Integer, nullable=False),
    Column("direction", String(8), nullable=False),  # up · down
    Column("aggregation", String(16), nullable=False),
    Column("source", String(200), nullable=False),
    Column("frequency", String(16), nullable=False),
    Column("responsible", String(200), nullable=False),
    Column("reported_in", String(200), nullable=True),
    Column("baseline", Float, nullable=True),
    Column("baseline_period", String(7), nullable=True),
    Column("origin", String(16), nullable=False),  # reference · user
    Column("edited", Boolean, nullable=False),
)

monitoring_targets = Table(
    "monitoring_targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", String(64), nullable=False, index=True),
    Column("period", String(7), nullable=False),  # YYYY or YYYY-MM
    Column("country", String(3), nullable=False, server_default=""),
    Column("route_id", String(64), nullable=False, server_default=""),
    Column("kind", String(8), nullable=False),  # target · value (entered directly)
    Column("value", Float, nullable=False),
    UniqueConstraint(
        "indicator", "period", "country", "route_id", "kind", name="uq_monitoring_targets_indicator"
    ),
)

# A rebuildable cache of each activity's figures over one year (figures summed within a month
# over sex and age group, then across months) and what the gap matrix groups them by, written
# with the activity and its figures (storage/activities/year_totals.py): the matrix reads this
# table alone instead of grouping every report on each request.
activity_year_totals = Table(
    "activity_year_totals",
    metadata,
    Column(
        "activity_id",
        Integer,
        ForeignKey("activities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("year", Integer, primary_key=True, index=True),
    Column("in_need_max", Float, nullable=True),
    Column("targeted_max", Float, nullable=True),
    Column("reached_sum", Float, nullable=True),
    Column("reached_max", Float, nullable=True),
    Column("reached_avg", Float, nullable=True),
    Column("reached_months", Integer, nullable=False),
    # what the gap matrix groups by, copied from the activity (decision 0025)
    Column("country", String(3), nullable=True),
    Column("pillar", Integer, nullable=True),
    Column("organisation_id", Integer, nullable=True),
    Column("indicator", Text, nullable=True),  # the indicator, or the sector when none
    Column("area", String(200), nullable=True),  # admin area, lower-cased
    Column("reached", Float, nullable=True),  # by the indicator's own method
    Index("ix_activity_year_totals_year_country", "year", "country"),
)
