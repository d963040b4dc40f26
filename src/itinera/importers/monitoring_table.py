"""Risk observations from a survey export (CSV or XLSX) with a column mapping (C11).

The shipped mapping reads a 4Mi-like export (``data/monitoring_4mi.yaml``). Each row becomes
one :class:`RiskObservation`; every problem is collected with its row, column and a suggestion
(an unknown incident type names the codes it could be), and a row with an error is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue
from itinera.domain.monitoring import (
    Confidentiality,
    RiskObservation,
    Vocabularies,
    check_observation,
)
from itinera.importers.table_files import TableFileError, open_table

__all__ = ["ObservationsRead", "mapping_4mi", "read_observations"]


@dataclass
class ObservationsRead:
    records: list[tuple[int, RiskObservation]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0


@cache
def mapping_4mi() -> dict[str, Any]:
    text = (resources.files("itinera.importers") / "data" / "monitoring_4mi.yaml").read_text(
        "utf-8"
    )
    return dict(yaml.safe_load(text))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value)[:10])


def _number(value: object, kind: type) -> Any:
    text = _text(value)
    return None if text == "" else kind(float(text)) if kind is int else kind(text)


def _yes_no(value: object) -> bool | None:
    text = _text(value).lower()
    if text == "":
        return None
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise ValueError(f"{value!r} is neither yes nor no")


def _row_values(row: dict[str, object], mapping: dict[str, Any]) -> dict[str, Any]:
    defaults = dict(mapping.get("defaults", {}))
    values: dict[str, Any] = {}
    for target, column in mapping["columns"].items():
        raw = _text(row.get(column))
        if raw == "":
            continue
        table = mapping.get("values", {}).get(target)
        values[target] = table.get(raw.lower(), raw) if table else raw
    return {**defaults, **values}


def read_observations(
    path: Path, vocabularies: Vocabularies, mapping: dict[str, Any], *, route_id: str | None = None
) -> ObservationsRead:
    result = ObservationsRead()
    try:
        table = open_table(path)
    except TableFileError as problem:
        result.issues.append(Issue(path.name, str(problem)))
        return result
    result.issues += table.issues
    columns = mapping["columns"]
    missing = [c for k, c in columns.items() if k in ("date", "incident_type")]
    missing = [c for c in missing if c not in table.header]
    for column in missing:
        result.issues.append(Issue(table.name, "a required column is missing", column=column))
    if missing:
        return result
    for number, cells in table.rows:
        row = dict(zip(table.header, cells, strict=False))
        if all(_text(v) == "" for v in row.values()):
            continue
        result.rows_read += 1
        problems = _read_row(number, row, mapping, vocabularies, route_id, result)
        for field_name, message in problems:
            column = columns.get(field_name.split("[")[0], field_name)
            result.issues.append(
                Issue(
                    table.name,
                    message,
                    row=number,
                    column=column,
                    value=_text(row.get(column)),
                    suggestion=_suggestion(field_name, vocabularies),
                )
            )
        if problems:
            result.rows_rejected += 1
    return result


def _read_row(
    number: int,
    row: dict[str, object],
    mapping: dict[str, Any],
    vocabularies: Vocabularies,
    route_id: str | None,
    result: ObservationsRead,
) -> list[tuple[str, str]]:
    values = _row_values(row, mapping)
    try:
        used = _yes_no(values.get("smuggler_used"))
    except ValueError as problem:
        return [("smuggler_used", str(problem))]
    try:
        cost = _number(values.get("smuggler_cost_usd"), float)
    except ValueError:
        return [("smuggler_cost_usd", "not a number (write the cost in US dollars, e.g. 1500)")]
    try:
        day = _date(values.get("date"))
        observation = RiskObservation(
            incident_type=values.get("incident_type", ""),
            route_id=values.get("route_id") or route_id or "",
            date_from=day,
            date_to=day,
            source_type=values["source_type"],
            reliability=str(values["reliability"]).lower(),
            credibility=str(values["credibility"]),
            confidentiality=Confidentiality(values["confidentiality"]),
            perpetrator=values.get("perpetrator", "unknown"),
            place=values.get("place"),
            latitude=_number(values.get("latitude"), float),
            longitude=_number(values.get("longitude"), float),
            persons=_number(values.get("persons"), int),
            sex=values.get("sex", "unknown"),
            age_group=values.get("age_group", "unknown"),
            smuggler_used=used,
            smuggler_cost_usd=cost,
        )
    except (ValueError, TypeError) as problem:
        return [("date", f"cannot read the row: {problem}")]
    if not observation.route_id:
        return [("route_id", "no route: give the column or choose a route for the file")]
    try:
        check_observation(observation, vocabularies)
    except ValidationError as invalid:
        return [(e.field, e.message) for e in invalid.errors]
    result.records.append((number, observation))
    return []


def _suggestion(field_name: str, vocabularies: Vocabularies) -> str | None:
    lists = {
        "incident_type": "incident_types",
        "perpetrator": "perpetrators",
        "sex": "sexes",
        "age_group": "age_groups",
    }
    if field_name in lists:
        codes = ", ".join(vocabularies.codes(lists[field_name]))
        return f"use one of {codes}, or add the answer to the mapping"
    return None
