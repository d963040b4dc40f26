"""Frontex monthly detections of illegal border-crossing (FRAN data) → observations.

Reader name ``frontex``; source key ``frontex-ibc``; indicator ``irregular_crossings_detected``
whose unit is *detections*, not persons (one person crossing twice is two detections).

Two layouts, recognised from the header:

- **wide**, the original ``Monthly_detections_of_IBC_as_of_YYYY-MM-DD.xlsx`` (sheet
  ``Detections_of_IBC``) or a CSV of it: ``Route, Border type or inland, Nationality, JAN2009,
  FEB2009, …`` — unpivoted into one observation per route × border type × nationality × month.
  Zeros are explicit and kept; a blank cell is unknown and gives no observation.
- **long**, IOM's copy (``route, type, nat, t, n``; ISO3 nationalities, zeros omitted).

Rules: the route name goes to ``route_name`` as written ("Central Mediterranean Route");
``Land``/``Sea`` to ``border_type``; nationality names lose their footnote markers
("Kosovo*", "Palestine^") and resolve to ISO alpha-3. Rows whose nationality is a total
("Total", "All nationalities") are not imported, so nothing is counted twice. Nationalities
that name no country ("Unknown", "Third-country", "Unspecified sub-Saharan nationals") and
names that do not resolve (one warning per distinct name) are summed into one observation
without nationality per route × border type × month, whose note lists what it holds. A
repeated route × border type × nationality row is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Observation, Period
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec
from itinera.importers.countries import (
    SPELLING_FIX,
    close_match_note,
    country_code,
    is_unspecified,
    strip_footnote_markers,
)
from itinera.importers.parsing import clean_text, parse_count, parse_month
from itinera.importers.table_files import TableFile, TableFileError, open_table, sheet_names

__all__ = ["read_frontex"]

SOURCE = "frontex-ibc"
READER = "frontex"
INDICATOR = "irregular_crossings_detected"
SHEET = "Detections_of_IBC"
_WIDE = ("route", "border type or inland", "nationality")
_LONG = ("route", "type", "nat", "t", "n")
_TOTALS = {"total", "totals", "all nationalities", "all", "sum", "grand total"}
_BORDERS = {"land": "land", "sea": "sea"}
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


class _Rejected(Exception):
    """The current row is rejected (its issue is already recorded)."""


@dataclass
class _Key:
    route: str
    border: str
    period: Period


class _Collector:
    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.issues: list[Issue] = []
        self.named: list[Observation] = []
        self.unnamed: dict[tuple[str, str, Period], tuple[float, set[str], int]] = {}
        self.unresolved: set[str] = set()
        self.seen: set[tuple[str, str, str, str]] = set()

    def issue(
        self,
        row: int,
        column: str,
        value: object,
        message: str,
        suggestion: str | None = None,
        *,
        error: bool = True,
    ) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        text = None if value is None else str(value)
        self.issues.append(Issue(self.file, message, row, column, None, text, suggestion, severity))

    def row_key(
        self, row: int, header: list[str], cells: list[object], month: str = ""
    ) -> tuple[str, str, str]:
        """(route, border type, nationality as written) of a row; rejects a repeated row."""
        route, border, name = (clean_text(cells[i]) if i < len(cells) else None for i in range(3))
        if route is None:
            self.issue(row, header[0], None, "no route; row rejected")
            raise _Rejected
        if border is None or border.casefold() not in _BORDERS:
            self.issue(row, header[1], border, "border type must be Land or Sea; row rejected")
            raise _Rejected
        if name is None:
            self.issue(
                row,
                header[2],
                None,
                "no nationality; row rejected",
                "write the nationality, or Unknown",
            )
            raise _Rejected
        key = (route, _BORDERS[border.casefold()], strip_footnote_markers(name))
        if (*key, month) in self.seen:
            self.issue(
                row,
                header[2],
                name,
                f"{route} × {border} × {name} {month} was already "
                "read; row rejected (it would be counted twice)",
            )
            raise _Rejected
        self.seen.add((*key, month))
        return key

    def nationality(self, row: int, column: str, name: str) -> str | None:
        code = country_code(name)
        note = close_match_note(name) if code else None
        if note and name not in self.unresolved:
            self.unresolved.add(name)
            self.issue(row, column, name, note, SPELLING_FIX, error=False)
        if code is None and not is_unspecified(name) and name not in self.unresolved:
            self.unresolved.add(name)
            self.issue(
                row,
                column,
                name,
                f"unknown nationality {name!r}; counted without nationality",
                "add the spelling to importers/data/country_synonyms.yaml",
                error=False,
            )
        return code

    def add(self, key: _Key, nationality: str | None, name: str, value: int, row: int) -> None:
        if nationality is not None:
            self.named.append(
                Observation(
                    INDICATOR,
                    float(value),
                    key.period,
                    key.route,
                    nationality=nationality,
                    source_row=row,
                    border_type=key.border,
                )
            )
            return
        bucket = (key.route, key.border, key.period)
        total, names, first = self.unnamed.get(bucket, (0.0, set(), row))
        names.add(name)
        self.unnamed[bucket] = (total + value, names, first)

    def observations(self) -> list[Observation]:
        unnamed = [
            Observation(
                INDICATOR,
                total,
                period,
                route,
                source_row=row,
                border_type=border,
                note="nationality not specified: " + ", ".join(sorted(names)),
            )
            for (route, border, period), (total, names, row) in self.unnamed.items()
        ]
        return [*self.named, *unnamed]


def _read_wide(table: TableFile, sink: _Collector) -> tuple[int, int]:
    months: list[tuple[int, Period]] = []
    for index, name in enumerate(table.header[3:], start=3):
        try:
            months.append((index, Period.month(*parse_month(name))))
        except ValueError:
            sink.issue(
                1, name, name, "not a month column (expected e.g. JAN2009); ignored", error=False
            )
    read = rejected = 0
    for row, cells in table.rows:
        if all(cell is None for cell in cells):
            continue
        read += 1
        try:
            route, border, name = sink.row_key(row, table.header, cells)
            if name.casefold() in _TOTALS:
                sink.issue(
                    row,
                    table.header[2],
                    name,
                    "a totals row; not imported (the "
                    "nationality rows already hold these detections)",
                    error=False,
                )
                continue
            nationality = sink.nationality(row, table.header[2], name)
            values = []
            for index, period in months:
                value = _count(sink, row, table.header[index], cells, index)
                if value is not None:
                    values.append((period, value))
        except _Rejected:
            rejected += 1
            continue
        for period, value in values:
            sink.add(_Key(route, border, period), nationality, name, value, row)
    return read, rejected


def _count(sink: _Collector, row: int, column: str, cells: list[object], index: int) -> int | None:
    value = cells[index] if index < len(cells) else None
    try:
        return parse_count(value)
    except ValueError as error:
        sink.issue(
            row, column, value, f"{error}; row rejected", "write a whole number of detections"
        )
        raise _Rejected from None


def _read_long(table: TableFile, sink: _Collector) -> tuple[int, int]:
    read = rejected = 0
    for row, cells in table.rows:
        if all(cell is None for cell in cells):
            continue
        read += 1
        try:
            text = clean_text(cells[3]) if len(cells) > 3 else None
            route, border, name = sink.row_key(row, table.header, cells, str(text))
            try:
                period = Period.month(*parse_month(text))
            except ValueError as error:
                sink.issue(row, table.header[3], text, str(error) + "; row rejected")
                raise _Rejected from None
            value = _count(sink, row, table.header[4], cells, 4)
        except _Rejected:
            rejected += 1
            continue
        if value is not None:
            sink.add(
                _Key(route, border, period),
                sink.nationality(row, table.header[2], name),
                name,
                value,
                row,
            )
    return read, rejected


def read_frontex(path: Path, *, source: str | None = None, **_options: object) -> ImportResult:
    """Read Frontex detections (wide xlsx/CSV or IOM's long CSV) into observations."""
    info = DatasetInfo(
        source or SOURCE, "Frontex", "Detections of illegal border-crossing", None, READER
    )
    try:
        sheets = sheet_names(path)
        table = open_table(path, sheet=SHEET if SHEET in sheets else None)
    except TableFileError as error:
        return ImportResult(info, issues=[Issue(path.name, str(error))])
    keys = [name.strip().casefold() for name in table.header]
    sink = _Collector(path.name)
    sink.issues.extend(table.issues)
    if tuple(keys[:3]) == _WIDE:
        read, rejected = _read_wide(table, sink)
        dataset = "Monthly detections of illegal border-crossing (wide, months as columns)"
    elif tuple(keys[:5]) == _LONG:
        read, rejected = _read_long(table, sink)
        dataset = "Monthly detections of illegal border-crossing (IOM long copy)"
    else:
        message = (
            "this is not a Frontex detections file: expected the header 'Route, Border "
            "type or inland, Nationality, JAN2009, …' or 'route, type, nat, t, n'"
        )
        return ImportResult(info, issues=[*table.issues, Issue(path.name, message, row=1)])
    match = _FILE_DATE.search(path.name)
    info = DatasetInfo(info.source, "Frontex", dataset, match.group(1) if match else None, READER)
    return ImportResult(
        info,
        observations=sink.observations(),
        issues=sink.issues,
        rows_read=read,
        rows_rejected=rejected,
    )


SPEC = ReaderSpec(READER, read_frontex, "Frontex monthly detections of illegal border-crossing")
