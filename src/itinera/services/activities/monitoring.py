"""The monitoring plan (C6): indicators from the catalogue of the reference data and defined by
users, each with a baseline, targets per period and per country or route, and progress computed
from the activities reporting on it (their people reached) plus values entered directly; the
plan exported to XLSX in a donor report's layout, one sheet per pillar.

A reload of the catalogue keeps indicators users edited. Progress over a year aggregates the
months by the indicator's own method (``domain.gap_matrix``'s rule for one series).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from itinera.domain.access import Action, Actor, require
from itinera.domain.activity import PILLARS
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gap_matrix import aggregate_months
from itinera.domain.monitoring_plan import MonitoringIndicator, Progress, Target
from itinera.domain.text import localise
from itinera.reference.activities import monitoring_catalogue
from itinera.services.accounts import audit
from itinera.storage.activities.monitoring_repository import MonitoringRepository
from itinera.storage.database import Database

__all__ = [
    "export_plan_xlsx",
    "get_indicator",
    "list_indicators",
    "load_catalogue",
    "progress",
    "record_value",
    "save_indicator",
    "set_target",
]

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def load_catalogue(db: Database) -> dict[str, int]:
    """Load the packaged indicators; those users edited are kept."""
    counts: dict[str, int] = defaultdict(int)
    with db.transaction(write=True) as session:
        repo = MonitoringRepository(session)
        for indicator in monitoring_catalogue():
            counts[repo.save(indicator, edited=False)] += 1
    return dict(counts)


def _ensure_catalogue(db: Database) -> None:
    """Load the catalogue when one of its indicators is not in the store yet (a read, usually;
    ``itinera init`` has no hook for capabilities' reference data)."""
    with db.transaction() as session:
        stored = {i.code for i in MonitoringRepository(session).find()}
    if not {i.code for i in monitoring_catalogue()} <= stored:
        load_catalogue(db)


def list_indicators(
    db: Database, actor: Actor, pillar: int | None = None
) -> list[MonitoringIndicator]:
    require(actor, Action.VIEW_AGGREGATES)
    _ensure_catalogue(db)
    with db.transaction() as session:
        return MonitoringRepository(session).find(pillar)


def get_indicator(db: Database, actor: Actor, code: str) -> MonitoringIndicator:
    require(actor, Action.VIEW_AGGREGATES)
    _ensure_catalogue(db)
    with db.transaction() as session:
        found = MonitoringRepository(session).get(code)
    if found is None:
        raise NotFoundError(f"no indicator {code!r} in the monitoring plan")
    return found


def save_indicator(db: Database, actor: Actor, indicator: MonitoringIndicator) -> str:
    """Add a user-defined indicator, or edit one (a catalogue reload then keeps the edit)."""
    require(actor, Action.MANAGE_MONITORING_PLAN)
    if not _CODE.match(indicator.code):
        raise ValidationError.single("code", "lower-case letters, digits and hyphens")
    if indicator.pillar not in PILLARS:
        raise ValidationError.single("pillar", "a pillar is a number from 1 to 6")
    if not indicator.name.get("en"):
        raise ValidationError.single("name", "an English name at least")
    with db.transaction(write=True) as session:
        outcome = MonitoringRepository(session).save(indicator, edited=True)
        audit.record(
            session,
            actor,
            action="save_monitoring_indicator",
            entity="indicator",
            entity_id=indicator.code,
        )
    return outcome


def _checked(db: Database, actor: Actor, code: str, target: Target) -> None:
    require(actor, Action.MANAGE_MONITORING_PLAN)
    if not _PERIOD.match(target.period):
        raise ValidationError.single("period", "YYYY or YYYY-MM")
    get_indicator(db, actor, code)


def set_target(db: Database, actor: Actor, code: str, target: Target) -> None:
    _checked(db, actor, code, target)
    with db.transaction(write=True) as session:
        MonitoringRepository(session).set_value(code, "target", target)


def record_value(db: Database, actor: Actor, code: str, value: Target) -> None:
    """A value entered directly (an indicator no activity reports on: deaths, departures)."""
    _checked(db, actor, code, value)
    with db.transaction(write=True) as session:
        MonitoringRepository(session).set_value(code, "value", value)


def progress(
    db: Database, actor: Actor, code: str, year: int, *, country: str = "", route_id: str = ""
) -> Progress:
    """The indicator's months in ``year`` against that year's target."""
    indicator = get_indicator(db, actor, code)
    with db.transaction() as session:
        repo = MonitoringRepository(session)
        months = repo.reached_by_month(code, year, [country] if country else None)
        for entered in repo.values(code, "value"):
            if entered.period.startswith(f"{year}-") and (entered.country, entered.route_id) == (
                country,
                route_id,
            ):
                months[entered.period] = months.get(entered.period, 0.0) + entered.value
        targets = [
            t.value
            for t in repo.values(code, "target")
            if t.period == str(year) and (t.country, t.route_id) == (country, route_id)
        ]
    ordered = dict(sorted(months.items()))
    total = aggregate_months(list(ordered.values()), indicator.aggregation)
    return Progress(indicator, year, ordered, total, targets[0] if targets else None)


_HEADERS = {
    "en": [
        "Code",
        "Indicator",
        "Definition",
        "Unit",
        "Direction",
        "Aggregation",
        "Source",
        "Frequency",
        "Responsible",
        "Baseline",
        "Target",
        "Achieved",
        "% of target",
    ],
    "fr": [
        "Code",
        "Indicateur",
        "Définition",
        "Unité",
        "Sens",
        "Agrégation",
        "Source",
        "Fréquence",
        "Responsable",
        "Valeur de référence",
        "Cible",
        "Réalisé",
        "% de la cible",
    ],
}


def export_plan_xlsx(db: Database, actor: Actor, year: int, language: str = "en") -> bytes:
    """The plan as an XLSX workbook: one sheet per pillar, one row per indicator."""
    import xlsxwriter

    headers = _HEADERS.get(language, _HEADERS["en"])
    indicators = list_indicators(db, actor)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    percent = workbook.add_format({"num_format": "0%"})
    for pillar in PILLARS:
        sheet = workbook.add_worksheet(
            f"Pillar {pillar}" if language != "fr" else f"Pilier {pillar}"
        )
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(1, 2, 40)
        row = 1
        for indicator in (i for i in indicators if i.pillar == pillar):
            done = progress(db, actor, indicator.code, year)
            sheet.write_row(
                row,
                0,
                [
                    indicator.code,
                    localise(indicator.name, language),
                    localise(indicator.definition, language),
                    indicator.unit,
                    indicator.direction.value,
                    indicator.aggregation.value,
                    indicator.source,
                    indicator.frequency,
                    indicator.responsible,
                    "" if indicator.baseline is None else indicator.baseline,
                    "" if done.target is None else done.target,
                    "" if done.total is None else done.total,
                ],
            )
            if done.share_of_target is not None:
                sheet.write_number(row, 12, done.share_of_target, percent)
            row += 1
    workbook.close()
    return buffer.getvalue()
