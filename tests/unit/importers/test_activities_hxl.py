"""Reading activity files: legacy tags, untagged columns, one issue per refused row."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinera.domain.activity import Aggregation
from itinera.domain.issues import Severity
from itinera.importers.activities_hxl import (
    normalise_activity_tag,
    read_activities_hxl,
    read_activities_table,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "activities"
LEGACY = Path(__file__).resolve().parents[3].parent / "shared" / "data"
LEGACY = LEGACY / "hxl-examples-legacy-showcase-2014"


@pytest.mark.parametrize(
    ("cell", "tag"),
    [
        ("#lat_deg", "#geo+lat"),
        ("#period_date", "#date+period"),
        ("#activity_id", "#activity+code"),
        ("#Org +Impl", "#org+impl"),
        ("#adm1_id", "#adm1+code"),
        ("Organisation", None),
        ("", None),
    ],
)
def test_beta_and_messy_tags_are_normalised(cell: str, tag: str | None) -> None:
    assert normalise_activity_tag(cell) == tag


def test_each_failure_mode_is_one_refused_row_with_its_reason() -> None:
    read = read_activities_hxl(DATA / "activities-failure-modes.csv")
    assert read.rows_read == 10
    errors = {i.row: i for i in read.issues if i.severity is Severity.ERROR}
    assert sorted(read.rejected_rows) == [4, 5, 6, 7, 8, 9]
    assert errors[4].tag == "#org" and errors[5].tag == "#sector"
    assert errors[6].value == "Atlantis" and errors[6].column == "Country"
    assert errors[7].value == "Springtime" and errors[8].value == "lots"
    assert "negative" in errors[9].message
    warning = next(i for i in read.issues if i.row == 10)
    assert warning.severity is Severity.WARNING and warning.tag == "#geo+lat"
    # rows 3 and 10 describe one activity (same partner, sector, place) in two months;
    # the bad latitude of row 10 is left out, so the coordinates differ: two activities
    periods = sorted(f.period for a in read.activities.values() for f in a.figures)
    assert periods == ["2014-03", "2014-04"]
    # the sectors are mapped later (services), so the reader keeps rows 11 and 12
    assert {a.sector for a in read.activities.values()} >= {"Coordination"}


def test_a_table_is_read_through_its_mapping() -> None:
    document = {
        "columns": {
            "Partner": "#org+impl",
            "Sector": "#sector",
            "Country": "#country+name",
            "Admin 1": "#adm1",
            "Month": "#date",
            "Target": "#targeted",
            "Reached": "#reached",
        }
    }
    read = read_activities_table(DATA / "activities-failure-modes.csv", document=document)
    unread = [i for i in read.issues if i.row is None]
    assert unread and "Latitude" in unread[0].message
    # the hashtag row is data to a plain table: refused for its missing country
    assert 2 in read.rejected_rows
    assert 3 not in read.rejected_rows


@pytest.mark.shared_data
def test_rowca_3w_of_2014_every_row_read_with_years_from_cap_codes() -> None:
    read = read_activities_hxl(LEGACY / "rowca-3w-hxl.csv")
    assert read.rows_read == 244 and not read.rejected_rows
    figures = [f for a in read.activities.values() for f in a.figures]
    assert len(figures) == 244
    assert {f.period[:4] for f in figures} == {"2014"}
    assert {a.country for a in read.activities.values()} == {"MLI", "SEN"}
    # "Accumulative" is NO on every row: monthly figures, summed
    assert {a.aggregation for a in read.activities.values()} == {Aggregation.SUM}
    assert all(a.project_code and a.indicator for a in read.activities.values())


@pytest.mark.shared_data
def test_unhcr_3w_situations_become_countries_and_the_rest_is_refused_with_reason() -> None:
    read = read_activities_hxl(LEGACY / "unhcr-3w.csv")
    assert read.rows_read == 2250
    situations = [i for i in read.issues if "is not a country" in i.message]
    assert len(situations) == 205 + 14  # Mali and Nigeria situations
    refused = [i for i in read.issues if i.severity is Severity.ERROR]
    assert {i.value for i in refused} == {"Thailand-Myanmar"}
    assert len(read.rejected_rows) == 4
    first = next(iter(read.activities.values()))
    assert first.lat is not None and first.lon is not None


def test_cumulative_flags_of_untagged_columns_and_explicit_methods() -> None:
    read = read_activities_hxl(DATA / "activities-cumulative-and-methods.csv")
    methods = {a.organisation: a.aggregation for a in read.activities.values()}
    assert methods == {"Alpha Aid": Aggregation.MAX, "Beta Relief": Aggregation.AVERAGE}
    shelter = next(a for a in read.activities.values() if a.organisation == "Alpha Aid")
    assert [f.reached for f in shelter.figures] == [10, 25]
