"""The cube's sums as the database summed them before decision 0040 (one ``INSERT … SELECT …
GROUP BY`` per dimension), kept as the oracle of ``storage/analytics/cube_sums.py``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, insert, literal, select
from sqlalchemy.orm import Session

from itinera.storage.analytics.tables import CUBE_COLUMNS, analytics_cube
from itinera.storage.movements.query_repository import country_level
from itinera.storage.movements.tables import observations


def sum_with_sql(
    session: Session,
    batch_ids: Sequence[int],
    dimensions: Sequence[str],
    months: tuple[date, date] | None = None,
    route_ids: Sequence[str] | None = None,
) -> None:
    o = observations.c
    where = [
        o.batch_id.in_(batch_ids),
        o.period_kind == "month",
        o.superseded.is_(False),
        o.route_id.is_not(None),
        country_level(o.admin_level),
    ]
    if months:
        where.append(o.period_start.between(*months))
    if route_ids:
        where.append(o.route_id.in_(route_ids))
    for dimension in dimensions:
        category: Any = literal("") if dimension == "total" else func.coalesce(o[dimension], "")
        query = (
            select(
                o.batch_id,
                o.source_id,
                o.indicator,
                o.route_id,
                o.period_start,
                literal(dimension),
                category,
                func.sum(o.value),
                func.count(),
            )
            .where(and_(*where))
            .group_by(
                o.batch_id,
                o.source_id,
                o.indicator,
                o.route_id,
                o.period_start,
                *([] if dimension == "total" else [o[dimension]]),
            )
        )
        session.execute(insert(analytics_cube).from_select(list(CUBE_COLUMNS), query))
