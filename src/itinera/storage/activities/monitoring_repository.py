"""The monitoring plan's indicators, targets and directly entered values (C6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from itinera.domain.activity import Aggregation
from itinera.domain.monitoring_plan import Direction, MonitoringIndicator, Target
from itinera.storage.activities.tables import activities, activity_figures
from itinera.storage.activities.tables import monitoring_indicators as indicators
from itinera.storage.activities.tables import monitoring_targets as targets

__all__ = ["MonitoringRepository"]

_TEXT = ("unit", "source", "frequency", "responsible", "reported_in", "baseline_period")


def _indicator(row: Any) -> MonitoringIndicator:
    return MonitoringIndicator(
        code=row.code,
        name=dict(row.name),
        pillar=row.pillar,
        definition=dict(row.definition or {}),
        direction=Direction(row.direction),
        aggregation=Aggregation(row.aggregation),
        baseline=row.baseline,
        origin=row.origin,
        **{name: getattr(row, name) for name in _TEXT},
    )


class MonitoringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, code: str) -> MonitoringIndicator | None:
        row = self.session.execute(select(indicators).where(indicators.c.code == code)).first()
        return None if row is None else _indicator(row)

    def find(self, pillar: int | None = None) -> list[MonitoringIndicator]:
        query = select(indicators).order_by(indicators.c.pillar, indicators.c.code)
        if pillar is not None:
            query = query.where(indicators.c.pillar == pillar)
        return [_indicator(r) for r in self.session.execute(query)]

    def save(self, indicator: MonitoringIndicator, *, edited: bool) -> str:
        """Add or replace; a reference reload (``edited=False``) leaves user-edited rows alone.
        Answers ``added``, ``updated`` or ``kept``."""
        values = {
            "name": dict(indicator.name),
            "definition": dict(indicator.definition),
            "pillar": indicator.pillar,
            "direction": indicator.direction.value,
            "aggregation": indicator.aggregation.value,
            "baseline": indicator.baseline,
            "origin": indicator.origin,
            "edited": edited,
            **{name: getattr(indicator, name) for name in _TEXT},
        }
        c = indicators.c
        found = self.session.execute(select(c.edited).where(c.code == indicator.code)).first()
        if found is None:
            self.session.execute(insert(indicators).values(code=indicator.code, **values))
            return "added"
        if found.edited and not edited:
            return "kept"
        self.session.execute(update(indicators).where(c.code == indicator.code).values(**values))
        return "updated"

    def set_value(self, code: str, kind: str, target: Target) -> None:
        c = targets.c
        key = (
            (c.indicator == code)
            & (c.kind == kind)
            & (c.period == target.period)
            & (c.country == target.country)
            & (c.route_id == target.route_id)
        )
        self.session.execute(delete(targets).where(key))
        self.session.execute(
            insert(targets).values(
                indicator=code,
                kind=kind,
                period=target.period,
                country=target.country,
                route_id=target.route_id,
                value=target.value,
            )
        )

    def values(self, code: str, kind: str) -> list[Target]:
        c = targets.c
        rows = self.session.execute(
            select(c.period, c.value, c.country, c.route_id)
            .where(c.indicator == code, c.kind == kind)
            .order_by(c.period, c.country, c.route_id)
        )
        return [Target(r.period, r.value, r.country, r.route_id) for r in rows]

    def reached_by_month(
        self, code: str, year: int, countries: list[str] | None = None
    ) -> dict[str, float]:
        """People reached per month by the activities reporting on ``code``."""
        a, f = activities.c, activity_figures.c
        query = (
            select(f.period, func.sum(f.reached))
            .join(activities, a.id == f.activity_id)
            .where(a.indicator == code, f.period.like(f"{year:04d}-%"), f.reached.is_not(None))
            .group_by(f.period)
        )
        if countries is not None:
            query = query.where(a.country.in_(countries))
        return {period: float(total) for period, total in self.session.execute(query)}
