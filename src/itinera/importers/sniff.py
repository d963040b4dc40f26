"""What kind of file a user handed a reader, read from its first bytes (C2).

A reader given a file it cannot read (an xlsx to the HXL reader, the UNHCR portal's JSON to a
CSV reader, a binary) must refuse it by naming the file's format and the reader that reads
it, instead of reporting a missing header or storing nothing.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import islice
from pathlib import Path

from itinera.importers.table_files import TableFileError, open_table

__all__ = ["READER_FORMATS", "file_format", "format_refusal", "guess_reader"]

SAMPLE = 4096
# The formats each movement reader reads; a reader not listed is not checked.
READER_FORMATS: dict[str, frozenset[str]] = {
    "hxl": frozenset({"csv"}),
    "missing-migrants": frozenset({"csv", "xlsx"}),
    "frontex": frozenset({"csv", "xlsx"}),
    "unhcr-arrivals": frozenset({"csv", "xlsx"}),
    "table": frozenset({"csv", "xlsx"}),
    "itinera": frozenset({"parquet"}),
    "unhcr-portal": frozenset({"json"}),
}
_NAMES = {"csv": "CSV", "xlsx": "xlsx", "json": "JSON", "parquet": "Parquet"}


def file_format(path: Path) -> str:
    """``empty``, ``xlsx``, ``parquet``, ``json``, ``binary`` or ``csv`` (any other text)."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE)
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if b"\x00" in head:
        return "binary"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return "json"
    return "csv"


def _readers_of(fmt: str) -> list[str]:
    return sorted(name for name, formats in READER_FORMATS.items() if fmt in formats)


def format_refusal(reader: str, path: Path) -> tuple[str, str] | None:
    """``(reason, suggestion)`` when ``reader`` cannot read the file's format, else None."""
    formats = READER_FORMATS.get(reader)
    fmt = file_format(path)
    if fmt == "empty":
        return "the file is empty", "export it again"
    if formats is None or fmt in formats:
        return None
    reads = " or ".join(_NAMES[f] for f in sorted(formats))
    if fmt == "binary":
        return (
            f"the file is binary, not a format of this reader ({reads})",
            "check that the right file was chosen",
        )
    others = _readers_of(fmt)
    if fmt == "json":
        hint = (
            "no reader of Itinera reads this JSON; convert it to CSV with an HXL hashtag row"
            if not others
            else f"JSON is read by: {', '.join(others)}"
        )
        return f"JSON is not a format of this reader ({reads})", hint
    hint = f"for {_NAMES[fmt]} use the reader {' or '.join(others)}" if others else ""
    return f"this reader reads {reads}, not {_NAMES[fmt]}", hint or "convert the file"


_MONTH_COLUMN = re.compile(r"^[A-Z]{3}\d{4}$")  # Frontex's wide months: JAN2009, FEB2009 …


def _first_rows(path: Path, fmt: str) -> list[list[str]]:
    if fmt == "xlsx":  # through the bounded reader: a hostile workbook is refused, not opened
        try:
            table = open_table(path)
        except TableFileError:  # a damaged or oversized workbook: nothing to guess from
            return []
        found = [table.header]
        for _number, cells in islice(table.rows, 4):
            found.append(["" if c is None else str(c) for c in cells])
        return found
    with path.open("rb") as handle:
        text = handle.read(SAMPLE).decode("utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(text)))[:5]


def guess_reader(path: Path) -> str | None:
    """The movement reader a file looks made for, from its format and first rows (the upload
    page's "detect from the file"); None when nothing is recognised."""
    fmt = file_format(path)
    if fmt == "parquet":
        return "itinera"
    if fmt not in ("csv", "xlsx"):
        return None
    rows = _first_rows(path, fmt)
    for row in rows:
        cells = [c.strip() for c in row if c.strip()]
        if cells and sum(c.startswith("#") for c in cells) * 2 > len(cells):
            return "hxl"
    header = {c.strip().casefold() for c in (rows[0] if rows else [])}
    if header & {"incident id", "number dead", "minimum estimated number of missing"}:
        return "missing-migrants"
    raw = rows[0] if rows else []
    if {"route", "nationality"} <= header and any(_MONTH_COLUMN.match(c.strip()) for c in raw):
        return "frontex"
    if header & {"italy_all", "greece_all", "spain_all"}:
        return "unhcr-arrivals"
    return None
