"""UNHCR Mediterranean situation arrivals → observations (reader ``unhcr-arrivals``).

Source key ``unhcr-med``. The reader recognises each table from its header, in a CSV file or in
any sheet of a workbook (``unhcr_med_data_12_31.xlsx``: ``COMBINED``, ``Arrivals - <country>``,
``Daily Arrivals to <country>``; other sheets are summaries and are skipped):

- **monthly by country** (``month, year, month-year, italy_all, greece_sea, …``): ``_all`` →
  ``arrivals``, ``_sea`` → ``sea_arrivals``, ``_land`` → ``land_arrivals`` for the country named
  by the column. ``NA`` is unknown, not 0: no observation (one warning per column says how many).
- **arrivals by origin** (``Country of Origin [ISO Code], Arrival Month, Arrival Year, Number
  of individuals arrived``): ``arrivals`` by nationality. The arrival country comes from the
  ``country`` option, the sheet name or the file name (``arrivals_by_origin_italy``). Rows for
  no particular nationality ("Others", blank) are not imported — read as observations without
  nationality they would pass for the country's total — and one warning counts them.
- **daily arrivals** (``Arrival Date, Daily arrived``): ``arrivals`` per day; missing days are
  gaps, not zeros.
- **year-to-date by disembarkation place** (``geomaster_name, admin_level, …, month, year,
  individuals, country_name``): ``sea_arrivals`` for the period 1 January → ``month`` (a year
  when ``month`` is 12); never summed across months. Rows at ``Country`` level are the
  country's figure (``place`` empty); ``Province`` and ``Settlement`` rows are places
  (``place`` = the name, ``note`` = the level) and never add up into the country's figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Observation, Period
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec
from itinera.importers.countries import country_code, is_unspecified
from itinera.importers.parsing import clean_text, parse_count, parse_date
from itinera.importers.table_files import TableFile, TableFileError, open_table, sheet_names

__all__ = ["read_unhcr_arrivals"]

SOURCE = "unhcr-med"
READER = "unhcr-arrivals"
PUBLISHER = "UNHCR Operational Data Portal (Mediterranean situation)"
_INDICATORS = {"all": "arrivals", "sea": "sea_arrivals", "land": "land_arrivals"}


class _Table:
    """Reads one table (a CSV file or a sheet) into observations, collecting issues."""

    def __init__(self, table: TableFile, label: str, country: str | None) -> None:
        self.table = table
        self.label = label  # "file.xlsx [sheet]" or "file.csv", as issues cite it
        self.country = country
        self.keys = [name.strip().casefold() for name in table.header]
        self.issues: list[Issue] = list(table.issues)
        self.observations: list[Observation] = []
        self.read = self.rejected = 0

    def issue(
        self,
        row: int | None,
        column: str | None,
        value: object,
        message: str,
        suggestion: str | None = None,
        *,
        error: bool = True,
    ) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        text = None if value is None else str(value)
        self.issues.append(
            Issue(self.label, message, row, column, None, text, suggestion, severity)
        )

    def column(self, *names: str) -> int | None:
        for name in names:
            if name in self.keys:
                return self.keys.index(name)
        return None

    def rows(self) -> list[tuple[int, list[object]]]:
        found = []
        for row, cells in self.table.rows:
            if any(cell is not None and str(cell).strip() for cell in cells):
                found.append((row, cells + [None] * (len(self.keys) - len(cells))))
        self.read = len(found)
        return found

    def number(self, row: int, cells: list[object], index: int) -> int | None:
        try:
            return parse_count(cells[index])
        except ValueError as error:
            self.issue(
                row,
                self.table.header[index],
                cells[index],
                f"{error}; row rejected",
                "write a whole number, or NA when unknown",
            )
            raise _Rejected from None

    def monthly(self) -> None:
        year, month = self.column("year"), self.column("month")
        assert year is not None and month is not None
        series = []
        for index, key in enumerate(self.keys):
            if match := re.fullmatch(r"([a-z ]+)_(all|sea|land)", key):
                code = country_code(match.group(1))
                if code is None:
                    self.issue(1, self.table.header[index], key, "no country in this column name")
                    continue
                series.append((index, code, _INDICATORS[match.group(2)]))
        unknown: Counter[int] = Counter()
        for row, cells in self.rows():
            try:
                period = Period.month(_whole(cells[year]), _whole(cells[month]))
                values = [(s, self.number(row, cells, s[0])) for s in series]
            except ValueError:
                self.issue(
                    row, "month", f"{cells[year]}-{cells[month]}", "not a month; row rejected"
                )
                self.rejected += 1
                continue
            except _Rejected:
                self.rejected += 1
                continue
            for (index, code, indicator), value in values:
                if value is None:
                    unknown[index] += 1
                else:
                    self.observations.append(
                        Observation(indicator, float(value), period, country=code, source_row=row)
                    )
        for index, count in sorted(unknown.items()):
            self.issue(
                None,
                self.table.header[index],
                "NA",
                f"{count} cell(s) NA or blank: unknown, not 0; no figure stored for those months",
                error=False,
            )

    def by_origin(self) -> None:
        code_at = self.column("country of origin iso code")
        name_at = self.column("country of origin", "country of origin name")
        month, year = self.column("arrival month"), self.column("arrival year")
        value_at = self.column("number of individuals arrived")
        assert name_at is not None and month is not None and year is not None
        assert value_at is not None
        if self.country is None:
            self.issue(
                None,
                None,
                None,
                "cannot tell the arrival country of this table",
                "name the file arrivals_by_origin_<country> or pass the country option",
            )
            return
        unspecified = 0
        unresolved: set[str] = set()
        for row, cells in self.rows():
            name = clean_text(cells[name_at]) or ""
            code = clean_text(cells[code_at]) if code_at is not None else None
            try:
                period = Period.month(_whole(cells[year]), _whole(cells[month]))
                value = self.number(row, cells, value_at)
            except ValueError:
                self.issue(row, self.table.header[month], cells[month], "not a month; row rejected")
                self.rejected += 1
                continue
            except _Rejected:
                self.rejected += 1
                continue
            if is_unspecified(name) and (code is None or is_unspecified(code)):
                unspecified += 1
                continue
            nationality = country_code(code) if code else None
            nationality = nationality or country_code(name)
            if nationality is None:
                if name not in unresolved:
                    unresolved.add(name)
                    self.issue(
                        row,
                        self.table.header[name_at],
                        name,
                        f"unknown nationality {name!r}; its rows are not imported",
                        "add the spelling to importers/data/country_synonyms.yaml",
                    )
                self.rejected += 1
                continue
            if value is not None:
                self.observations.append(
                    Observation(
                        "arrivals",
                        float(value),
                        period,
                        country=self.country,
                        nationality=nationality,
                        source_row=row,
                    )
                )
        if unspecified:
            self.issue(
                None,
                self.table.header[name_at],
                "Others",
                f"{unspecified} row(s) for no "
                "particular nationality not imported; the monthly table holds the totals",
                error=False,
            )

    def daily(self) -> None:
        if self.country is None:
            self.issue(
                None,
                None,
                None,
                "cannot tell the arrival country of this table",
                "name the file daily_arrivals_<country> or pass the country option",
            )
            return
        for row, cells in self.rows():
            try:
                period = Period.day(parse_date(cells[0]))
                value = self.number(row, cells, 1)
            except ValueError as error:
                self.issue(row, self.table.header[0], cells[0], f"{error}; row rejected")
                self.rejected += 1
                continue
            except _Rejected:
                self.rejected += 1
                continue
            if value is not None:
                self.observations.append(
                    Observation(
                        "arrivals", float(value), period, country=self.country, source_row=row
                    )
                )

    def year_to_date(self) -> None:
        at = {
            key: self.keys.index(key)
            for key in (
                "geomaster_name",
                "admin_level",
                "month",
                "year",
                "individuals",
                "country_name",
            )
        }
        for row, cells in self.rows():
            country_name = clean_text(cells[at["country_name"]]) or ""
            country = country_code(country_name)
            try:
                year, month = int(str(cells[at["year"]])), int(str(cells[at["month"]]))
                period = Period.year(year) if month == 12 else Period.year_to_date(year, month)
                value = self.number(row, cells, at["individuals"])
            except ValueError:
                self.issue(row, "month", cells[at["month"]], "not a year and month; row rejected")
                self.rejected += 1
                continue
            except _Rejected:
                self.rejected += 1
                continue
            if country is None:
                self.issue(row, "country_name", country_name, "unknown country; row rejected")
                self.rejected += 1
                continue
            level = clean_text(cells[at["admin_level"]]) or ""
            place = (
                None if level.casefold() == "country" else clean_text(cells[at["geomaster_name"]])
            )
            if value is not None:
                self.observations.append(
                    Observation(
                        "sea_arrivals",
                        float(value),
                        period,
                        country=country,
                        place=place,
                        source_row=row,
                        note=level or None,
                    )
                )


def _whole(value: object) -> int:
    number = parse_count(value)  # xlsx gives 2014.0
    if number is None:
        raise ValueError("blank")
    return number


class _Rejected(Exception):
    """The current row is rejected (its issue is already recorded)."""


def _kind(keys: list[str]) -> Callable[[_Table], None] | None:
    if {"geomaster_name", "admin_level", "individuals", "country_name"} <= set(keys):
        return _Table.year_to_date
    if {"month", "year"} <= set(keys) and any(re.fullmatch(r"[a-z ]+_all", k) for k in keys):
        return _Table.monthly
    if {"arrival month", "arrival year", "number of individuals arrived"} <= set(keys) and (
        "country of origin" in keys or "country of origin name" in keys
    ):
        return _Table.by_origin
    if keys[:2] == ["arrival date", "daily arrived"]:
        return _Table.daily
    return None


def _country_in(text: str) -> str | None:
    words = re.split(r"[^a-zA-Z]+", text)
    found = [code for word in words if len(word) > 3 for code in [country_code(word)] if code]
    return found[-1] if found else None


def read_unhcr_arrivals(
    path: Path, *, source: str | None = None, country: str | None = None, **_options: object
) -> ImportResult:
    """Read UNHCR Mediterranean arrivals tables (CSV, or every table sheet of a workbook)."""
    info = DatasetInfo(source or SOURCE, PUBLISHER, "Mediterranean arrivals", None, READER)
    try:
        sheets: list[str | None] = list(sheet_names(path)) or [None]
    except TableFileError as error:
        return ImportResult(info, issues=[Issue(path.name, str(error))])
    given = country_code(country) if country else None
    tables: list[_Table] = []
    issues: list[Issue] = []
    for sheet in sheets:
        label = f"{path.name} [{sheet}]" if sheet else path.name
        try:
            table = open_table(path, sheet=sheet)
        except TableFileError as error:
            if sheet is None:
                return ImportResult(info, issues=[Issue(label, str(error))])
            continue  # an empty sheet of a workbook
        reader = _kind([name.strip().casefold() for name in table.header])
        if reader is not None:
            part = _Table(table, label, given or _country_in(sheet or path.stem))
            reader(part)
            tables.append(part)
    if not tables:
        message = (
            "this is not a UNHCR arrivals table: expected a monthly table (month, year, "
            "italy_all…), arrivals by origin, daily arrivals or arrivals by place"
        )
        return ImportResult(info, issues=[*issues, Issue(path.name, message, row=1)])
    sheets_read = [t.label.removeprefix(f"{path.name} [").rstrip("]") for t in tables]
    described = f"sheets {', '.join(sheets_read)}" if sheets[0] is not None else "one table"
    info = DatasetInfo(
        info.source, PUBLISHER, f"Mediterranean arrivals ({described})", None, READER
    )
    return ImportResult(
        info,
        observations=[o for t in tables for o in t.observations],
        issues=[i for t in tables for i in t.issues],
        rows_read=sum(t.read for t in tables),
        rows_rejected=sum(t.rejected for t in tables),
    )


SPEC = ReaderSpec(READER, read_unhcr_arrivals, "UNHCR Mediterranean arrivals tables (CSV or xlsx)")
