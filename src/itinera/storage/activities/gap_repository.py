"""The gap matrix's cells in one grouped query (C6, decision 0025).

The four steps of ``domain.gap_matrix`` run in SQL over the cached year totals: each activity's
year figures by its indicator's method, the largest partner per indicator and admin area, the
sum over areas, the largest indicator per pillar; beside them the organisations and activities
counted per country and pillar. The answer is one row per cell (at most countries × 6), so no
activity passes through Python on a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal, null, select
from sqlalchemy.orm import Session

from itinera.domain.gap_matrix import CellFigures
from itinera.storage.activities.tables import activities, activity_figures, activity_year_totals

__all__ = ["GapRepository", "without_figures_in"]


def without_figures_in(year: int) -> ColumnElement[bool]:
    """An activity with no figure at all whose dates cover ``year``: present, without figures
    (the matrix counts it, and its drill-down lists it)."""
    a, f = activities.c, activity_figures.c
    return and_(
        ~select(f.activity_id).where(f.activity_id == a.id).exists(),
        a.start.is_(None) | (a.start <= date(year, 12, 31)),
        a.end.is_(None) | (a.end >= date(year, 1, 1)),
    )


class GapRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def cells(self, countries: Sequence[str], year: int) -> list[CellFigures]:
        """Cells of ``countries`` in ``year``, one per country and pillar with an activity."""
        a, y = activities.c, activity_year_totals.c
        wanted = list(countries)
        key = (
            a.id.label("id"),
            a.organisation_id.label("organisation_id"),
            a.country.label("country"),
            a.pillar.label("pillar"),
            func.lower(func.coalesce(a.adm1, "")).label("area"),
            func.coalesce(a.indicator, a.sector).label("indicator"),
        )
        method = a.aggregation
        reached = case(
            (y.reached_months == 0, null()),
            (method == "sum", y.reached_sum),
            (method == "average", y.reached_avg),
            (method == "count_sites", case((y.reached_max > 0, 1.0), else_=0.0)),
            else_=y.reached_max,
        )
        # one pass over the countries' activities: those with a year row, and those present
        # without any figure
        silent = without_figures_in(year)
        per_activity = (
            select(
                *key,
                y.in_need_max.label("in_need"),
                y.targeted_max.label("targeted"),
                cast(reached, Float).label("reached"),
            )
            .select_from(
                activities.outerjoin(
                    activity_year_totals, and_(y.activity_id == a.id, y.year == year)
                )
            )
            .where(a.country.in_(wanted), y.activity_id.is_not(None) | silent)
            .cte("per_activity")
        )
        p = per_activity.c
        cell_key = (p.country, p.pillar)
        per_area = (
            select(
                *cell_key,
                p.indicator,
                func.max(p.in_need).label("in_need"),
                func.max(p.targeted).label("targeted"),
                func.max(p.reached).label("reached"),
            )
            .group_by(*cell_key, p.indicator, p.area)
            .subquery()
        )
        r = per_area.c
        per_indicator = (
            select(
                r.country,
                r.pillar,
                func.sum(r.in_need).label("in_need"),
                func.sum(r.targeted).label("targeted"),
                func.sum(r.reached).label("reached"),
            )
            .group_by(r.country, r.pillar, r.indicator)
            .subquery()
        )
        i = per_indicator.c
        figures = (
            select(
                i.country,
                i.pillar,
                func.max(i.in_need).label("in_need"),
                func.max(i.targeted).label("targeted"),
                func.max(i.reached).label("reached"),
            )
            .group_by(i.country, i.pillar)
            .subquery()
        )
        counts = (
            select(
                *cell_key,
                func.count(func.distinct(p.organisation_id)).label("organisations"),
                func.count(literal(1)).label("activities"),
            )
            .group_by(*cell_key)
            .subquery()
        )
        n, g = counts.c, figures.c
        query = select(
            n.country, n.pillar, n.organisations, n.activities, g.in_need, g.targeted, g.reached
        ).join_from(counts, figures, and_(g.country == n.country, g.pillar == n.pillar))
        return [CellFigures(*row) for row in self.session.execute(query)]
