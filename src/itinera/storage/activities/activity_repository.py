"""Activities, their period figures, reporting periods and corrections (C6)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from itinera.domain.activity import (
    Activity,
    ActivityFigure,
    ActivityStatus,
    Aggregation,
    ReportingPeriod,
    ReportState,
)
from itinera.storage.activities.gap_repository import without_figures_in
from itinera.storage.activities.tables import (
    activities,
    activity_corrections,
    activity_figures,
    activity_import_batches,
    activity_periods,
    activity_year_totals,
)
from itinera.storage.activities.year_totals import refresh_year_totals

__all__ = ["ActivityRepository"]

_FIELDS = [
    "organisation_id",
    "programme_organisation_id",
    "project_code",
    "sector",
    "pillar",
    "key_area",
    "title",
    "country",
    "adm1",
    "adm2",
    "lat",
    "lon",
    "population_group",
    "start",
    "end",
    "indicator",
    "budget",
    "currency",
    "source",
    "external_id",
]


def _row_values(activity: Activity) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(activity, name) for name in _FIELDS}
    values.update(
        funder_ids=list(activity.funder_ids),
        service_types=list(activity.service_types),
        status=activity.status.value,
        aggregation=activity.aggregation.value,
    )
    return values


def _figure(row: Any) -> ActivityFigure:
    return ActivityFigure(
        row.period,
        row.in_need,
        row.targeted,
        row.reached,
        row.sex or None,
        row.age_group or None,
        ReportState(row.state),
    )


def _activity(row: Any, figures: Sequence[ActivityFigure] = ()) -> Activity:
    values = {name: getattr(row, name) for name in _FIELDS}
    return Activity(
        id=row.id,
        funder_ids=tuple(row.funder_ids or ()),
        service_types=tuple(row.service_types or ()),
        status=ActivityStatus(row.status),
        aggregation=Aggregation(row.aggregation),
        figures=tuple(figures),
        **values,
    )


class ActivityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- import batches --------------------------------------------------------------------
    def batch_with(self, checksum: str, format: str) -> int | None:
        b = activity_import_batches.c
        found = self.session.execute(
            select(b.id).where(b.checksum == checksum, b.format == format)
        ).first()
        return None if found is None else int(found[0])

    def add_batch(self, **values: Any) -> int:
        result = self.session.execute(insert(activity_import_batches).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    # -- activities ------------------------------------------------------------------------
    def by_external(self, source: str, external_id: str) -> int | None:
        a = activities.c
        found = self.session.execute(
            select(a.id).where(a.source == source, a.external_id == external_id)
        ).first()
        return None if found is None else int(found[0])

    def add(self, activity: Activity, batch_id: int | None = None) -> int:
        result = self.session.execute(
            insert(activities).values(**_row_values(activity), batch_id=batch_id)
        )
        new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self.put_figures(new_id, activity.figures)
        if not activity.figures:
            self.refresh_year_totals([new_id])
        return new_id

    def update(self, activity_id: int, activity: Activity) -> None:
        self.session.execute(
            update(activities).where(activities.c.id == activity_id).values(**_row_values(activity))
        )
        self.refresh_year_totals([activity_id])  # its place, pillar or method may have changed

    def delete(self, activity_id: int) -> None:
        self.session.execute(
            delete(activity_year_totals).where(activity_year_totals.c.activity_id == activity_id)
        )
        self.session.execute(
            delete(activity_figures).where(activity_figures.c.activity_id == activity_id)
        )
        self.session.execute(delete(activities).where(activities.c.id == activity_id))

    def put_figures(self, activity_id: int, figures: Iterable[ActivityFigure]) -> None:
        """Add or replace figures (one per activity, period, sex and age group), and refresh
        the activity's year totals for the years they touch."""
        f = activity_figures.c
        years: set[int] = set()
        for figure in figures:
            years.add(int(figure.period[:4]))
            key = and_(
                f.activity_id == activity_id,
                f.period == figure.period,
                f.sex == (figure.sex or ""),
                f.age_group == (figure.age_group or ""),
            )
            values = {
                "in_need": figure.in_need,
                "targeted": figure.targeted,
                "reached": figure.reached,
                "state": figure.state.value,
            }
            if self.session.execute(select(f.id).where(key)).first():
                self.session.execute(update(activity_figures).where(key).values(**values))
            else:
                self.session.execute(
                    insert(activity_figures).values(
                        activity_id=activity_id,
                        period=figure.period,
                        sex=figure.sex or "",
                        age_group=figure.age_group or "",
                        **values,
                    )
                )
        if years:
            self.refresh_year_totals([activity_id], sorted(years))

    def refresh_year_totals(
        self, activity_ids: Sequence[int] | None = None, years: Sequence[int] | None = None
    ) -> None:
        """Recompute the cached year totals (of some activities and years, or all of them)."""
        refresh_year_totals(self.session, activity_ids, years)

    def set_state(self, activity_id: int, period: str, state: ReportState) -> int:
        f = activity_figures.c
        result = self.session.execute(
            update(activity_figures)
            .where(f.activity_id == activity_id, f.period == period)
            .values(state=state.value)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def get(self, activity_id: int) -> Activity | None:
        found = self.find(ids=[activity_id])
        return found[0] if found else None

    def find(
        self,
        *,
        ids: Sequence[int] | None = None,
        countries: Sequence[str] | None = None,
        organisation_id: int | None = None,
        pillar: int | None = None,
        year: int | None = None,
        limit: int | None = None,
    ) -> list[Activity]:
        """Activities by id, country, organisation, pillar, and presence in a year (figures in
        that year, or none at all and dates covering it: the gap matrix's rule)."""
        a = activities.c
        query = select(activities).order_by(a.id)
        if pillar is not None:
            query = query.where(a.pillar == pillar)
        if year is not None:
            y = activity_year_totals.c
            in_year = select(y.activity_id).where(y.activity_id == a.id, y.year == year).exists()
            query = query.where(in_year | without_figures_in(year))
        if ids is not None:
            query = query.where(a.id.in_(list(ids)))
        if countries is not None:
            query = query.where(a.country.in_(list(countries)))
        if organisation_id is not None:
            query = query.where(a.organisation_id == organisation_id)
        if limit is not None:
            query = query.limit(limit)
        rows = list(self.session.execute(query))
        figures = self._figures([r.id for r in rows])
        return [_activity(r, figures.get(r.id, ())) for r in rows]

    def _figures(self, activity_ids: list[int]) -> dict[int, list[ActivityFigure]]:
        found: dict[int, list[ActivityFigure]] = defaultdict(list)
        f = activity_figures.c
        for start in range(0, len(activity_ids), 500):
            chunk = activity_ids[start : start + 500]
            query = select(activity_figures).where(f.activity_id.in_(chunk)).order_by(f.period)
            for row in self.session.execute(query):
                found[row.activity_id].append(_figure(row))
        return found

    def reassign_organisation(self, from_id: int, to_id: int) -> int:
        t = activity_year_totals.c
        self.session.execute(
            update(activity_year_totals)
            .where(t.organisation_id == from_id)
            .values(organisation_id=to_id)
        )
        result = self.session.execute(
            update(activities)
            .where(activities.c.organisation_id == from_id)
            .values(organisation_id=to_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def latest_year(self) -> int | None:
        """The latest year any figure reports on."""
        found = self.session.execute(select(func.max(activity_figures.c.period))).scalar_one()
        return int(found[:4]) if found else None

    def count(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(activities)).scalar_one())

    # -- reporting periods and corrections -------------------------------------------------
    def period(self, period: str) -> ReportingPeriod | None:
        p = activity_periods.c
        row = self.session.execute(select(activity_periods).where(p.period == period)).first()
        return None if row is None else ReportingPeriod(row.period, bool(row.open))

    def set_period(self, period: str, *, open: bool, by: str) -> None:
        p = activity_periods.c
        if self.period(period) is None:
            self.session.execute(
                insert(activity_periods).values(period=period, open=open, changed_by=by)
            )
        else:
            self.session.execute(
                update(activity_periods).where(p.period == period).values(open=open, changed_by=by)
            )

    def periods(self) -> list[ReportingPeriod]:
        rows = self.session.execute(select(activity_periods).order_by(activity_periods.c.period))
        return [ReportingPeriod(r.period, bool(r.open)) for r in rows]

    def add_correction(
        self,
        activity_id: int,
        period: str,
        before: dict[str, Any],
        after: dict[str, Any],
        reason: str,
        by: str,
    ) -> None:
        self.session.execute(
            insert(activity_corrections).values(
                activity_id=activity_id,
                period=period,
                before=before,
                after=after,
                reason=reason,
                corrected_by=by,
            )
        )

    def corrections(self, activity_id: int) -> list[dict[str, Any]]:
        c = activity_corrections.c
        rows = self.session.execute(
            select(c.period, c.before, c.after, c.reason, c.corrected_by)
            .where(c.activity_id == activity_id)
            .order_by(c.id)
        )
        return [dict(r._mapping) for r in rows]

    def organisations_without_report(self, period: str) -> list[int]:
        """Organisations with an activity running in ``period`` (its dates cover the month,
        or it has none) but no figure for it (reminders)."""
        a, f = activities.c, activity_figures.c
        first = date(int(period[:4]), int(period[5:7]), 1)
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        reported = select(f.activity_id).where(f.period == period)
        rows = self.session.execute(
            select(a.organisation_id)
            .where(
                a.id.not_in(reported),
                a.start.is_(None) | (a.start < last),
                a.end.is_(None) | (a.end >= first),
            )
            .distinct()
            .order_by(a.organisation_id)
        )
        return [int(r[0]) for r in rows]

    def submitted_reports(self, limit: int = 200) -> list[tuple[int, str]]:
        """(activity id, period) of reports waiting for a coordinator, oldest period first."""
        f = activity_figures.c
        rows = self.session.execute(
            select(f.activity_id, f.period)
            .where(f.state == ReportState.SUBMITTED.value)
            .distinct()
            .order_by(f.period, f.activity_id)
            .limit(limit)
        )
        return [(int(i), str(p)) for i, p in rows]
