"""The year-totals cache of activities (C6, decisions 0015 and 0025): one row per activity and
year with the year's figures (each summed within a month over sex and age group, then the
largest month, the sum, the mean and the count of months with people reached) and, beside them,
what the gap matrix groups by (country, pillar, organisation, indicator, admin area) and the
people reached by the indicator's own method. An activity with no figure at all has one row of
year ``NO_FIGURES``. The matrix then reads this narrow table alone through its (year, country)
index; every write of an activity or its figures refreshes the activity's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
)
from sqlalchemy.orm import Session

from itinera.storage.activities.tables import activities, activity_figures, activity_year_totals

__all__ = ["NO_FIGURES", "refresh_year_totals"]

NO_FIGURES = 0  # the year of the one row of an activity that has reported nothing yet
_TOTALS = ["in_need_max", "targeted_max", "reached_sum", "reached_max", "reached_avg"]
_PLACE = ["country", "pillar", "organisation_id", "indicator", "area"]


def _place() -> list[ColumnElement[Any]]:
    a = activities.c
    return [
        a.country,
        a.pillar,
        a.organisation_id,
        func.coalesce(a.indicator, a.sector),
        func.lower(func.coalesce(a.adm1, "")),
    ]


def refresh_year_totals(
    session: Session,
    activity_ids: Sequence[int] | None = None,
    years: Sequence[int] | None = None,
) -> None:
    """Recompute the rows of some activities and years (all years when ``years`` is None), or
    the whole cache."""
    t, f, a = activity_year_totals.c, activity_figures.c, activities.c
    year = func.cast(func.substr(f.period, 1, 4), Integer)
    forget = delete(activity_year_totals)
    monthly = select(
        f.activity_id,
        year.label("year"),
        func.sum(f.in_need).label("need"),
        func.sum(f.targeted).label("target"),
        func.sum(f.reached).label("reach"),
    )
    if activity_ids is not None:
        forget = forget.where(t.activity_id.in_(list(activity_ids)))
        monthly = monthly.where(f.activity_id.in_(list(activity_ids)))
    if years is not None:
        forget = forget.where(t.year.in_([*years, NO_FIGURES]))
        monthly = monthly.where(year.in_(list(years)))
    session.execute(forget)
    m = monthly.group_by(f.activity_id, f.period).subquery().c
    yearly = (
        select(
            m.activity_id,
            m.year,
            func.max(m.need).label("in_need_max"),
            func.max(m.target).label("targeted_max"),
            func.sum(m.reach).label("reached_sum"),
            func.max(m.reach).label("reached_max"),
            func.avg(m.reach).label("reached_avg"),
            func.count(m.reach).label("reached_months"),
        )
        .group_by(m.activity_id, m.year)
        .subquery()
    )
    y = yearly.c
    method = a.aggregation
    reached = case(
        (y.reached_months == 0, null()),
        (method == "sum", y.reached_sum),
        (method == "average", y.reached_avg),
        (method == "count_sites", case((y.reached_max > 0, 1.0), else_=0.0)),
        else_=y.reached_max,
    )
    rows = select(
        y.activity_id,
        y.year,
        *[y[name] for name in _TOTALS],
        y.reached_months,
        *_place(),
        cast(reached, Float),
    ).join_from(yearly, activities, a.id == y.activity_id)
    columns = ["activity_id", "year", *_TOTALS, "reached_months", *_PLACE, "reached"]
    session.execute(insert(activity_year_totals).from_select(columns, rows))
    silent = select(a.id, literal(NO_FIGURES), literal(0), *_place()).where(
        ~select(f.activity_id).where(f.activity_id == a.id).exists()
    )
    if activity_ids is not None:
        silent = silent.where(a.id.in_(list(activity_ids)))
    session.execute(
        insert(activity_year_totals).from_select(
            ["activity_id", "year", "reached_months", *_PLACE], silent
        )
    )
