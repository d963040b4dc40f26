"""Publisher readers on the real files in ../shared/data: seconds to read each one.

Baseline in the same run: openpyxl 3.1.5 in read-only, values-only mode merely iterating the
rows of the April-2025 Missing Migrants xlsx (19,255 × 25), the approach the issue suggested,
against Itinera's full read (python-calamine + parsing + checks) of the same file.

Run by hand (never in CI):  .venv/bin/python benchmarks/movements_publisher_readers.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from itinera.importers.base import ImportResult
from itinera.importers.frontex import read_frontex
from itinera.importers.mmp import read_mmp
from itinera.importers.unhcr import read_unhcr_arrivals

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MMP_XLSX = DATA / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.xlsx"
FILES: list[tuple[Callable[..., ImportResult], str]] = [
    (read_mmp, "mmp-global-2025-04/Missing_Migrants_Global_Figures_allData.xlsx"),
    (read_mmp, "mmp-global-2025-04/Missing_Migrants_Global_Figures_allData.derived.csv"),
    (read_mmp, "mmp-global-2020-01-legacy/MissingMigrants-Global-2020-01-08T14-05-32.csv"),
    (read_mmp, "mmp-hdx-hxl-2014-2017/MissingMigrants.xlsx"),
    (read_frontex, "frontex-ibc-2025-06/Monthly_detections_of_IBC_as_of_2025-06-03.xlsx"),
    (read_frontex, "frontex-ibc-2025-06/frontex_long_iom_gdidata.derived.csv"),
    (read_unhcr_arrivals, "unhcr-med-arrivals-2014-2019/unhcr_med_data_12_31.xlsx"),
]


def _openpyxl_rows(path: Path) -> int:
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def main() -> None:
    started = time.perf_counter()
    rows = _openpyxl_rows(MMP_XLSX)
    print(
        f"baseline openpyxl read-only iteration, MMP 2025 xlsx: {rows:,} rows "
        f"in {time.perf_counter() - started:.2f} s"
    )
    for reader, name in FILES:
        started = time.perf_counter()
        result = reader(DATA / name)
        records = len(list(result.incidents)) + len(list(result.observations))
        elapsed = time.perf_counter() - started
        print(
            f"{reader.__name__:20} {name:75} {result.rows_read:>7,} rows "
            f"{records:>8,} records {len(result.issues):>4} issues {elapsed:6.2f} s"
        )


if __name__ == "__main__":
    main()
