"""IOM Missing Migrants Project (MMP) exports → incidents, in every layout (see mmp_layouts).

Reader name ``missing-migrants``; source key ``iom-mmp``. One row is one incident record. How
rows add up (cumulative and split incidents, rows without a date) is fixed in
:mod:`itinera.domain.incident_counting`, shared with the service that derives monthly figures.

Decisions on the publisher's quirks, each reported as an issue with file, row and column:

- **Blank is not zero.** A blank count is ``None`` (unknown); ``0`` stays 0.
- **Negative counts** (5 missing and 1 survivors cell in the April 2025 export) are MMP's own
  corrections of earlier records, and MMP's totals include them: they are kept as published,
  with a warning, and the incident is a correction (``Incident.correction``); the monthly
  figures derived from corrections are stored apart, marked ``correction``, so that sums
  equal the publisher's and an analyst can still see or leave them out.
- **Dates.** ``YYYY-MM-DD``, ``January 05, 2020``, ``Thu, 01/01/2026 - 12:00`` (US order) and
  ``dd/mm/yyyy`` (HDX). A blank date or ``0`` is unknown: the row is kept without a date (it
  enters no monthly figure) with a warning. Any other text that is not a date rejects the row.
- **Coordinates** ``"lat, lon"`` (or HDX's two columns): a value out of range, lat == lon, or a
  truncated number (one of the pair written without decimals, e.g. ``"59.1551, 28"``) drops
  the coordinates with a warning; the row is kept.
- **Multi-valued cells** are split on ``,`` not followed by a space, so "Harsh environmental
  conditions / lack of adequate shelter, food, water" stays one cause.
- **Split incidents**: the other ids of the "Incident ID" cell go to ``related_ids``; in
  layouts without an "Incident Type" column, several ids mean a split incident.
- **Countries.** Origins resolve to ISO alpha-3 where possible and are kept as written
  otherwise, with one warning per distinct value (not per row); "Unknown"/"Mixed" are dropped.
- A row without an id, with dead or missing that is not a whole number, or whose id was already
  read is rejected (error).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Incident, IncidentType
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec
from itinera.importers.countries import (
    SPELLING_FIX,
    close_match_note,
    country_code,
    is_unspecified,
)
from itinera.importers.mmp_layouts import Layout, detect_layout
from itinera.importers.parsing import (
    clean_text,
    parse_coordinates,
    parse_count,
    parse_date,
    parse_number,
    split_multi,
)
from itinera.importers.table_files import TableFileError, open_table

__all__ = ["read_mmp"]

SOURCE = "iom-mmp"
PUBLISHER = "IOM Missing Migrants Project"
READER = "missing-migrants"
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_TYPES = {
    "incident": IncidentType.SINGLE,
    "split incident": IncidentType.SPLIT,
    "cumulative incident": IncidentType.CUMULATIVE,
    "incident,split incident": IncidentType.SPLIT,
}
_OPTIONAL_COUNTS = ("survivors", "females", "males", "children")


def _text(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # xlsx numbers come as floats: 2014.0
    return clean_text(value)


class _RowReader:
    """Reads the rows of one file; collects issues and the distinct unresolved names."""

    def __init__(self, file_name: str, layout: Layout) -> None:
        self.file = file_name
        self.layout = layout
        self.issues: list[Issue] = []
        self.unresolved: set[tuple[str, str]] = set()
        self.row = 0

    def issue(
        self,
        field: str,
        value: object,
        message: str,
        suggestion: str | None = None,
        *,
        error: bool = False,
    ) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        column = self.layout.headers.get(field, field)
        text = None if value is None else str(value)
        self.issues.append(
            Issue(self.file, message, self.row, column, None, text, suggestion, severity)
        )

    def cell(self, cells: list[object], field: str) -> object:
        index = self.layout.columns.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    def count(self, cells: list[object], field: str, *, required: bool = False) -> int | None:
        value = self.cell(cells, field)
        try:
            return parse_count(value)
        except ValueError as error:
            correction = _negative_whole(value)
            if correction is not None:
                self.issue(
                    field,
                    value,
                    "negative count: kept as the publisher's correction (marked as such)",
                    "MMP corrects earlier records with negative figures; its totals include them",
                )
                return correction
            self.issue(
                field,
                value,
                str(error),
                "write a whole number or leave the cell blank",
                error=required,
            )
            raise _Rejected if required else _Blank from None

    def optional_count(self, cells: list[object], field: str) -> int | None:
        try:
            return self.count(cells, field)
        except _Blank:
            return None

    def incident_date(self, cells: list[object]) -> date | None:
        value = self.cell(cells, "date")
        text = _text(value)
        if text is None or text == "0":
            self.issue(
                "date",
                value,
                "no incident date; kept, but it enters no monthly figure",
                "add the date of the incident",
            )
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.issue("date", value, str(error), "write the date as YYYY-MM-DD", error=True)
            raise _Rejected from None

    def coordinates(self, cells: list[object]) -> tuple[float, float] | None:
        if "coordinates" in self.layout.columns:
            field, value = "coordinates", _text(self.cell(cells, "coordinates"))
        else:
            lat, lon = _text(self.cell(cells, "lat")), _text(self.cell(cells, "lon"))
            field, value = "lat", None if lat is None or lon is None else f"{lat}, {lon}"
        if value is None:
            return None
        parts = [part.strip() for part in value.split(",")]
        if len(parts) == 2 and sum("." in part for part in parts) == 1:
            self.issue(
                field,
                value,
                "truncated coordinates (one number has no decimals); dropped",
                "check the location and write both numbers in full",
            )
            return None
        try:
            return parse_coordinates(value)
        except ValueError as error:
            self.issue(field, value, f"{error}; coordinates dropped", "write 'latitude, longitude'")
            return None

    def country(self, field: str, name: str) -> str | None:
        code = country_code(name)
        note = close_match_note(name) if code else None
        if note and (field, name) not in self.unresolved:
            self.unresolved.add((field, name))
            self.issue(field, name, note, SPELLING_FIX)
        if code is None and not is_unspecified(name) and (field, name) not in self.unresolved:
            self.unresolved.add((field, name))
            self.issue(
                field,
                name,
                f"unknown country {name!r}; kept as written",
                "add the spelling to importers/data/country_synonyms.yaml",
            )
        return code

    def incident(self, cells: list[object], seen: set[str]) -> Incident:
        source_id = _text(self.cell(cells, "main_id"))
        if source_id is None:
            self.issue("main_id", None, "the row has no id; rejected", error=True)
            raise _Rejected
        ids = split_multi(_text(self.cell(cells, "incident_ids")))
        part = ids[0] if len(ids) == 1 and ids[0] != source_id else None
        if source_id in seen and (part is None or part in seen):
            self.issue(
                "main_id",
                source_id,
                f"the id {source_id!r} was already read; rejected",
                "a split incident's rows need distinct Incident IDs",
                error=True,
            )
            raise _Rejected
        when = self.incident_date(cells)
        dead = self.count(cells, "dead", required=True)
        missing = self.count(cells, "missing", required=True)
        self.check_total(cells)
        survivors, females, males, children = (
            self.optional_count(cells, f) for f in _OPTIONAL_COUNTS
        )
        related = tuple(i for i in ids if i != source_id)
        country_name = _text(self.cell(cells, "country"))
        position = self.coordinates(cells)
        return Incident(
            source_id=source_id,
            incident_type=self.incident_type(cells, related),
            date=when,
            dead=dead,
            missing=missing,
            lat=position[0] if position else None,
            lon=position[1] if position else None,
            route_name=_text(self.cell(cells, "route")),
            country=self.country("country", country_name) if country_name else None,
            region=_text(self.cell(cells, "region")),
            location=_text(self.cell(cells, "location")),
            causes=split_multi(self.cell(cells, "causes")),
            origins=self.origins(cells),
            related_ids=related,
            source_quality=_text(self.cell(cells, "quality")),
            source_row=self.row,
            survivors=survivors,
            females=females,
            males=males,
            children=children,
        )

    def check_total(self, cells: list[object]) -> None:
        value = self.cell(cells, "total")
        try:
            total = parse_number(value)
            parts = [parse_number(self.cell(cells, field)) for field in ("dead", "missing")]
        except ValueError:
            return
        expected = sum(part or 0 for part in parts)
        if total is not None and total != expected:
            self.issue(
                "total",
                value,
                f"the total {value} is not dead + missing ({expected:g}); "
                "dead and missing are stored, the total is not",
            )

    def origins(self, cells: list[object]) -> tuple[str, ...]:
        names = [n for n in split_multi(self.cell(cells, "origins")) if not is_unspecified(n)]
        return tuple(self.country("origins", name) or name for name in names)

    def incident_type(self, cells: list[object], related: tuple[str, ...]) -> IncidentType:
        if "incident_type" not in self.layout.columns:
            return IncidentType.SPLIT if related else IncidentType.SINGLE
        value = _text(self.cell(cells, "incident_type")) or ""
        kind = _TYPES.get(value.casefold())
        if kind is None:
            self.issue(
                "incident_type",
                value,
                f"unknown incident type {value!r}; rejected",
                "expected Incident, Split Incident or Cumulative Incident",
                error=True,
            )
            raise _Rejected
        return kind


class _Rejected(Exception):
    """The current row is rejected (its issue is already recorded)."""


class _Blank(Exception):
    """An optional count was invalid and is left blank (its issue is already recorded)."""


def _regroup_split_parts(incidents: list[Incident]) -> list[Incident]:
    """Rows sharing a Main ID (the 2026 layout's split incidents: one row per part, each with
    its own Incident ID and figures) become parts identified by their Incident ID, each listing
    the other parts in ``related_ids``."""
    groups: dict[str, list[int]] = {}
    for index, incident in enumerate(incidents):
        groups.setdefault(incident.source_id, []).append(index)
    for main_id, indexes in groups.items():
        if len(indexes) < 2:
            continue
        own = [(incidents[i].related_ids or (main_id,))[0] for i in indexes]
        for index, part_id in zip(indexes, own, strict=True):
            others = tuple(other for other in own if other != part_id)
            incidents[index] = replace(
                incidents[index],
                source_id=part_id,
                incident_type=IncidentType.SPLIT,
                related_ids=others,
            )
    return incidents


def read_mmp(path: Path, *, source: str | None = None, **_options: object) -> ImportResult:
    """Read a Missing Migrants Project export (CSV or XLSX) into incidents plus issues."""
    info = DatasetInfo(source or SOURCE, PUBLISHER, "MMP incidents", None, READER)
    try:
        table = open_table(path)
    except TableFileError as error:
        return ImportResult(info, issues=[Issue(path.name, str(error))])
    layout = detect_layout(table.header)
    if isinstance(layout, str):
        return ImportResult(info, issues=[*table.issues, Issue(path.name, layout, row=1)])
    reader = _RowReader(path.name, layout)
    reader.issues.extend(table.issues)
    incidents: list[Incident] = []
    seen: set[str] = set()
    rows_read = rows_rejected = 0
    for number, cells in table.rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        rows_read += 1
        reader.row = number
        try:
            incident = reader.incident(cells, seen)
        except _Rejected:
            rows_rejected += 1
            continue
        seen.update((incident.source_id, *incident.related_ids))
        incidents.append(incident)
    incidents = _regroup_split_parts(incidents)
    match = _FILE_DATE.search(path.name)
    dates = [i.date for i in incidents if i.date is not None]
    vintage = match.group(1) if match else (max(dates).isoformat() if dates else None)
    dataset = f"MMP incidents, {layout.description}"
    info = DatasetInfo(info.source, PUBLISHER, dataset, vintage, READER)
    return ImportResult(
        info,
        incidents=incidents,
        issues=reader.issues,
        rows_read=rows_read,
        rows_rejected=rows_rejected,
    )


SPEC = ReaderSpec(READER, read_mmp, "IOM Missing Migrants Project export (CSV or XLSX, any layout)")


def _negative_whole(value: object) -> int | None:
    """A negative whole number (an MMP correction), else None."""
    try:
        number = parse_number(value)
    except ValueError:
        return None
    if number is None or number >= 0 or number != int(number):
        return None
    return int(number)
