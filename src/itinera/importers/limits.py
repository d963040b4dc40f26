"""Limits every reader enforces before trusting a file (docs/limits.md).

An uploaded file must not decide how much memory the server spends on it. An XLSX workbook is a
zip of XML parts that may claim anything: a sheet with cells at A1 and XFD1048576 makes
calamine allocate the whole rectangle (2**34 cells), a 1 MB zip may hold a 1 GiB text cell.
So before calamine opens a workbook, :func:`check_workbook` streams every XML part once (a
64 KiB window, never a whole part) and checks what the file really holds:

- the bytes each part inflates to (counted while inflating, not taken from the zip's headers,
  which a hostile file may fake) against :attr:`ReadLimits.max_unpacked_bytes`;
- the longest run of text between two tags (one cell's text or shared string) against
  :attr:`ReadLimits.max_cell_chars`;
- the rectangle each sheet spans (its ``<dimension>`` and every cell reference) against
  :attr:`ReadLimits.max_sheet_cells`.

CSV and JSON files are bounded by :attr:`ReadLimits.max_line_chars`,
:attr:`ReadLimits.max_cell_chars` and :attr:`ReadLimits.max_json_bytes`.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["DEFAULT_LIMITS", "FileLimitError", "ReadLimits", "check_json_size", "check_workbook"]

WINDOW = 64 * 1024  # bytes inflated at a time


class FileLimitError(ValueError):
    """The file exceeds a documented limit or its container is damaged (one clear sentence)."""


@dataclass(frozen=True)
class ReadLimits:
    max_unpacked_bytes: int = 128 * 1024 * 1024  # XML of a workbook, all parts together
    max_sheet_cells: int = 4_000_000  # rows × columns of the rectangle a sheet spans
    max_cell_chars: int = 1 << 20  # one cell, one shared string, one CSV field
    max_line_chars: int = 4 << 20  # one CSV line (a quoted field may span lines)
    max_json_bytes: int = 32 * 1024 * 1024  # a JSON document is parsed whole
    max_zip_members: int = 10_000


DEFAULT_LIMITS = ReadLimits()

_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)[\s/>]([^<>]*)>?")
_REF_ATTR = re.compile(rb'\b(?:r|ref)="([A-Z]{0,3})(\d{0,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _Extent:
    """The rectangle a sheet spans, from its cell references (rows and cells may omit them)."""

    def __init__(self, name: str, limits: ReadLimits) -> None:
        self.name, self.limits = name, limits
        self.rows = (0, 0)  # smallest, largest
        self.cols = (0, 0)
        self.row = self.col = 0

    def _note(self, row: int, col: int) -> None:
        low_r, high_r = self.rows
        low_c, high_c = self.cols
        self.rows = (min(low_r, row) if low_r else row, max(high_r, row))
        self.cols = (min(low_c, col) if low_c else col, max(high_c, col))
        cells = (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)
        if cells > self.limits.max_sheet_cells:
            raise FileLimitError(
                f"a sheet ({self.name}) spans {self.rows[1]:,} rows × {self.cols[1]:,} columns, "
                f"more than the {self.limits.max_sheet_cells:,} cells a sheet may hold; "
                "delete the stray cells far from the table or split the sheet"
            )

    def see(self, tag: bytes, attributes: bytes) -> None:
        ref = _REF_ATTR.search(attributes)
        if tag == b"dimension":
            if ref and ref.group(3):
                self._note(int(ref.group(2) or 1), _column_number(ref.group(1)) or 1)
                self._note(int(ref.group(4)), _column_number(ref.group(3)))
        elif tag == b"row":
            self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
            self.col = 0
        else:
            if ref and ref.group(1):
                self.col = _column_number(ref.group(1))
                self.row = int(ref.group(2)) if ref.group(2) else max(self.row, 1)
            else:
                self.col += 1
            self._note(max(self.row, 1), self.col)


def _inflate(handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, inflated a window at a time from its compressed data."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise FileLimitError("the workbook is damaged (a part's header is missing)")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining > 0:
            block = handle.read(min(WINDOW, remaining))
            if not block:
                raise FileLimitError("the workbook is truncated")
            remaining -= len(block)
            yield block
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise FileLimitError("the workbook uses a compression method spreadsheets do not use")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        while remaining > 0:
            block = handle.read(min(WINDOW, remaining))
            if not block:
                raise FileLimitError("the workbook is truncated")
            remaining -= len(block)
            data = inflater.decompress(block, WINDOW)
            while True:
                yield data
                if not inflater.unconsumed_tail:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, WINDOW)
    except zlib.error:
        raise FileLimitError("the workbook is damaged (a part cannot be inflated)") from None
    if not inflater.eof:
        raise FileLimitError("the workbook is truncated (a part ends early)")


def _scan_part(handle: BinaryIO, info: zipfile.ZipInfo, limits: ReadLimits, budget: int) -> int:
    """Stream one XML part; the bytes it inflated to."""
    extent = _Extent(info.filename, limits) if "worksheets/" in info.filename else None
    size = run = 0
    carry = b""
    for block in _inflate(handle, info):
        size += len(block)
        if size > budget:
            raise FileLimitError(
                f"the workbook unpacks to more than {limits.max_unpacked_bytes:,} bytes of XML "
                "(a compressed 'zip bomb' or a far too large workbook); split it or save as CSV"
            )
        # Runs inside one window are shorter than the window; only those crossing windows
        # can be long, so the text before the first tag and after the last is all we track.
        first, last = block.find(b"<"), block.rfind(b"<")
        if first < 0:
            run += len(block)
            longest = run
        else:
            longest, run = run + first, len(block) - last - 1
        if longest > limits.max_cell_chars:
            raise FileLimitError(
                f"a cell holds more than {limits.max_cell_chars:,} characters; "
                "a spreadsheet cell holds at most 32,767, so the file is damaged or hostile"
            )
        if extent is not None:
            data = carry + block
            cut = data.rfind(b"<") if first >= 0 else -1
            if cut < 0:
                carry = data if len(data) <= limits.max_cell_chars else b""
                continue
            for match in _TAG.finditer(data, 0, cut):
                extent.see(match.group(1), match.group(2))
            carry = data[cut:]
    if extent is not None and carry:
        for match in _TAG.finditer(carry):
            extent.see(match.group(1), match.group(2))
    if size != info.file_size:
        raise FileLimitError("the workbook is damaged (a part's size does not match its header)")
    return size


def check_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`FileLimitError` unless the XLSX workbook at ``path`` is within ``limits``.

    Reads the file in a small window, whatever it claims; never holds a whole part.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        message = "the file is not a readable XLSX workbook (truncated or damaged)"
        raise FileLimitError(message) from None
    if len(members) > limits.max_zip_members:
        raise FileLimitError(f"the workbook has more than {limits.max_zip_members:,} parts")
    total = 0
    with path.open("rb") as handle:
        for info in members:
            if info.filename.endswith((".xml", ".rels")):
                total += _scan_part(handle, info, limits, limits.max_unpacked_bytes - total)


def check_json_size(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """JSON is parsed whole, so its size is bounded before it is read."""
    if path.stat().st_size > limits.max_json_bytes:
        raise FileLimitError(
            f"the JSON file is larger than {limits.max_json_bytes:,} bytes; split it"
        )
