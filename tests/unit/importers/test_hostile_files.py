"""Every reader refuses a hostile file with a clear message, in bounded memory (issue 10, item 1).

Each hostile file is fed to every reader in a child process whose peak resident memory
(``ru_maxrss``) is measured: a reader that trusted the file would allocate gigabytes (a sparse
far cell is a 2**34-cell rectangle to calamine) or die. Files are built here, streamed: the
1 GiB cell never exists in memory or on disk uncompressed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from itinera.importers.limits import DEFAULT_LIMITS

PEAK_LIMIT_MB = 400
DATA = Path(__file__).resolve().parents[2] / "data" / "movements"

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'


def _workbook(path: Path, sheet_parts: list[bytes], repeat: int = 1) -> Path:
    """An xlsx whose sheet is ``head + middle * repeat + tail``, streamed into the zip; the
    other parts come from a one-cell workbook written by openpyxl."""
    template = path.with_suffix(".template.xlsx")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "id"
    workbook.save(template)
    head, middle, tail = sheet_parts
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            for _ in range(repeat):
                sheet.write(middle)
            sheet.write(tail)
    template.unlink()
    return path


def _zip_bomb(folder: Path) -> Path:
    # Small valid rows, repeated until the sheet inflates past the limit (about 1000:1).
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' + b" " * 4000
    times = DEFAULT_LIMITS.max_unpacked_bytes // len(row) + 10
    return _workbook(
        folder / "zip-bomb.xlsx",
        [(SHEET_HEAD + HEADER_ROW).encode(), row, SHEET_TAIL.encode()],
        times,
    )


def _sparse_far_cell(folder: Path) -> Path:
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return _workbook(
        folder / "sparse-far-cell.xlsx",
        [(SHEET_HEAD + HEADER_ROW).encode(), far.encode(), SHEET_TAIL.encode()],
    )


def _huge_cell(folder: Path) -> Path:
    # One inline-string cell of 1 GiB, compressed to about 1 MB.
    head = SHEET_HEAD + HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>'
    path = folder / "huge-cell.xlsx"
    block = b"a" * (1 << 20)
    return _workbook(
        path, [head.encode(), block, b"</t></is></c></row>" + SHEET_TAIL.encode()], 1024
    )


def _huge_line(folder: Path) -> Path:
    path = folder / "huge-line.csv"
    with path.open("wb") as handle:
        handle.write(b"id,name\n1,")
        for _ in range(DEFAULT_LIMITS.max_line_chars // (1 << 20) + 2):
            handle.write(b"a" * (1 << 20))
        handle.write(b"\n")
    return path


def _huge_field(folder: Path) -> Path:
    path = folder / "huge-field.csv"
    path.write_bytes(b'id,name\n1,"' + b"a\n" * (DEFAULT_LIMITS.max_cell_chars // 2 + 10) + b'"\n')
    return path


def _truncated(folder: Path) -> Path:
    whole = _workbook(
        folder / "whole.xlsx",
        [(SHEET_HEAD + HEADER_ROW).encode(), b"<row><c><v>1</v></c></row>", SHEET_TAIL.encode()],
        20_000,
    )
    path = folder / "truncated.xlsx"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


HOSTILE = {
    "zip-bomb": (_zip_bomb, r"unpacks to more than"),
    "sparse-far-cell": (_sparse_far_cell, r"spans .* more than"),
    "huge-cell": (_huge_cell, r"cell holds more than"),
    "huge-line": (_huge_line, r"line is longer than"),
    "huge-field": (_huge_field, r"field larger than field limit"),
    "truncated": (_truncated, r"truncated|damaged|not a readable"),
}

# Each reader, called the way its service calls it; the text-only readers (HXL movement CSV,
# HSDS JSON, UNHCR portal JSON) cannot tell a workbook from damage, so any refusal is enough
# from them.
CHILD = r"""
import json, sys
from pathlib import Path
import yaml
from itinera.importers import frontex, hxl, mmp, table, unhcr, unhcr_portal
from itinera.importers import services_hsds, services_hxl, services_table

path, mapping = Path(sys.argv[1]), Path(sys.argv[2])
service_mapping = yaml.safe_load(Path(sys.argv[3]).read_text("utf-8"))

def movement(read, **options):
    result = read(path, **options)
    kept = len(list(result.flat if result.flat is not None else result.observations))
    kept += len(list(result.incidents))
    return kept, [str(i) for i in result.issues if i.severity == "error"]

def service(read, *args):
    outcome = read(path, *args)
    return len(outcome.points), [str(i) for i in outcome.issues if i.severity == "error"]

found = {
    "mmp": movement(mmp.read_mmp),
    "frontex": movement(frontex.read_frontex),
    "unhcr": movement(unhcr.read_unhcr_arrivals),
    "unhcr-portal": movement(unhcr_portal.read_unhcr_portal),
    "table": movement(table.read_table, source="test", mapping=mapping),
    "hxl": movement(hxl.read_hxl, source="test"),
    "services-hxl": service(services_hxl.read_hxl_services),
    "services-hsds": service(services_hsds.read_hsds_services),
    "services-table": service(services_table.read_table_services, service_mapping),
}
# VmHWM, not ru_maxrss: Linux carries a parent's ru_maxrss over fork and exec, so a child of a
# large test worker would report the worker's peak instead of its own
status = Path("/proc/self/status").read_text()
peak_mb = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps({"found": found, "peak_mb": peak_mb}))
"""
TEXT_ONLY = {"hxl", "services-hsds", "unhcr-portal"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_reader_refuses_a_hostile_file_in_bounded_memory(kind: str, folder: Path) -> None:
    build, expected = HOSTILE[kind]
    path = build(folder)
    service_mapping = (
        Path(__file__).resolve().parents[3]
        / "src/itinera/reference/data/service_mapping_ifr_poland_2022.yaml"
    )
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(path),
            str(DATA / "table-long-codes.yaml"),
            str(service_mapping),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert child.returncode == 0, child.stderr[-2000:]
    answer = json.loads(child.stdout)
    assert answer["peak_mb"] < PEAK_LIMIT_MB, answer["peak_mb"]
    for reader, (kept, errors) in answer["found"].items():
        assert kept == 0, (reader, kept)
        assert errors, f"{reader} accepted the {kind} file without an error"
        if reader not in TEXT_ONLY and (kind.startswith("huge-") or path.suffix == ".xlsx"):
            assert any(re.search(expected, e) for e in errors), (reader, errors)
        assert all(len(e) < 400 for e in errors), (reader, errors)
