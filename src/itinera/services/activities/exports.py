"""HXL exports of activities (C6) that other 3W tools read, and that Itinera reads back:

- **activity level**: one row per activity and reporting period (an activity without figures
  has one row), with implementing, programme and funding organisations, project, sector,
  pillar, activity, indicator and its aggregation method, country, admin areas, coordinates,
  dates, status, people in need, targeted and reached, and the activity's own id
  (``#meta+id``) so that a re-import finds the same activities; budgets only for readers
  allowed to see them;
- **operational presence (3W:OP)**: one row per organisation × sector × admin area, with the
  number of activities.

Both pass libhxl's default schema (dates ISO, numbers numeric) and are written through the
spreadsheet-safe CSV writer.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.activity import Activity
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.database import Database

__all__ = ["ACTIVITY_COLUMNS", "PRESENCE_COLUMNS", "export_activities_hxl", "export_presence_hxl"]

# (text header, hashtag)
ACTIVITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Activity id", "#meta+id"),
    ("Implementing organisation", "#org+impl"),
    ("Programme organisation", "#org+prog"),
    ("Funding organisations", "#org+funder"),
    ("Project code", "#activity+project"),
    ("Sector", "#sector"),
    ("Pillar", "#meta+pillar"),
    ("Activity", "#activity+name"),
    ("Indicator", "#indicator+name"),
    ("Aggregation", "#meta+aggregation"),
    ("Country code", "#country+code"),
    ("Admin 1", "#adm1+name"),
    ("Admin 2", "#adm2+name"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Population group", "#meta+population"),
    ("Status", "#status"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Period", "#date+period"),
    ("In need", "#inneed"),
    ("Targeted", "#targeted"),
    ("Reached", "#reached"),
)
BUDGET_COLUMNS = (("Budget", "#value+budget"), ("Currency", "#currency"))
PRESENCE_COLUMNS = (
    ("Organisation", "#org+impl"),
    ("Sector", "#sector"),
    ("Pillar", "#meta+pillar"),
    ("Country code", "#country+code"),
    ("Admin 1", "#adm1+name"),
    ("Admin 2", "#adm2+name"),
    ("Activities", "#meta+count"),
)


def _number(value: float | None) -> Any:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def _load(db: Database, actor: Actor) -> tuple[list[Activity], dict[int, str]]:
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        found = ActivityRepository(session).find()
        names = {o.id or 0: o.name for o in OrganisationRepository(session).list()}
    return found, names


def _write(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow([header for header, _ in columns])
    writer.writerow([tag for _, tag in columns])
    writer.writerows(rows)
    return buffer.getvalue()


def _period_totals(activity: Activity) -> dict[str, list[float | None]]:
    """(in need, targeted, reached) per period, summed over sex and age group."""
    totals: dict[str, list[float | None]] = {}
    for figure in activity.figures:
        sums = totals.setdefault(figure.period, [None, None, None])
        for index, value in enumerate((figure.in_need, figure.targeted, figure.reached)):
            if value is not None:
                sums[index] = (sums[index] or 0.0) + value
    return totals


def _activity_id(activity: Activity) -> str:
    """``source:key``, kept as it is when the activity came from such an export."""
    if activity.external_id is None:
        return f"itinera:{activity.id}"
    if ":" in activity.external_id:
        return activity.external_id
    return f"{activity.source}:{activity.external_id}"


def export_activities_hxl(db: Database, actor: Actor) -> str:
    """The activity-level HXL CSV (see the module doc)."""
    activities, names = _load(db, actor)
    budgets = can(actor, Action.VIEW_BUDGETS)
    columns = ACTIVITY_COLUMNS + (BUDGET_COLUMNS if budgets else ())
    rows = []
    for a in activities:
        common = [
            _activity_id(a),
            names.get(a.organisation_id, ""),
            names.get(a.programme_organisation_id or 0, ""),
            "; ".join(names.get(f, "") for f in a.funder_ids),
            a.project_code or "",
            a.sector,
            a.pillar,
            a.title,
            a.indicator or "",
            a.aggregation.value,
            a.country,
            a.adm1 or "",
            a.adm2 or "",
            "" if a.lat is None else a.lat,
            "" if a.lon is None else a.lon,
            a.population_group or "",
            a.status.value,
            a.start.isoformat() if a.start else "",
            a.end.isoformat() if a.end else "",
        ]
        budget = [_number(a.budget), a.currency or ""] if budgets else []
        totals = _period_totals(a)
        for period in sorted(totals) or [""]:
            values = totals.get(period, [None, None, None])
            rows.append([*common, period, *(_number(v) for v in values), *budget])
    return _write(columns, rows)


def export_presence_hxl(db: Database, actor: Actor) -> str:
    """Operational presence (3W:OP): organisation × sector × admin area, with a count."""
    activities, names = _load(db, actor)
    counted = Counter(
        (
            names.get(a.organisation_id, ""),
            a.sector,
            a.pillar,
            a.country,
            a.adm1 or "",
            a.adm2 or "",
        )
        for a in activities
    )
    rows = [[*key, count] for key, count in sorted(counted.items())]
    return _write(PRESENCE_COLUMNS, rows)
