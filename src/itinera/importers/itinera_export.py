"""Itinera's own movement export (Parquet) → observations and incidents (reader ``itinera``).

The demo bundle ships one file per import batch, written by ``services.movements.demo`` from
the export code (``export_observations`` and ``export_incidents``): both record kinds in one
table, told apart by the ``record`` column, with the batch's provenance (source, publisher,
dataset, vintage) in the file's key-value metadata under ``itinera.dataset``. Reading it back
gives the figures that were exported:

- observations keep indicator, value, period, route (name and catalogue id), country, place,
  admin level, nationality, sex, age group, border type, correction flag and source row;
  derived monthly figures are not in the file because the import derives them again from the
  incidents;
- incidents keep every field of :class:`Incident`. Multi-valued fields were joined with ``,``
  (no space); cause names contain ``", "`` themselves, so they are split on a comma that is not
  followed by a space.
"""

from __future__ import annotations

import json
import re
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
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec

__all__ = ["DATASET_KEY", "READER", "SPEC", "read_itinera_export"]

READER = "itinera"
DATASET_KEY = b"itinera.dataset"
_LIST_SEPARATOR = re.compile(r",(?! )")


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
    )


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
    observations = [_observation(r) for r in rows if r["record"] == "observation"]
    incidents = [_incident(r) for r in rows if r["record"] == "incident"]
    return ImportResult(info, observations, incidents, rows_read=len(rows))


SPEC = ReaderSpec(READER, read_itinera_export, "Itinera's own export of one batch (Parquet)")
