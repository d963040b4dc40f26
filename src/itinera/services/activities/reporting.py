"""Partner reporting (C6): each organisation enters and edits its own activities and figures;
a coordinator opens and closes reporting periods and approves or returns partners' reports.

Rules, checked here so that pages, API and CLI share them:
- everyone logged in reads every activity; budgets only with ``view_budgets`` or for one's
  own organisation;
- an activity is entered, edited, reported on and submitted only by a user of its own
  organisation, whatever their role (another organisation's activity answers 403);
- figures are reported only for an open period; once a period is closed they change only
  through ``correct`` with a reason, recorded with the values before and after, and audited;
- a report goes draft → submitted → approved, or back to returned (then draft again).
"""

from __future__ import annotations

import re
from dataclasses import replace

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.activity import PILLARS, Activity, ActivityFigure, ReportingPeriod, ReportState
from itinera.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from itinera.domain.organisation import Organisation
from itinera.services.accounts import audit
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = [
    "add_activity",
    "correct_figures",
    "corrections",
    "get_activity",
    "list_activities",
    "list_periods",
    "reminders",
    "reminders_due",
    "report_figures",
    "review_report",
    "set_period",
    "submit_report",
    "update_activity",
    "waiting_reports",
]

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _check_period(period: str) -> None:
    if not _PERIOD.match(period):
        raise ValidationError.single("period", f"{period!r} is not a month (YYYY-MM)")


def _visible(actor: Actor, activity: Activity) -> Activity:
    if can(actor, Action.VIEW_BUDGETS) or actor.organisation_id == activity.organisation_id:
        return activity
    return activity.without_budget()


def _own(session: UnitOfWork, actor: Actor, activity_id: int) -> Activity:
    """The activity, when the actor's organisation runs it."""
    require(actor, Action.ENTER_ACTIVITIES)
    found = ActivityRepository(session).get(activity_id)
    if found is None:
        raise NotFoundError(f"no activity {activity_id}")
    if actor.organisation_id is None or actor.organisation_id != found.organisation_id:
        raise PermissionDeniedError(
            "only the organisation that runs an activity may change it",
            hint="ask that organisation, or a coordinator to return its report",
        )
    return found


def list_activities(
    db: Database,
    actor: Actor,
    *,
    countries: list[str] | None = None,
    pillar: int | None = None,
    year: int | None = None,
    organisation_id: int | None = None,
    limit: int | None = None,
) -> list[Activity]:
    """Activities by country, pillar, organisation and presence in a year (a gap matrix
    cell's drill-down: the same activities it counts)."""
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        found = ActivityRepository(session).find(
            countries=countries,
            pillar=pillar,
            year=year,
            organisation_id=organisation_id,
            limit=limit,
        )
    return [_visible(actor, a) for a in found]


def get_activity(db: Database, actor: Actor, activity_id: int) -> Activity:
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        found = ActivityRepository(session).get(activity_id)
    if found is None:
        raise NotFoundError(f"no activity {activity_id}")
    return _visible(actor, found)


def _validate(activity: Activity) -> None:
    if activity.pillar not in PILLARS:
        raise ValidationError.single("pillar", "a pillar is a number from 1 to 6")
    if not re.fullmatch(r"[A-Z]{3}", activity.country):
        raise ValidationError.single("country", "an ISO 3166 alpha-3 code, such as ITA")
    if not activity.sector.strip():
        raise ValidationError.single("sector", "required")


def add_activity(db: Database, actor: Actor, activity: Activity) -> Activity:
    """Add an activity of the actor's own organisation (its figures start as drafts)."""
    require(actor, Action.ENTER_ACTIVITIES)
    if actor.organisation_id is None or activity.organisation_id != actor.organisation_id:
        raise PermissionDeniedError("an organisation enters only its own activities")
    _validate(activity)
    new = replace(activity, id=None, source="manual", external_id=None, figures=())
    with db.transaction(write=True) as session:
        new_id = ActivityRepository(session).add(new)
        audit.record(
            session, actor, action="add_activity", entity="activity", entity_id=str(new_id)
        )
    return replace(new, id=new_id)


def update_activity(db: Database, actor: Actor, activity_id: int, activity: Activity) -> Activity:
    with db.transaction(write=True) as session:
        current = _own(session, actor, activity_id)
        changed = replace(
            activity,
            id=activity_id,
            organisation_id=current.organisation_id,
            source=current.source,
            external_id=current.external_id,
            figures=current.figures,
        )
        _validate(changed)
        ActivityRepository(session).update(activity_id, changed)
        fields = [k for k in changed.__dict__ if getattr(changed, k) != getattr(current, k)]
        audit.record(
            session,
            actor,
            action="update_activity",
            entity="activity",
            entity_id=str(activity_id),
            detail={"fields": fields},
        )
    return changed


def report_figures(db: Database, actor: Actor, activity_id: int, figure: ActivityFigure) -> None:
    """Enter or change a draft figure of an open period."""
    _check_period(figure.period)
    with db.transaction(write=True) as session:
        repo = ActivityRepository(session)
        current = _own(session, actor, activity_id)
        period = repo.period(figure.period)
        if period is None or not period.open:
            raise ConflictError(
                f"the period {figure.period} is not open for reporting",
                hint="a closed period changes only through a correction with a reason",
            )
        for existing in current.figures:
            if existing.period == figure.period and existing.state in (
                ReportState.SUBMITTED,
                ReportState.APPROVED,
            ):
                raise ConflictError(
                    f"the report of {figure.period} is {existing.state.value}",
                    hint="wait for the coordinator to return it",
                )
        repo.put_figures(activity_id, [replace(figure, state=ReportState.DRAFT)])


def submit_report(db: Database, actor: Actor, activity_id: int, period: str) -> None:
    _check_period(period)
    with db.transaction(write=True) as session:
        current = _own(session, actor, activity_id)
        states = {f.state for f in current.figures if f.period == period}
        if not states or not states <= {ReportState.DRAFT, ReportState.RETURNED}:
            raise ConflictError(f"nothing to submit for {period}")
        ActivityRepository(session).set_state(activity_id, period, ReportState.SUBMITTED)
        audit.record(
            session,
            actor,
            action="submit_activity_report",
            entity="activity",
            entity_id=str(activity_id),
            detail={"period": period},
        )


def review_report(
    db: Database, actor: Actor, activity_id: int, period: str, *, approve: bool
) -> None:
    """A coordinator approves a submitted report, or returns it to the partner."""
    require(actor, Action.REVIEW_ACTIVITY_REPORTS)
    _check_period(period)
    with db.transaction(write=True) as session:
        repo = ActivityRepository(session)
        found = repo.get(activity_id)
        if found is None:
            raise NotFoundError(f"no activity {activity_id}")
        if {f.state for f in found.figures if f.period == period} != {ReportState.SUBMITTED}:
            raise ConflictError(f"the report of {period} is not submitted")
        repo.set_state(
            activity_id, period, ReportState.APPROVED if approve else ReportState.RETURNED
        )
        audit.record(
            session,
            actor,
            action="approve_activity_report" if approve else "return_activity_report",
            entity="activity",
            entity_id=str(activity_id),
            detail={"period": period},
        )


def correct_figures(
    db: Database, actor: Actor, activity_id: int, figure: ActivityFigure, reason: str
) -> None:
    """Change a figure of a closed period: the reason and the values before and after are
    kept, and the change is audited."""
    _check_period(figure.period)
    if len(reason.strip()) < 5:
        raise ValidationError.single("reason", "say why the figure changes")
    with db.transaction(write=True) as session:
        repo = ActivityRepository(session)
        current = _own(session, actor, activity_id)
        period = repo.period(figure.period)
        if period is None or period.open:
            raise ConflictError(
                f"the period {figure.period} is open", hint="report the figure instead"
            )
        before = next(
            (
                f
                for f in current.figures
                if f.period == figure.period
                and f.sex == figure.sex
                and f.age_group == figure.age_group
            ),
            None,
        )
        keep = before.state if before is not None else ReportState.SUBMITTED
        repo.put_figures(activity_id, [replace(figure, state=keep)])
        numbers = ("in_need", "targeted", "reached")
        repo.add_correction(
            activity_id,
            figure.period,
            {n: getattr(before, n) for n in numbers} if before else {},
            {n: getattr(figure, n) for n in numbers},
            reason.strip(),
            actor.username,
        )
        audit.record(
            session,
            actor,
            action="correct_activity_figures",
            entity="activity",
            entity_id=str(activity_id),
            detail={"period": figure.period, "fields": list(numbers)},
        )


def set_period(db: Database, actor: Actor, period: str, *, open: bool) -> None:
    require(actor, Action.MANAGE_REPORTING_PERIODS)
    _check_period(period)
    with db.transaction(write=True) as session:
        ActivityRepository(session).set_period(period, open=open, by=actor.username)
        audit.record(
            session,
            actor,
            action="open_reporting_period" if open else "close_reporting_period",
            entity="reporting_period",
            entity_id=period,
        )


def list_periods(db: Database, actor: Actor) -> list[ReportingPeriod]:
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        return ActivityRepository(session).periods()


def reminders(db: Database, actor: Actor, period: str) -> list[Organisation]:
    """Organisations with activities that have not reported in an open ``period``."""
    require(actor, Action.REVIEW_ACTIVITY_REPORTS)
    _check_period(period)
    with db.transaction() as session:
        repo = ActivityRepository(session)
        found = repo.period(period)
        if found is None or not found.open:
            return []
        registry = OrganisationRepository(session)
        orgs = (registry.get(i) for i in repo.organisations_without_report(period))
        return [o for o in orgs if o is not None]


def corrections(db: Database, actor: Actor, activity_id: int) -> list[dict[str, object]]:
    """The corrections of an activity's closed periods: period, values before and after,
    reason and who corrected."""
    require(actor, Action.VIEW_ACTIVITIES)
    with db.transaction() as session:
        return ActivityRepository(session).corrections(activity_id)


def waiting_reports(db: Database, actor: Actor) -> list[tuple[Activity, str]]:
    """Submitted reports waiting for a coordinator: the activity and the period."""
    require(actor, Action.REVIEW_ACTIVITY_REPORTS)
    with db.transaction() as session:
        repo = ActivityRepository(session)
        found = [(repo.get(i), period) for i, period in repo.submitted_reports()]
    return [(_visible(actor, a), period) for a, period in found if a is not None]


def reminders_due(db: Database, actor: Actor) -> dict[str, list[Organisation]]:
    """For every open period, the organisations to remind (see :func:`reminders`)."""
    return {p.period: reminders(db, actor, p.period) for p in list_periods(db, actor) if p.open}
