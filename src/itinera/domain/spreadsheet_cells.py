"""Neutralise spreadsheet formulas in exported cells (CSV and XLSX), one rule for every export.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula, so a name typed by anyone (a route, a
service point, an import's cell value) could run ``=HYPERLINK(…)`` or worse on the machine of
the person who opens the export. Such text is prefixed with an apostrophe, which spreadsheets
read as "this is text" (OWASP's advice). Numbers stay numbers: ints and floats pass unchanged,
and so does text that is a plain number such as ``-12.5``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_PREFIXES", "SafeCsvWriter", "neutralise_cell", "neutralise_row"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`neutralise_cell`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
