"""The mapped-table reader: synthetic long and wide tables, XLSX, mapping errors, real DTM file."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from itinera.domain.errors import ValidationError
from itinera.domain.issues import Severity
from itinera.domain.observation import Observation, Sex
from itinera.importers.table import read_table

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
REPO = Path(__file__).resolve().parents[3]
DTM = (
    REPO.parent
    / "shared"
    / "data"
    / "dtm-idp-hdx-hxl-fixture"
    / "global-iom-dtm-from-api-admin-0-to-2.csv"
)


def _read(path: Path, mapping: Path) -> tuple[list[Observation], object]:
    result = read_table(path, mapping=mapping)
    return list(result.observations), result


def test_a_long_table_maps_codes_names_and_synonyms_and_reports_bad_cells() -> None:
    found, result = _read(DATA / "table-long-codes.csv", DATA / "table-long-codes.yaml")
    assert [
        (o.indicator, o.value, o.period.code, o.nationality, o.sex, o.country, o.route_name)
        for o in found
    ] == [
        ("sea_arrivals", 120.0, "2023-05", "GIN", Sex.FEMALE, "ITA", "Central Mediterranean Route"),
        ("sea_arrivals", 300.0, "2023-05", "GIN", Sex.MALE, "ITA", "Central Mediterranean Route"),
        ("dead", 2.0, "2023-06", "SDN", Sex.FEMALE, "ITA", "English Channel to the UK"),
    ]
    assert (result.rows_read, result.rows_rejected) == (6, 2)  # type: ignore[attr-defined]
    where = {(i.row, i.column, i.value) for i in result.issues}  # type: ignore[attr-defined]
    assert where == {
        (5, "Nationality", "Atlantis"),
        (6, "Month", "2023-13"),
        (6, "Sex", "X"),
        (6, "Count", "-4"),
    }
    assert all(i.source == "table-long-codes.csv" for i in result.issues)  # type: ignore[attr-defined]
    assert result.dataset.vintage == "2023-09"  # type: ignore[attr-defined]


def test_a_wide_table_with_one_column_per_month_is_unpivoted(tmp_path: Path) -> None:
    found, result = _read(DATA / "table-wide-months-crlf.csv", DATA / "table-wide-months.yaml")
    assert sorted((o.country, o.period.code, o.value) for o in found) == [
        ("ESP", "2023-01", 50.0),
        ("ESP", "2023-03", 30.0),
        ("ITA", "2023-01", 100.0),
        ("ITA", "2023-02", 1200.0),
    ]  # blank and n/a are unknown, not zero; "Total" is not a month
    assert result.rows_rejected == 0 and not result.issues  # type: ignore[attr-defined]


def test_an_xlsx_sheet_with_title_rows_and_date_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Arrivals"
    sheet.append(["Daily arrivals, Italy (synthetic)"])
    sheet.append(["Arrival Date", "Daily arrived"])
    sheet.append([datetime(2019, 11, 2), 35])
    sheet.append([datetime(2019, 11, 3), 12.0])
    path = tmp_path / "daily.xlsx"
    book.save(path)
    mapping = tmp_path / "daily.yaml"
    mapping.write_text(
        "version: 1\nsource: daily\npublisher: P\ndataset: D\nsheet: Arrivals\n"
        "header_row: 2\ncolumns: {period: Arrival Date, value: Daily arrived}\n"
        "constants: {indicator: arrivals, country: Italy}\n"
    )
    found, _ = _read(path, mapping)
    assert [(o.period.code, o.value, o.country, o.source_row) for o in found] == [
        ("2019-11-02", 35.0, "ITA", 3),
        ("2019-11-03", 12.0, "ITA", 4),
    ]


def test_a_column_the_file_lacks_stops_the_file_with_one_issue(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text((DATA / "table-long-codes.yaml").read_text().replace("Count", "Total"))
    found, result = _read(DATA / "table-long-codes.csv", mapping)
    [issue] = result.issues  # type: ignore[attr-defined]
    assert found == [] and issue.row == 1 and "'Total' is not in the header" in issue.message


BAD_MAPPINGS = [
    ("version: 1\nsource: s\npublisher: p\n", "entry '(top)'", "'dataset' is a required"),
    (
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: V, colour: C}\n",
        "entry 'columns'",
        "'colour' was unexpected",
    ),
    (
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: V, period: P}\n"
        "constants: {indicator: arivals}\n",
        "entry 'constants', field 'indicator'",
        "'arivals' is not an indicator code",
    ),
    (
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: V}\n"
        "constants: {indicator: dead}\n",
        "entry 'columns', field 'period'",
        "no period",
    ),
    (
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: V, period: P}\n"
        "constants: {indicator: dead}\nvalues: {sex: {F: femme}}\n",
        "entry 'values', field 'sex.f'",
        "'femme' is not one of female",
    ),
    ("version: 1\nsource: s\n  publisher: [\n", "entry 'line 3'", "not valid YAML"),
    (
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: V, period: P}\n"
        "constants: {indicator: dead}\ncorrections: [P]\n",
        "entry 'corrections', field 'p'",
        "only a figure column",
    ),
]


def test_negative_cells_of_a_corrections_column_are_kept_and_mark_their_row(
    tmp_path: Path,
) -> None:
    table, mapping = tmp_path / "t.csv", tmp_path / "m.yaml"
    table.write_text("m,dead,surv\n2020-09,1,-1\n2020-09,2,5\n2020-10,-3,1\n", "utf-8")
    mapping.write_text(
        "version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {period: m}\n"
        "corrections: [surv]\nfigures:\n  - {column: dead, indicator: dead_and_missing}\n"
        "  - {column: surv, indicator: survivors}\n",
        "utf-8",
    )
    found, result = _read(table, mapping)
    assert sorted((o.source_row, o.indicator, o.value, o.correction) for o in found) == [
        (2, "dead_and_missing", 1.0, True),
        (2, "survivors", -1.0, True),
        (3, "dead_and_missing", 2.0, False),
        (3, "survivors", 5.0, False),
    ]
    [issue] = result.issues  # type: ignore[attr-defined]
    assert (issue.row, issue.column, issue.value) == (4, "dead", "-3")  # not a corrections column


@pytest.mark.parametrize(("text", "where", "what"), BAD_MAPPINGS)
def test_a_malformed_mapping_names_the_file_the_entry_and_the_field(
    tmp_path: Path, text: str, where: str, what: str
) -> None:
    mapping = tmp_path / "broken.yaml"
    mapping.write_text(text)
    with pytest.raises(ValidationError) as raised:
        read_table(DATA / "table-long-codes.csv", mapping=mapping)
    [error] = raised.value.errors
    assert error.field == "mapping" and error.message.startswith(f"broken.yaml: {where}")
    assert what in error.message


def test_without_a_mapping_the_reader_says_what_it_needs() -> None:
    with pytest.raises(ValidationError, match="--mapping"):
        read_table(DATA / "table-long-codes.csv")


@pytest.mark.shared_data
def test_the_example_mapping_reads_the_real_dtm_idp_file() -> None:
    found, result = _read(DTM, REPO / "docs" / "examples" / "mappings" / "dtm-idp-hdx.yaml")
    expected: dict[tuple[str, str, str], float] = defaultdict(float)
    rows = 0
    with DTM.open(encoding="utf-8", newline="") as handle:
        for record in list(csv.DictReader(handle))[1:]:  # row 2 holds the HXL hashtags
            if record["adminLevel"] != "0":
                continue
            rows += 1
            day = record["reportingDate"][:10]
            for column, sex in (
                ("numPresentIdpInd", ""),
                ("numberMales", "male"),
                ("numberFemales", "female"),
            ):
                if record[column]:
                    expected[(record["admin0Pcode"], day, sex)] += float(record[column])
    got: dict[tuple[str, str, str], float] = defaultdict(float)
    for o in found:
        if o.admin_level == 0:  # every level is read; the country's figures are level 0
            got[(o.country or "", o.period.code, o.sex.value if o.sex else "")] += o.value
    assert got == expected and rows == 303
    assert (result.rows_read, result.rows_rejected) == (13_367, 0)  # type: ignore[attr-defined]
    assert {o.admin_level for o in found} == {0, 1, 2}
    assert all(o.place for o in found if o.admin_level)  # an admin area is named
    assert not [i for i in result.issues if i.severity is Severity.ERROR]  # type: ignore[attr-defined]
