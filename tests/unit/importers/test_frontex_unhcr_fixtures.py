"""Frontex and UNHCR readers on small synthetic fixtures (tests/data/importers)."""

from __future__ import annotations

from pathlib import Path

from itinera.domain.issues import Severity
from itinera.domain.observation import Period, PeriodKind
from itinera.importers.frontex import read_frontex
from itinera.importers.unhcr import read_unhcr_arrivals

DATA = Path(__file__).resolve().parents[2] / "data" / "importers"
JAN, FEB = Period.month(2024, 1), Period.month(2024, 2)


def test_frontex_footnotes_resolve_totals_are_skipped_and_unspecified_are_pooled() -> None:
    result = read_frontex(DATA / "frontex-footnote-markers-and-totals.csv")
    observations = list(result.observations)
    named = {
        (o.nationality, o.period, o.border_type, o.route_name): o.value
        for o in observations
        if o.nationality
    }
    assert named[("SYR", JAN, "sea", "Central Mediterranean Route")] == 10
    assert named[("XKX", FEB, "sea", "Central Mediterranean Route")] == 0  # explicit zero kept
    assert ("PSE", FEB, "sea", "Central Mediterranean Route") not in named  # blank: unknown
    assert named[("TUR", JAN, "land", "Eastern Mediterranean Route")] == 7
    assert named[("TUR", JAN, "sea", "Eastern Mediterranean Route")] == 6
    pooled = [o for o in observations if o.nationality is None]
    assert {(o.period, o.value) for o in pooled} == {(JAN, 4), (FEB, 5)}  # Unknown + Third-country
    assert all(o.note == "nationality not specified: Third-country, Unknown" for o in pooled)
    central_jan = sum(
        o.value
        for o in observations
        if o.period == JAN and o.route_name == "Central Mediterranean Route"
    )
    assert central_jan == 17  # the file's own Total row, which is not imported
    assert [(i.row, i.value, i.severity) for i in result.issues] == [(7, "Total", Severity.WARNING)]


def test_frontex_rejects_repeated_rows_bad_border_types_and_negative_counts() -> None:
    result = read_frontex(DATA / "frontex-unknown-nationality.csv")
    observations = list(result.observations)
    assert (result.rows_read, result.rows_rejected) == (5, 3)
    summary = [(i.row, i.column, i.severity) for i in result.issues]
    assert summary == [
        (2, "Nationality", Severity.WARNING),  # Atlantis: unknown, counted without nationality
        (3, "Nationality", Severity.ERROR),  # the same route × border × nationality again
        (5, "Border type or inland", Severity.ERROR),  # Air
        (6, "FEB2024", Severity.ERROR),  # -3
    ]
    assert {(o.period, o.value, o.note) for o in observations} == {
        (JAN, 5, "nationality not specified: Atlantis, Unknown"),
        (FEB, 3, "nationality not specified: Atlantis, Unknown"),
    }


def test_unhcr_monthly_na_is_unknown_not_zero() -> None:
    result = read_unhcr_arrivals(DATA / "unhcr-monthly-not-available.csv")
    figures = {(o.indicator, o.country, o.period.code): o.value for o in result.observations}
    assert figures == {
        ("arrivals", "ITA", "2016-01"): 5273,
        ("arrivals", "ESP", "2016-01"): 1000,
        ("land_arrivals", "ESP", "2016-02"): 100,
        ("sea_arrivals", "ESP", "2016-02"): 200,
        ("arrivals", "ITA", "2016-02"): 3828,
    }
    assert (result.rows_read, result.rows_rejected) == (3, 1)
    errors = [(i.row, i.column, i.value) for i in result.issues if i.severity is Severity.ERROR]
    assert errors == [(4, "italy_all", "abc")]
    warnings = {i.column: i.message for i in result.issues if i.severity is Severity.WARNING}
    assert set(warnings) == {"spain_all", "spain_land", "spain_sea"}
    assert warnings["spain_land"].startswith("1 cell(s) NA")


def test_unhcr_year_to_date_places_never_merge_into_the_country_figure() -> None:
    result = read_unhcr_arrivals(DATA / "unhcr-sublocations-mixed-levels.csv")
    rows = {
        (o.country, o.place, o.period.code, o.period.kind): o.value for o in result.observations
    }
    assert rows == {
        ("GRC", "Lesvos", "2022", PeriodKind.YEAR): 100,
        ("GRC", "Crete", "2022-YTD-11", PeriodKind.YEAR_TO_DATE): 50,
        ("MLT", None, "2022", PeriodKind.YEAR): 433,
    }
    assert result.issues == []
