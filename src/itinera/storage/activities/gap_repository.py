"""The gap matrix's cells in one grouped query (C6, decision 0025).

The four steps of ``domain.gap_matrix`` run in SQL over the cached year totals alone
(``year_totals``: each row carries the activity's country, pillar, organisation, indicator and
area, and its people reached by the indicator's method): the largest partner per indicator and
admin area, the sum over areas, the largest indicator per pillar; beside them the organisations
and activities counted per country and pillar. The answer is one row per cell (at most
countries × 6), so no activity passes through Python on a request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Float, and_, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from itinera.domain.gap_matrix import CellFigures
from itinera.storage.activities.tables import activities, activity_figures, activity_year_totals
from itinera.storage.activities.year_totals import NO_FIGURES

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
            y.activity_id.label("id"),
            y.organisation_id.label("organisation_id"),
            y.country.label("country"),
            y.pillar.label("pillar"),
            y.area.label("area"),
            y.indicator.label("indicator"),
        )
        # activities with figures in the year, and those with none at all whose dates cover
        # it (present, without figures): both read from the cache's (year, country) index
        reported = select(
            *key,
            y.in_need_max.label("in_need"),
            y.targeted_max.label("targeted"),
            y.reached.label("reached"),
        ).where(y.year == year, y.country.in_(wanted))
        nothing = cast(null(), Float)
        silent = (
            select(*key, nothing, nothing, nothing)
            .join_from(activity_year_totals, activities, a.id == y.activity_id)
            .where(
                y.year == NO_FIGURES,
                y.country.in_(wanted),
                a.start.is_(None) | (a.start <= date(year, 12, 31)),
                a.end.is_(None) | (a.end >= date(year, 1, 1)),
            )
        )
        per_activity = union_all(reported, silent).cte("per_activity")
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
