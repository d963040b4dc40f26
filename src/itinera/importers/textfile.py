"""Open a publisher's CSV as a stream of rows: encoding, BOM, CRLF, oversized or NUL cells.

UTF-8 (with or without BOM) is checked in one streaming pass; a file that is not UTF-8 is
read as Latin-1 with a warning. CSV damage (a NUL byte, a field over the size limit) stops
the read with an issue naming the row instead of an exception.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from itinera.domain.issues import Issue, Severity
from itinera.importers.limits import DEFAULT_LIMITS

__all__ = ["MAX_FIELD", "UTF8", "detect_encoding", "read_rows"]

UTF8 = "utf-8-sig"
MAX_FIELD = DEFAULT_LIMITS.max_cell_chars  # larger "cells" are damage, not data
MAX_LINE = DEFAULT_LIMITS.max_line_chars  # a longer line is damage (held whole in memory)


class _LineTooLong(ValueError):
    pass


def _lines(handle: TextIO) -> Iterator[str]:
    """The file's lines, refusing one longer than ``MAX_LINE`` without reading all of it."""
    while line := handle.readline(MAX_LINE):
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            raise _LineTooLong(f"a line is longer than {MAX_LINE:,} characters")
        yield line


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8, else ``latin-1``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return UTF8


def read_rows(
    path: Path, issues: list[Issue], name: str, encoding: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """``(1-based row number, cells)`` for every CSV row of ``path`` (``encoding``: what
    ``detect_encoding`` found, when the caller already asked)."""
    encoding = encoding or detect_encoding(path)
    if encoding == "latin-1":
        issues.append(
            Issue(
                name,
                "the file is not UTF-8; it was read as Latin-1 (ISO-8859-1)",
                suggestion="save it as UTF-8 to be sure of accented letters",
                severity=Severity.WARNING,
            )
        )
    csv.field_size_limit(MAX_FIELD)
    row_number = 0
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(_lines(handle))
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, _LineTooLong) as error:
                issues.append(
                    Issue(
                        name,
                        f"the file is not readable CSV here: {error}",
                        row=row_number + 1,
                        suggestion="check the file is a CSV export",
                    )
                )
                return
            row_number += 1
            yield row_number, cells
