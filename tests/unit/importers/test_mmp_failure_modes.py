"""Missing Migrants reader: one synthetic fixture per failure mode (tests/data/importers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Incident
from itinera.importers.mmp import read_mmp

DATA = Path(__file__).resolve().parents[2] / "data" / "importers"


def _read(name: str) -> tuple[list[Incident], list[Issue], int, int]:
    result = read_mmp(DATA / name)
    incidents = list(result.incidents)
    return incidents, result.issues, result.rows_read, result.rows_rejected


def _errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def test_an_invalid_date_rejects_its_row_and_names_file_row_and_column() -> None:
    incidents, issues, read, rejected = _read("missing-migrants-invalid-date.csv")
    assert (read, rejected) == (3, 1)
    assert [i.source_id for i in incidents] == ["2023.MMP0001", "2023.MMP0003"]
    [error] = _errors(issues)
    assert (error.source, error.row, error.column) == (
        "missing-migrants-invalid-date.csv",
        3,
        "Incident Date",
    )
    assert error.value == "2023-02-30" and error.suggestion


def test_a_negative_count_is_kept_as_a_correction_with_a_warning() -> None:
    incidents, issues, read, rejected = _read("missing-migrants-negative-count.csv")
    assert (read, rejected) == (2, 0)
    second = incidents[1]
    assert (second.dead, second.missing, second.survivors) == (1, -2, None)
    assert second.correction and not incidents[0].correction
    assert {(i.row, i.column, i.value) for i in issues} == {
        (3, "Minimum Estimated Number of Missing", "-2")
    }
    assert issues[0].severity is Severity.WARNING


def test_an_unknown_origin_is_kept_as_written_with_one_warning_for_all_its_rows() -> None:
    incidents, issues, _, rejected = _read("missing-migrants-unknown-origin.csv")
    assert rejected == 0
    assert incidents[0].origins == ("GIN",)  # "Unknown" is dropped, not reported
    assert incidents[1].origins == incidents[2].origins == ("Atlantis",)
    assert [(i.row, i.column, i.value) for i in issues] == [(3, "Country of Origin", "Atlantis")]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("missing-migrants-wrong-header.csv", "not a Missing Migrants export"),
        ("missing-migrants-duplicate-header.csv", "'Number of Dead' appears 2 times"),
        ("missing-migrants-empty.csv", "empty"),
    ],
)
def test_an_unreadable_file_gives_one_file_level_error_and_no_records(
    name: str, words: str
) -> None:
    incidents, issues, read, _ = _read(name)
    assert incidents == [] and read == 0
    [issue] = issues
    assert issue.severity is Severity.ERROR and words in issue.message and issue.source == name


def test_fifty_megabytes_of_garbage_is_refused_as_one_issue(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(os.urandom(50 * 1024 * 1024))
    incidents, issues, read, _ = _read_path(garbage)
    assert incidents == [] and read == 0
    assert len(issues) == 1 and "binary" in issues[0].message


def _read_path(path: Path) -> tuple[list[Incident], list[Issue], int, int]:
    result = read_mmp(path)
    return list(result.incidents), result.issues, result.rows_read, result.rows_rejected


def test_a_fake_xlsx_is_refused_as_one_issue(tmp_path: Path) -> None:
    fake = tmp_path / "export.xlsx"
    fake.write_bytes(b"PK\x03\x04" + b"not a zip" * 100)
    incidents, issues, _, _ = _read_path(fake)
    assert incidents == [] and "XLSX" in issues[0].message


@pytest.mark.parametrize(
    "name", ["missing-migrants-bom.csv", "missing-migrants-crlf.csv", "missing-migrants-latin1.csv"]
)
def test_encodings_and_line_endings_read_the_same_records(name: str) -> None:
    raw = (DATA / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") or b"\r\n" in raw or b"\xf4" in raw  # the property
    incidents, issues, _, rejected = _read(name)
    assert rejected == 0
    first = incidents[0]
    assert (first.source_id, first.dead, first.missing, first.survivors) == (
        "2023.MMP0001",
        2,
        1,
        10,
    )
    assert (first.country, first.route_name, first.lat, first.lon) == (
        "LBY",
        "Central Mediterranean",
        32.93,
        12.08,
    )
    if name.endswith("latin1.csv"):
        assert first.location == "Off Zuwara, Libya (côte)"
        assert [i.severity for i in issues] == [Severity.WARNING] and "UTF-8" in issues[0].message
    else:
        assert issues == []


def test_a_repeated_id_rejects_the_second_row() -> None:
    incidents, issues, read, rejected = _read("missing-migrants-duplicate-id.csv")
    assert (len(incidents), read, rejected) == (1, 2, 1)
    assert [(i.row, i.column) for i in _errors(issues)] == [(3, "Main ID")]


def test_garbage_coordinates_are_dropped_and_the_rows_kept() -> None:
    incidents, issues, _, rejected = _read("missing-migrants-garbage-coordinates.csv")
    assert rejected == 0 and len(incidents) == 3
    assert all(i.lat is None and i.lon is None for i in incidents)
    assert [(i.row, i.value) for i in issues] == [
        (2, "32.93, 32.93"),
        (3, "59.1551, 28"),
        (4, "134.7, 10.8"),
    ]
    assert "latitude equal to longitude" in issues[0].message
    assert "truncated" in issues[1].message and "out of range" in issues[2].message


def test_an_embedded_newline_stays_in_one_row_and_rows_keep_their_numbers() -> None:
    incidents, issues, read, _ = _read("missing-migrants-embedded-newline.csv")
    assert read == 2 and issues == []
    assert incidents[0].location == "Beach near Zuwara"
    assert [i.source_row for i in incidents] == [2, 3]
