"""Itinera's own movement export (Parquet) → observations and incidents (reader ``itinera``).

The demo bundle ships one file per import batch, written by ``services.movements.demo`` from
the export code (``export_observations`` and ``export_incidents``): both record kinds in one
table, told apart by the ``record`` column, with the batch's provenance (source, publisher,
dataset, vintage) in the file's key-value metadata under ``itinera.dataset``. Reading it back
gives the figures that were exported:

- observations keep indicator, value, period, route (name and catalogue id), country, place,
  admin level, nationality, sex, age group, border type, correction flag, source row, and how
  the figure got its route (``route_method``, ``route_distance_km``: a figure placed by a rule,
  by coordinates or by an analyst comes back placed the same way, not as the publisher's);
  derived monthly figures are not in the file because the import derives them again from the
  incidents;
- incidents keep every field of :class:`Incident`, their route method and distance included.
  Multi-valued fields were joined with ``,`` (no space); cause names contain ``", "``
  themselves, so they are split on a comma that is not followed by a space.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import (
    AgeGroup,
    Incident,
    IncidentType,
    Observation,
    Sex,
    parse_period,
)
from itinera.domain.route_attribution import RouteMethod
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec

__all__ = ["DATASET_KEY", "READER", "SPEC", "read_itinera_export"]

READER = "itinera"
DATASET_KEY = b"itinera.dataset"
_LIST_SEPARATOR = re.compile(r",(?! )")
_METHODS = frozenset(m.value for m in RouteMethod)
_WARN = Severity.WARNING


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _list(value: Any) -> tuple[str, ...]:
    return tuple(_LIST_SEPARATOR.split(value)) if value else ()


def _observation(row: dict[str, Any]) -> Observation:
    return Observation(
        row["indicator"],
        float(row["value"]),
        parse_period(row["period"]),
        route_name=_text(row.get("route_name")),
        route_id=_text(row.get("route_id")),
        country=_text(row.get("country")),
        place=_text(row.get("place")),
        nationality=_text(row.get("nationality")),
        sex=Sex(row["sex"]) if row.get("sex") else None,
        age_group=AgeGroup(row["age_group"]) if row.get("age_group") else None,
        source_row=_int(row.get("source_row")),
        border_type=_text(row.get("border_type")),
        admin_level=_int(row.get("admin_level")),
        correction=bool(row.get("correction")),
        route_method=_method(row),
        route_distance_km=_float(row.get("route_distance_km")),
    )


def _incident(row: dict[str, Any]) -> Incident:
    day = row.get("date")
    return Incident(
        row["record_id"],
        IncidentType(row["incident_type"]),
        date.fromisoformat(day) if day else None,
        _int(row.get("dead")),
        _int(row.get("missing")),
        survivors=_int(row.get("survivors")),
        females=_int(row.get("females")),
        males=_int(row.get("males")),
        children=_int(row.get("children")),
        lat=_float(row.get("lat")),
        lon=_float(row.get("lon")),
        route_name=_text(row.get("route_name")),
        route_id=_text(row.get("route_id")),
        country=_text(row.get("country")),
        region=_text(row.get("region")),
        location=_text(row.get("location")),
        causes=_list(row.get("causes")),
        origins=_list(row.get("origins")),
        related_ids=_list(row.get("related_ids")),
        source_quality=_text(row.get("source_quality")),
        source_row=_int(row.get("source_row")),
        route_method=_method(row),
        route_distance_km=_float(row.get("route_distance_km")),
    )


def _method(row: dict[str, Any]) -> str | None:
    """How the exported figure got its route; a value Itinera never writes is dropped (the
    figure is then attributed again, and the reader says so)."""
    method = _text(row.get("route_method"))
    if method is not None and method not in _METHODS:
        raise _UnknownMethod(method)
    return method


class _UnknownMethod(ValueError):
    pass


def dataset_of(path: Path) -> DatasetInfo | None:
    """The provenance written into the file, or None when it is not an Itinera export."""
    import pyarrow.parquet as pq  # on use: pyarrow costs ~100 MB in every process that loads it

    metadata = pq.read_schema(path).metadata or {}
    if DATASET_KEY not in metadata:
        return None
    fields = json.loads(metadata[DATASET_KEY])
    return DatasetInfo(
        fields["source"], fields["publisher"], fields["dataset"], fields.get("vintage"), READER
    )


def read_itinera_export(path: Path, *, source: str | None = None, **_: Any) -> ImportResult:
    """Read one batch of the demo bundle; ``source`` overrides the source key of the file."""
    name = path.name
    try:
        info = dataset_of(path)
    except (OSError, ValueError) as error:  # pyarrow raises ArrowInvalid, a ValueError
        info, reason = None, f"not a Parquet file ({type(error).__name__})"
    else:
        reason = "the file has no itinera.dataset metadata: it is not an Itinera export"
    if info is None:
        unknown = DatasetInfo(source or "itinera", "unknown", name, None, READER)
        return ImportResult(unknown, issues=[Issue(name, reason, severity=Severity.ERROR)])
    if source:
        info = DatasetInfo(source, info.publisher, info.dataset, info.vintage, READER)
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    observations: list[Observation] = []
    incidents: list[Incident] = []
    issues: list[Issue] = []
    for number, row in enumerate(rows, start=1):
        is_figure = row["record"] == "observation"
        read = _observation if is_figure else _incident
        try:
            record: Any = read(row)
        except _UnknownMethod as error:
            value = error.args[0]
            message = f"{value!r} is not a route method; the route is attributed again"
            issues.append(
                Issue(name, message, row=number, column="route_method", value=value, severity=_WARN)
            )
            record = replace(read({**row, "route_method": None}), route_distance_km=None)
        (observations if is_figure else incidents).append(record)
    return ImportResult(info, observations, incidents, issues=issues, rows_read=len(rows))


SPEC = ReaderSpec(READER, read_itinera_export, "Itinera's own export of one batch (Parquet)")
