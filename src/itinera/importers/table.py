"""Any CSV or XLSX table through a saved column mapping (``itinera import table FILE
--mapping MAPPING.yaml``), for publishers without a dedicated reader.

The mapping (``importers/table_mapping.py``, schema ``reference/schemas/
table-mapping.schema.json``) names the columns; each row gives one figure (``columns.value``)
or several (``figures``: one column per indicator, sex …; ``period_columns``: one column per
month). A column the mapping names but the file lacks, or that heads two columns, stops the
file with one issue; a bad cell rejects its row with an issue naming the file, the row and
the column. Blank figures are unknown, not zero: they give no observation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import AgeGroup, Observation, Period, Sex, parse_period
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec
from itinera.importers.countries import country_code, is_unspecified
from itinera.importers.parsing import parse_month
from itinera.importers.table_files import TableFile, TableFileError, duplicate_headers, open_table
from itinera.importers.table_mapping import CHOICES, FigureColumn, TableMapping, fold, load_mapping
from itinera.importers.values import TOTAL_CELLS, parse_figure, parse_figure_period
from itinera.reference.indicators import packaged_indicators

__all__ = ["grouped_header", "read_table"]

_ENUMS: dict[str, Any] = {"sex": Sex, "age_group": AgeGroup}


def cell_text(value: object) -> str:
    """A cell as text: ISO dates for date cells, ``12`` for a whole-number float."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    path: Path, *, source: str | None = None, mapping: Path | str | None = None, **_: Any
) -> ImportResult:
    if mapping is None:
        raise ValidationError.single(
            "mapping", "the table reader needs a column mapping file (--mapping MAPPING.yaml)"
        )
    spec = load_mapping(Path(mapping))
    result = ImportResult(
        DatasetInfo(source or spec.source, spec.publisher, spec.dataset, spec.vintage, "table")
    )
    result.observations = _observations(path, spec, result)
    return result


@dataclass
class _Layout:
    index: dict[str, int]  # column name -> position
    figures: list[tuple[FigureColumn, int, Period | None]]  # (figure, position, header period)
    listed: int = 0  # rows whose split cell named several values


def _open(path: Path, spec: TableMapping, result: ImportResult) -> TableFile | None:
    try:
        table = open_table(path, sheet=spec.sheet)
    except TableFileError as error:
        result.issues.append(
            Issue(path.name, str(error), suggestion="check the file and the mapping's sheet")
        )
        return None
    result.issues.extend(table.issues)
    groups = list(table.header) if spec.group_row == 1 else []
    if spec.header_row > 1:
        for number, cells in table.rows:
            if number == spec.group_row:
                groups = [cell_text(c) for c in cells]
            if number == spec.header_row:
                table.header = [cell_text(c) for c in cells]
                break
    if spec.group_row:
        table.header = grouped_header(groups, table.header)
    return table


def grouped_header(groups: list[str], names: list[str]) -> list[str]:
    """Column names of a two-row header: ``"Group / Column"``; a group label spans the blank
    cells to its right (a merged cell), a column without a name of its own is its group's."""
    header, group = [], ""
    for position in range(max(len(groups), len(names))):
        label = groups[position].strip() if position < len(groups) else ""
        group = label or group
        name = names[position].strip() if position < len(names) else ""
        header.append(f"{group} / {name}" if group and name else (name or group))
    return header


def _layout(table: TableFile, spec: TableMapping, result: ImportResult) -> _Layout | None:
    name, header = table.name, table.header
    problems = []
    duplicated = {fold(d) for d in duplicate_headers(header)}
    index: dict[str, int] = {}
    for position, heading in enumerate(header):
        index.setdefault(fold(heading), position)
    for column in spec.used_columns():
        if fold(column) in duplicated:
            problems.append(f"the column {column!r} appears twice in the header; it is ambiguous")
        elif fold(column) not in index:
            problems.append(
                f"the mapping's column {column!r} is not in the header "
                f"({', '.join(h for h in header if h)})"
            )
    if problems:
        for message in problems:
            hint = f"check that {spec.file} is the mapping for this file"
            result.issues.append(Issue(name, message, row=spec.header_row, suggestion=hint))
        return None
    figures: list[tuple[FigureColumn, int, Period | None]] = [
        (f, index[fold(f.column)], None) for f in spec.figures
    ]
    if "value" in spec.columns:
        figures.append(
            (FigureColumn(spec.columns["value"]), index[fold(spec.columns["value"])], None)
        )
    if spec.period_columns:
        used = {fold(c) for c in spec.used_columns()}
        for position, heading in enumerate(header):
            period = _header_period(heading)
            if period is not None and fold(heading) not in used:
                figures.append((FigureColumn(heading), position, period))
    if not figures:
        result.issues.append(
            Issue(
                name,
                "no column header is a month or period (period_columns)",
                row=spec.header_row,
                suggestion="headers such as 2023-05 or Jan-2023",
            )
        )
        return None
    return _Layout({c: index[fold(c)] for c in spec.used_columns()}, figures)


def _header_period(heading: str) -> Period | None:
    try:
        return parse_period(heading)
    except ValueError:
        pass
    try:
        return Period.month(*parse_month(heading))
    except ValueError:
        return None


def _observations(path: Path, spec: TableMapping, result: ImportResult) -> Iterator[Observation]:
    table = _open(path, spec, result)
    layout = _layout(table, spec, result) if table is not None else None
    if table is None or layout is None:
        return
    left_out = 0
    for number, cells in table.rows:
        if number < spec.first_data_row or not any(c not in (None, "") for c in cells):
            continue
        texts = [cell_text(c) for c in cells]
        if not _kept(spec, layout, texts):
            left_out += 1
            continue
        result.rows_read += 1
        records, problems = _row(spec, layout, texts, number, table.name)
        if problems:
            result.issues.extend(problems)
            result.rows_rejected += 1
            continue
        yield from records
    if left_out:
        message = f"{left_out:,} row(s) left out by the mapping's 'where' ({spec.file})"
        result.issues.append(Issue(table.name, message, severity=Severity.WARNING))
    if layout.listed:
        roles = ", ".join(spec.split)
        message = (
            f"{layout.listed:,} row(s) name several values of {roles} in one cell: their figures "
            "are stored once without it (the publisher does not say how many of each)"
        )
        result.issues.append(Issue(table.name, message, severity=Severity.WARNING))


def _kept(spec: TableMapping, layout: _Layout, texts: list[str]) -> bool:
    return all(
        fold(_at(texts, layout.index[column])) in allowed for column, allowed in spec.where.items()
    )


def _at(texts: list[str], position: int) -> str:
    return texts[position] if position < len(texts) else ""


def _row(
    spec: TableMapping, layout: _Layout, texts: list[str], row: int, name: str
) -> tuple[list[Observation], list[Issue]]:
    problems: list[Issue] = []

    def problem(
        column: str, message: str, suggestion: str | None = None, value: str | None = None
    ) -> None:
        if value is None and column in layout.index:
            value = _at(texts, layout.index[column])
        problems.append(
            Issue(name, message, row=row, column=column, value=value, suggestion=suggestion)
        )

    cells = {
        role: (column, _at(texts, layout.index[column])) for role, column in spec.columns.items()
    }
    several = _split_cells(spec, cells, problem)
    layout.listed += bool(several)
    shared = {
        role: _resolve(spec, role, cells.get(role), spec.constants.get(role), problem)
        for role in (
            "indicator",
            "route",
            "route_id",
            "country",
            "nationality",
            "sex",
            "age_group",
            "place",
            "border_type",
        )
    }
    for role in several:
        shared[role] = None  # a list: the figure is not one value's (see _split_cells)
    level, area = _admin_level(cells)
    if area and not shared["place"]:
        shared["place"] = area
    period = None
    if "period" in cells or "period" in spec.constants:
        column, text = cells.get("period", ("constants.period", spec.constants.get("period", "")))
        period = parse_figure_period(text, problem, column)
    records = []
    corrected = False
    for figure, position, header_period in layout.figures:
        fixed = {
            role: _resolve(spec, role, None, text, problem)
            for role, text in figure.fixed.items()
            if role != "period"
        }
        when = header_period or (
            parse_period(figure.fixed["period"]) if "period" in figure.fixed else period
        )
        text, sign = _signed(spec, figure.column, _at(texts, position))
        corrected |= sign < 0
        value = parse_figure(text, figure.column, problem)
        value = None if value is None else sign * value
        values = {**shared, **fixed}
        if value is None or when is None or values["indicator"] is None:
            continue
        records.append(
            Observation(
                values["indicator"],
                value,
                when,
                route_name=values["route"],
                route_id=values["route_id"],
                country=values["country"],
                place=values["place"],
                nationality=values["nationality"],
                sex=values["sex"],
                age_group=values["age_group"],
                source_row=row,
                border_type=values["border_type"],
                admin_level=level,
            )
        )
    if corrected:  # a row that corrects earlier records: all its figures are the correction
        records = [replace(r, correction=True) for r in records]
    return ([], problems) if problems else (records, [])


def _signed(spec: TableMapping, column: str, text: str) -> tuple[str, float]:
    """A cell without its minus sign, and the sign, in a column of the publisher's
    corrections (``corrections``); elsewhere the cell as it is (a negative figure is refused)."""
    text = text.strip()
    if text.startswith("-") and fold(column) in spec.corrections:
        return text[1:], -1.0
    return text, 1.0


def _split_cells(spec: TableMapping, cells: dict[str, tuple[str, str]], problem: Any) -> list[str]:
    """Cells of ``split`` roles that hold a list ("ERI,ETH,SOM"): each value is checked, and the
    roles whose cell names several values are returned. The row's figure counts the people of
    all of them together and the publisher does not say how many of each, so it is stored once
    without that role (never once per value: totals would count it several times). A list of
    one value, or of one value and unknowns ("GTM,UNK" when UNK maps to nothing), is that one."""
    several = []
    for role, separator in spec.split.items():
        if role not in cells:
            continue
        column, text = cells[role]
        parts = [p.strip() for p in text.split(separator) if p.strip()]
        known = [p for p in parts if _resolve(spec, role, (column, p), None, problem) is not None]
        if len(known) > 1:
            several.append(role)
        cells[role] = (column, known[0] if len(known) == 1 else "")
    return several


def _admin_level(cells: dict[str, tuple[str, str]]) -> tuple[int | None, str | None]:
    """The row's admin level (the stated one, else the deepest admin area column filled, a
    "Total" cell counting as empty) and that area's name; (None, None) without such columns."""
    areas = [cells[f"admin{level}"][1].strip() for level in (1, 2, 3) if f"admin{level}" in cells]
    if not areas and "admin_level" not in cells:
        return None, None
    deepest, area = 0, None
    for level, text in enumerate(areas, start=1):
        if text and text.casefold() not in TOTAL_CELLS:
            deepest, area = level, text
    stated = cells.get("admin_level", ("", ""))[1].strip()
    return (int(stated) if stated.isdigit() else deepest), area


def _resolve(
    spec: TableMapping, role: str, cell: tuple[str, str] | None, constant: str | None, problem: Any
) -> Any:
    """The harmonised value of ``role`` for this row, or None (blank or reported)."""
    column, text = cell if cell is not None else (f"constants.{role}", constant or "")
    if not text:
        return None
    table = spec.values.get(role, {})
    if fold(text) in table:
        text = table[fold(text)] or ""
        if not text:
            return None
    if role == "indicator":
        dictionary = packaged_indicators()
        found = text if text in dictionary else getattr(dictionary.for_name(text), "code", None)
        if found is None:
            problem(
                column,
                f"unknown indicator {text!r}",
                "map it under values.indicator in "
                f"{spec.file} or use a code of the indicator dictionary",
                text,
            )
        return found
    if role in ("country", "nationality"):
        code = country_code(text)
        if code is None and not is_unspecified(text):
            problem(
                column,
                f"unknown {role} {text!r}",
                f"use an ISO 3166 alpha-3 code or an English name, or map it under values.{role}",
                text,
            )
        return code
    if role in CHOICES:
        folded = text.casefold()
        if folded not in CHOICES[role]:
            problem(
                column,
                f"{text!r} is not one of {', '.join(CHOICES[role])}",
                f"map it under values.{role} in {spec.file}",
                text,
            )
            return None
        return _ENUMS[role](folded) if role in _ENUMS else folded
    return text


SPEC = ReaderSpec("table", read_table, "any CSV or XLSX through a column mapping (--mapping FILE)")
