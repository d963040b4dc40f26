"""HXL figures read column by column (C2): pyarrow's streaming CSV reader, chunk by chunk,
each distinct value of a column parsed and checked once.

The row plan (``hxl_plan.RowPlan``) stays the reference: a row the columns cannot settle (a
cell the plan would reject, a figure that is not plain digits, a blank row) goes through
``RowPlan.parse`` itself, in its place, so records and issues are the same as row by row.
Where pyarrow could read the text otherwise than the ``csv`` module (a quoted line break, a
lone carriage return, a NUL byte, an overlong line, a ragged row, not UTF-8) the file, or
what is left of it, is read row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv

from itinera.importers.base import FlatObservation, ImportResult
from itinera.importers.codes import country_iso3
from itinera.importers.flat_columns import Coded, FlatColumns
from itinera.importers.hxl_plan import _ENUMS, RowPlan
from itinera.importers.textfile import MAX_FIELD
from itinera.importers.values import parse_figure_period

__all__ = ["BLOCK", "plain_csv", "read_columns"]

BLOCK = 4 << 20  # bytes per chunk: ~80,000 rows of a narrow file
Record = FlatObservation | FlatColumns
_BAD = object()  # a distinct value the plan would reject: its rows go row by row


def plain_csv(path: Path) -> bool:
    """True when every line of ``path`` is one CSV record as the ``csv`` module reads it:
    no quoted line break, no lone carriage return, no NUL byte, no line near the limits."""
    last = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            lines = (last + block).split(b"\n")
            last = lines.pop()
            if b"\0" in block or b"\r" in block.replace(b"\r\n", b""):
                return False
            if max(map(len, lines), default=0) >= MAX_FIELD:
                return False
            if b'"' in block and any(line.count(b'"') % 2 for line in lines):
                return False
    return len(last) < MAX_FIELD and last.count(b'"') % 2 == 0 and not last.endswith(b"\r")


def read_columns(
    path: Path, plan: RowPlan, result: ImportResult, header_rows: int, width: int
) -> Generator[Record, None, int]:
    """The figures after the first ``header_rows`` records. Returns -1 at the end of the
    file; where pyarrow cannot go on, the number of records consumed, for the caller to
    read the rest."""
    options = pa_csv.ReadOptions(
        skip_rows=header_rows, autogenerate_column_names=True, block_size=BLOCK
    )
    parse = pa_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False)
    types = pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)})
    consumed = 0  # -1: the whole file
    try:
        reader = pa_csv.open_csv(
            path, read_options=options, parse_options=parse, convert_options=types
        )
        if len(reader.schema) != width:
            return 0
        for batch in reader:
            yield from _chunk(batch, plan, result, header_rows + consumed + 1)
            consumed += batch.num_rows
    except pa.ArrowInvalid:
        return consumed
    return -1


def _chunk(
    batch: pa.RecordBatch, plan: RowPlan, result: ImportResult, first_row: int
) -> Iterator[Record]:
    """One chunk's figures: runs of rows the columns settle, and the others row by row."""
    size = batch.num_rows
    slow = np.zeros(size, dtype=bool)
    blank = np.ones(size, dtype=bool)
    dims: dict[str, Coded] = {}
    for role, resolve in _resolvers(plan).items():
        index = getattr(plan, role)
        column = _distinct(batch, index, size)
        parsed = tuple(resolve(text) for text in column.values)
        slow |= np.array([value is _BAD for value in parsed])[column.codes]
        blank &= np.array([not text.strip() for text in column.values])[column.codes]
        dims[role] = Coded(tuple(None if v is _BAD else v for v in parsed), column.codes)
    figures = []
    for index in [plan.value] if plan.long else [f[0] for f in plan.figures]:
        column = _distinct(batch, index, size)
        values = [_figure(text) for text in column.values]
        slow |= np.array([value is _BAD for value in values])[column.codes]
        blank &= np.array([not text.strip() for text in column.values])[column.codes]
        numbers = np.array([np.nan if v is None or v is _BAD else v for v in values])
        figures.append(numbers[column.codes])
    if plan.long:
        column = _distinct(batch, plan.indicator, size)
        dims["indicator"] = Coded(tuple(t.strip() for t in column.values), column.codes)
        blank &= np.array([not text.strip() for text in column.values])[column.codes]
    slow |= blank  # the plan skips a blank row (its unused cells may hold something)
    start = 0
    for stop in [*np.flatnonzero(slow).tolist(), size]:
        if stop > start:
            result.rows_read += stop - start
            rows = np.arange(start, stop)
            yield _columns(plan, dims, [f[start:stop] for f in figures], rows, first_row)
        if stop < size:
            cells = [batch.column(i)[stop].as_py() for i in range(batch.num_columns)]
            yield from _row(plan, result, cells, first_row + stop)
        start = stop + 1


def _row(plan: RowPlan, result: ImportResult, cells: list[str], number: int) -> Iterator[Record]:
    """One row the way ``hxl._flat`` reads it."""
    if not any(c.strip() for c in cells):
        return
    result.rows_read += 1
    records, problems = plan.parse(cells, number)
    if problems:
        result.issues.extend(problems)
        result.rows_rejected += 1
        return
    yield from records


def _distinct(batch: pa.RecordBatch, index: int, size: int) -> Coded:
    """A column's distinct texts and, per row, the index of its text (-1: no column)."""
    if index < 0:
        return Coded.constant("", size)
    encoded = batch.column(index).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp)
    return Coded(tuple(encoded.dictionary.to_pylist()), codes)


def _figure(text: str) -> float | None | object:
    """A plain digit figure, None for a blank cell, _BAD for anything the plan must parse."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return float(text)
    return _BAD


def _resolvers(plan: RowPlan) -> dict[str, Callable[[str], Any]]:
    """Per dimension, what the plan's ``parse`` makes of one cell's text (``_BAD``: an issue)."""

    def period(text: str) -> Any:
        text = text.strip()
        found = plan.periods.get(text)
        if found is None:
            parsed = parse_figure_period(text, _ignore)
            if parsed is None:
                return _BAD
            found = plan.periods[text] = (parsed.kind.value, parsed.start, parsed.end)
        return found

    def code(text: str) -> Any:
        text = text.strip()
        if not text:
            return None
        found = plan.codes.get(text) or country_iso3(text)
        if found is None:
            return _BAD
        plan.codes[text] = found
        return found

    def enum(role: str) -> Callable[[str], Any]:
        def member(text: str) -> Any:
            text = text.strip()
            if not text:
                return None
            try:
                return _ENUMS[role](text.lower()).value
            except ValueError:
                return _BAD

        return member

    def optional(text: str) -> str | None:
        return text.strip() or None

    return {
        "period": period,
        "country": code,
        "nationality": code,
        "sex": enum("sex"),
        "age": enum("age_group"),
        "route_name": optional,
        "route_id": optional,
        "place": optional,
        "border": optional,
        "correction": lambda text: text.strip().casefold() in ("true", "1", "yes"),
    }


def _ignore(*_args: Any, **_kwargs: Any) -> None:
    """A problem collector for a value tried once: its rows are parsed again by the plan."""


def _columns(
    plan: RowPlan,
    dims: dict[str, Coded],
    figures: list[npt.NDArray[np.float64]],
    rows: npt.NDArray[np.intp],
    first_row: int,
) -> FlatColumns:
    """The figures of the chunk's ``rows`` (all settled), a row's figures together."""
    values = np.column_stack(figures)
    width = values.shape[1]
    present = np.flatnonzero(~np.isnan(values.ravel()))
    row, column = rows[present // width], present % width
    if plan.long:
        indicator = dims["indicator"].subset(row)
        sex, age = dims["sex"].subset(row), dims["age"].subset(row)
    else:
        indicator = Coded(tuple(f[1] for f in plan.figures), column)
        sex = _tagged(dims["sex"], row, column, [f[2] for f in plan.figures])
        age = _tagged(dims["age"], row, column, [f[3] for f in plan.figures])
    name, route_id = dims["route_name"], dims["route_id"]
    pairs, which = np.unique(
        name.codes[row] * len(route_id.values) + route_id.codes[row], return_inverse=True
    )
    divisor = len(route_id.values)
    route = tuple((name.values[p // divisor], route_id.values[p % divisor]) for p in pairs)
    return FlatColumns(
        indicator=indicator,
        value=values.ravel()[present],
        period=dims["period"].subset(row),
        route=Coded(route, which.astype(np.intp)),
        country=dims["country"].subset(row),
        place=dims["place"].subset(row),
        nationality=dims["nationality"].subset(row),
        sex=sex,
        age_group=age,
        border_type=dims["border"].subset(row),
        source_row=(row + first_row).astype(np.int64),
        admin_level=Coded.constant(None, len(row)),
        correction=dims["correction"].subset(row),
    )


def _tagged(
    coded: Coded, row: npt.NDArray[np.intp], column: npt.NDArray[np.intp], tags: list[Any]
) -> Coded:
    """A row's sex or age group, unless the figure's own hashtag says it (``+f``, ``+children``)."""
    if all(tag is None for tag in tags):
        return coded.subset(row)
    tagged = np.array([tag is not None for tag in tags])
    codes = np.where(tagged[column], len(coded.values) + column, coded.codes[row])
    return Coded((*coded.values, *tags), codes.astype(np.intp))
