"""Rows of a publisher's CSV or XLSX file, with the file-level problems found on the way.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first data row is
row 2 (a CSV record holding an embedded newline still counts as one row). CSV files are read as
UTF-8 (with or without a byte-order mark, any line ending); a file that is not UTF-8 is read as
Windows-1252/Latin-1 with a warning. XLSX files are read with
python-calamine (decision 0004); blank cells are ``None`` in both.

Nothing here trusts the file's size: a workbook is checked by :mod:`itinera.importers.limits`
before calamine opens it, and a CSV file is streamed line by line with bounded lines and fields
(a first pass checks encoding and limits, so a refusal is a :class:`TableFileError`, which every
reader reports as one file-level issue, rather than an error half-way through the rows).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from python_calamine import CalamineError, CalamineWorkbook

from itinera.domain.issues import Issue, Severity
from itinera.importers.limits import DEFAULT_LIMITS, FileLimitError, check_workbook

__all__ = ["TableFile", "TableFileError", "duplicate_headers", "open_table", "sheet_names"]

XLSX_MAGIC = b"PK\x03\x04"


class TableFileError(ValueError):
    """The file cannot be read as a table at all (empty, not a spreadsheet, …)."""


@dataclass
class TableFile:
    name: str  # the file name, as issues cite it
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (1-based row number, cells)
    sheet: str | None = None
    issues: list[Issue] = field(default_factory=list)  # file-level warnings (encoding)


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == XLSX_MAGIC


def _lines(handle: TextIO) -> Iterator[str]:
    """The file's lines, refusing one longer than the limit without reading all of it."""
    limit = DEFAULT_LIMITS.max_line_chars
    while line := handle.readline(limit):
        if len(line) >= limit and not line.endswith(("\n", "\r")):
            raise TableFileError(f"a line is longer than {limit:,} characters; is it a CSV file?")
        yield line


def _csv_records(path: Path, encoding: str) -> Iterator[list[str]]:
    csv.field_size_limit(DEFAULT_LIMITS.max_cell_chars)
    with path.open(encoding=encoding, newline="") as handle:
        try:
            yield from csv.reader(_lines(handle))
        except csv.Error as error:
            raise TableFileError(f"the file is not readable CSV ({error})") from None


def _encoding(path: Path, issues: list[Issue]) -> str:
    """Check the whole file once (encoding, line and field limits); the encoding to read it."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            for _record in _csv_records(path, encoding):
                pass
        except UnicodeDecodeError as error:
            if encoding == "utf-8-sig":
                issues.append(
                    Issue(
                        path.name,
                        f"the file is not UTF-8 (byte {error.start + 1}); "
                        "read as Windows-1252/Latin-1",
                        suggestion="save the file as UTF-8 to be sure accented names are read "
                        "right",
                        severity=Severity.WARNING,
                    )
                )
            continue
        return encoding
    return "latin-1"  # not reached: every byte decodes as Latin-1


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[object]]]:
    for number, row in enumerate(_csv_records(path, encoding), start=1):
        yield number, [cell or None for cell in row]


def _header_cells(cells: list[object]) -> list[str]:
    return ["" if cell is None else str(cell).strip() for cell in cells]


@lru_cache(maxsize=8)
def _checked(path: Path, size: int, modified_ns: int) -> None:
    """Check a workbook once, not once per sheet (keyed on its size and time)."""
    try:
        check_workbook(path)
    except FileLimitError as error:
        raise TableFileError(str(error)) from None


def _workbook(path: Path) -> CalamineWorkbook:
    status = path.stat()
    _checked(path, status.st_size, status.st_mtime_ns)
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise TableFileError(f"the file is not a readable XLSX workbook ({error})") from None


def sheet_names(path: Path) -> list[str]:
    """The sheets of an XLSX file; ``[]`` for a CSV file."""
    return list(_workbook(path).sheet_names) if _is_xlsx(path) else []


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[object]]]]:
    workbook = _workbook(path)
    names = list(workbook.sheet_names)
    if not names or (sheet is not None and sheet not in names):
        raise TableFileError(f"the workbook has no sheet {sheet!r} (sheets: {names})")
    title = sheet if sheet is not None else names[0]
    try:
        values = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except CalamineError as error:
        raise TableFileError(f"the sheet {title!r} cannot be read ({error})") from None
    rows: Iterator[tuple[int, list[object]]] = (
        (number, [None if cell == "" else cell for cell in row])
        for number, row in enumerate(values, start=1)
    )
    return title, rows


def open_table(path: Path, *, sheet: str | None = None) -> TableFile:
    """Open ``path`` (CSV or XLSX) and read its first row as the header.

    Raises :class:`TableFileError` for an empty or unreadable file; readers turn it into one
    file-level issue.
    """
    if not path.is_file():
        raise TableFileError("the file does not exist")
    if path.stat().st_size == 0:
        raise TableFileError("the file is empty")
    issues: list[Issue] = []
    if _is_xlsx(path):
        sheet_name, rows = _xlsx_rows(path, sheet)
    else:
        with path.open("rb") as handle:
            if b"\x00" in handle.read(4096):
                raise TableFileError("the file is binary, not a CSV or XLSX table")
        sheet_name, rows = None, _csv_rows(path, _encoding(path, issues))
    for _number, cells in rows:
        if any(cell not in (None, "") for cell in cells):
            header = _header_cells(cells)
            while header and not header[-1]:
                header.pop()
            return TableFile(path.name, header, rows, sheet_name, issues)
    raise TableFileError("the file has no header row (it holds only blank lines)")


def duplicate_headers(header: list[str]) -> list[str]:
    """Column names that appear more than once (ignoring case and surrounding spaces)."""
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in header:
        key = name.strip().casefold()
        if key and key in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(key)
    return duplicates
