"""Export observations and incidents as HXL-tagged CSV, plain CSV or Parquet, with provenance.

The HXL export of observations is in the long shape the ``hxl`` reader reads back: importing
it again gives the same figures, each on the route it had and placed the same way (every export
carries ``route_method`` and ``route_distance_km``, decision 0020). Records are streamed from
the store in chunks (``MovementQueryRepository``) and their columns read off by attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.spreadsheet_cells import SafeCsvWriter
from itinera.services.movements.query import ObservationFilter, iter_observations
from itinera.storage.database import Database
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = [
    "FORMATS",
    "INCIDENT_COLUMNS",
    "OBSERVATION_COLUMNS",
    "export_incidents",
    "export_observations",
    "parquet_schema",
]

FORMATS = ("hxl", "csv", "parquet")
OBSERVATION_COLUMNS: list[tuple[str, str]] = [
    ("indicator", "#indicator+code"),
    ("value", "#indicator+value+num"),
    ("unit", "#indicator+unit"),
    ("period", "#date+period"),
    ("route_id", "#region+route+code"),
    ("country", "#country+code"),
    ("nationality", "#country+nationality+code"),
    ("sex", "#meta+sex"),
    ("age_group", "#meta+age"),
    ("source", "#meta+source"),
    ("vintage", "#meta+vintage"),
    ("batch_id", "#meta+batch+id"),
    ("route_name", "#region+route+name"),
    ("place", "#loc+name"),
    ("admin_level", "#meta+adm+level"),
    ("correction", "#meta+correction"),
    ("border_type", "#meta+border"),
    ("dataset", "#meta+dataset"),
    ("source_row", "#meta+row"),
    ("derived", "#meta+derived"),
    ("route_method", "#meta+route+method"),
    ("route_distance_km", "#meta+route+distance"),
]
INCIDENT_COLUMNS: list[tuple[str, str]] = [
    ("record_id", "#event+code"),
    ("incident_type", "#event+type"),
    ("date", "#date+occurred"),
    ("dead", "#affected+killed"),
    ("missing", "#affected+missing"),
    ("survivors", "#affected+survivors"),
    ("females", "#affected+killed+missing+f"),
    ("males", "#affected+killed+missing+m"),
    ("children", "#affected+killed+missing+children"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("route_id", "#region+route+code"),
    ("route_name", "#region+route+name"),
    ("country", "#country+code"),
    ("region", "#region+incident"),
    ("location", "#loc+name"),
    ("causes", "#cause+type+list"),
    ("origins", "#country+origin+list"),
    ("related_ids", "#event+code+related+list"),
    ("source_quality", "#meta+source+quality"),
    ("source", "#meta+source"),
    ("vintage", "#meta+vintage"),
    ("batch_id", "#meta+batch+id"),
    ("source_row", "#meta+row"),
    ("superseded", "#meta+superseded"),
    ("route_method", "#meta+route+method"),
    ("route_distance_km", "#meta+route+distance"),
]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return value


def _values(columns: list[tuple[str, str]]) -> Callable[[Any], tuple[Any, ...]]:
    """Reads the columns' values off a record, in column order."""
    getter = attrgetter(*(name for name, _ in columns))
    return getter if len(columns) > 1 else lambda record: (getter(record),)


def _write_text(out: TextIO, columns: list[tuple[str, str]], rows: Iterable[Any], hxl: bool) -> int:
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    if hxl:
        writer.writerow([tag for _, tag in columns])
    values = _values(columns)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in values(row)])
        count += 1
    return count


# One fixed Parquet type per column, whatever the data (an empty column is never ``null``), so
# that any two exports read together (docs/decisions/0005-movement-data.md). Dates: ISO text.
PARQUET_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(("value", "lat", "lon", "route_distance_km"), pa.float64()),
    **dict.fromkeys(
        ("batch_id", "source_row", "dead", "missing", "survivors", "females", "males"),
        pa.int64(),
    ),
    "children": pa.int64(),
    "admin_level": pa.int32(),
    **dict.fromkeys(("derived", "superseded", "correction"), pa.bool_()),
}


def parquet_schema(columns: list[tuple[str, str]]) -> pa.Schema:
    """The fixed schema of an export with ``columns``: text unless ``PARQUET_TYPES`` says."""
    return pa.schema([(name, PARQUET_TYPES.get(name, pa.string())) for name, _ in columns])


def _write_parquet(path: Path, columns: list[tuple[str, str]], rows: Iterable[Any]) -> int:
    names = [name for name, _ in columns]
    schema = parquet_schema(columns)
    values = _values(columns)
    count = 0
    chunk: list[tuple[Any, ...]] = []
    writer = pq.ParquetWriter(str(path), schema)

    def flush() -> None:
        data = {
            name: [_parquet_value(row[position]) for row in chunk]
            for position, name in enumerate(names)
        }
        writer.write_table(pa.table(data, schema=schema))

    for row in rows:
        chunk.append(values(row))
        count += 1
        if len(chunk) >= 50000:
            flush()
            chunk = []
    if chunk or not count:
        flush()
    writer.close()
    return count


def _parquet_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _export(
    fmt: str, output: Path | TextIO, columns: list[tuple[str, str]], rows: Iterator[Any]
) -> int:
    """Write ``rows`` (records with an attribute per column) in ``fmt``; returns the count."""
    if fmt not in FORMATS:
        raise ValidationError.single("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(output, Path):
            raise ValidationError.single("output", "Parquet needs an output file")
        return _write_parquet(output, columns, rows)
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8", newline="") as handle:
            return _write_text(handle, columns, rows, fmt == "hxl")
    return _write_text(output, columns, rows, fmt == "hxl")


def export_observations(
    db: Database, actor: Actor, filters: ObservationFilter, fmt: str, output: Path | TextIO
) -> int:
    """Write the matching current observations (derived monthly figures included)."""
    require(actor, Action.VIEW_AGGREGATES)
    filters.bounds()  # validate before opening the output
    with db.transaction() as session:
        return _export(fmt, output, OBSERVATION_COLUMNS, iter_observations(session, filters))


def export_incidents(
    db: Database,
    actor: Actor,
    fmt: str,
    output: Path | TextIO,
    *,
    source: str | None = None,
    route_id: str | None = None,
) -> int:
    """Write every stored incident (current and superseded), optionally of one source or route."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        records = MovementQueryRepository(session).iter_incidents(source=source, route_id=route_id)
        return _export(fmt, output, INCIDENT_COLUMNS, records)
