"""Two-row headers (issue 11, formats users bring): DTM Somalia flow monitoring's entry sheet
puts group labels (merged cells) above the column names, "Males 0-4 years" under "Children
size". A mapping names both rows (``group_row``) and reaches every figure column as
"Group / Column"; the sums equal the ones made here with ``csv`` from the file itself."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from itinera.importers.table import grouped_header, read_table

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "dtm-fmp-somalia-2016q4"
MAPPING = ROOT / "docs" / "examples" / "mappings" / "dtm-fmp-somalia-entry.yaml"
AGE_COLUMNS = range(8, 19)  # Children, Adult and Elderly size groups, their "Total" columns too


def test_a_group_label_spans_the_blank_cells_to_its_right() -> None:
    groups = ["Date", "Children size", "", "", "Adult size", ""]
    names = ["", "Males 0-4", "Females 0-4", "Total", "Males", "Females"]
    assert grouped_header(groups, names) == [
        "Date",
        "Children size / Males 0-4",
        "Children size / Females 0-4",
        "Children size / Total",
        "Adult size / Males",
        "Adult size / Females",
    ]


def _expected() -> tuple[float, int]:
    with (SHARED / "entry_sheet.derived.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    groups, names = rows[0], rows[1]
    header = grouped_header(groups, names)
    wanted = [
        i
        for i in AGE_COLUMNS
        if not header[i].endswith(("Total children", "Total Adults", "Total elderly"))
    ]
    dated = [r for r in rows[2:] if r[1].strip()]
    return sum(float(r[i] or 0) for r in dated for i in wanted), len(wanted)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name", ["entry_sheet.derived.csv", "somalia_dtm-flow-monitoring-dataset-oct-dec-2016.xlsx"]
)
def test_every_figure_column_under_a_group_is_reachable(name: str) -> None:
    result = read_table(SHARED / name, mapping=MAPPING)
    figures = list(result.observations)
    total, columns = _expected()
    assert columns == 8
    assert sum(o.value for o in figures) == total == 1571  # the sheet's "1,571 Individuals"
    assert {(o.sex, o.age_group) for o in figures if o.value} >= {
        ("male", "child"),
        ("female", "adult"),
    }
    assert {o.place for o in figures} >= {"Doolow", "Elwak"}
    assert result.rows_read == 300
    assert [i.column for i in result.issues] == ["Date of Entry"]  # one undated row, named
