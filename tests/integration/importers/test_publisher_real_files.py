"""The publishers' real files in ../shared/data, read by the readers and checked against figures
recomputed here with the csv module (never from the readers' own output)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from itinera.domain.incident_counting import counts_in_totals, event_count
from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Incident, Observation
from itinera.importers.base import ImportResult
from itinera.importers.frontex import read_frontex
from itinera.importers.mmp import read_mmp
from itinera.importers.unhcr import read_unhcr_arrivals

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2025 = SHARED / "mmp-global-2025-04"
MMP_CSV = MMP_2025 / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_2026 = SHARED / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
MMP_2020 = SHARED / "mmp-global-2020-01-legacy" / "MissingMigrants-Global-2020-01-08T14-05-32.csv"
HDX = SHARED / "mmp-hdx-hxl-2014-2017"
FRONTEX = SHARED / "frontex-ibc-2025-06"
UNHCR = SHARED / "unhcr-med-arrivals-2014-2019"
COUNTS_2025 = [
    "Number of Dead",
    "Minimum Estimated Number of Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
]

pytestmark = pytest.mark.shared_data


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _incidents(path: Path) -> tuple[list[Incident], list[Issue], ImportResult]:
    result = read_mmp(path)
    return list(result.incidents), result.issues, result


def _kinds(issues: list[Issue]) -> Counter[str]:
    def kind(issue: Issue) -> str:
        for word in (
            "negative",
            "no incident date",
            "truncated",
            "latitude equal",
            "out of range",
            "unknown country",
        ):
            if word in issue.message:
                return word
        return issue.message

    return Counter(kind(i) for i in issues)


def _coordinate_problems(cells: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for text in filter(None, cells):
        lat, lon = (part.strip() for part in text.split(","))
        if ("." in lat) != ("." in lon):
            found["truncated"] += 1
        elif float(lat) == float(lon):
            found["latitude equal"] += 1
        elif not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
            found["out of range"] += 1
    return found


def test_mmp_2025_export_reads_every_row_with_the_problems_counted_in_the_raw_file() -> None:
    raw = _rows(MMP_CSV)
    incidents, issues, result = _incidents(MMP_CSV)
    assert len(raw) == 19_255 == result.rows_read == len(incidents)
    assert result.rows_rejected == 0 and all(i.severity is Severity.WARNING for i in issues)
    expected = _coordinate_problems([row["Coordinates"] for row in raw])
    expected["negative"] = sum(row[c].startswith("-") for row in raw for c in COUNTS_2025)
    expected["no incident date"] = sum(row["Incident Date"] in ("", "0") for row in raw)
    assert expected["no incident date"] == 14 and expected["negative"] == 6
    assert _kinds(issues) == +expected
    types = Counter(i.incident_type.value for i in incidents)
    assert types == {"incident": 18_755, "split": 398 + 9, "cumulative": 93}
    assert sum(bool(i.related_ids) for i in incidents) == sum(
        bool(set(r["Incident ID"].split(",")) - {r["Main ID"]}) for r in raw
    )
    harsh = "Harsh environmental conditions / lack of adequate shelter, food, water"
    assert any(harsh in i.causes for i in incidents)
    assert result.dataset.vintage == "2025-04-29"


def test_dead_and_missing_2023_central_mediterranean_equals_the_raw_sum() -> None:
    raw_total = 0
    for row in _rows(MMP_CSV):
        if row["Incident Year"] == "2023" and row["Migration Route"] == "Central Mediterranean":
            raw_total += int(row["Number of Dead"] or 0) + int(
                row["Minimum Estimated Number of Missing"] or 0
            )
    incidents, _, _ = _incidents(MMP_CSV)
    ours = sum(
        i.dead_and_missing
        for i in incidents
        if counts_in_totals(i)
        and i.date
        and i.date.year == 2023
        and i.route_name == "Central Mediterranean"
    )
    assert ours == raw_total > 2_000


def test_mmp_2025_xlsx_gives_the_same_incidents_as_its_csv() -> None:
    # Its speed (under 5 s) is measured in benchmarks/movements_publisher_readers.py, not here.
    result = read_mmp(MMP_2025 / "Missing_Migrants_Global_Figures_allData.xlsx")
    incidents = list(result.incidents)
    assert incidents == _incidents(MMP_CSV)[0]
    assert len(result.issues) == len(_incidents(MMP_CSV)[1])


def test_mmp_2026_layout_keeps_split_parts_once_each() -> None:
    raw = _rows(MMP_2026)
    incidents, issues, result = _incidents(MMP_2026)
    assert len(raw) == 238 == len(incidents) and result.rows_rejected == 0
    assert event_count(incidents) == len({row["Main ID"] for row in raw})
    assert sum(i.dead_and_missing for i in incidents) == sum(
        int(row["Number Dead"] or 0) + int(row["Minimum Estimated Number of Missing"] or 0)
        for row in raw
    )
    counts = [
        "Number Dead",
        "Minimum Estimated Number of Missing",
        "Number of Survivors",
        "Number of Females",
        "Number of Males",
        "Number of Children",
    ]
    assert _kinds(issues) == {
        "negative": sum(row[c].startswith("-") for row in raw for c in counts)
    }
    assert incidents[0].date is not None and incidents[0].date.isoformat() == "2026-01-01"


def test_mmp_2020_legacy_layout_reads_every_row() -> None:
    raw = _rows(MMP_2020)
    incidents, issues, result = _incidents(MMP_2020)
    assert len(raw) == 6_249 == len(incidents) and result.rows_rejected == 0
    assert _kinds(issues) == +_coordinate_problems([r["Location Coordinates"] for r in raw])
    by_year = Counter(i.date.year for i in incidents if i.date)
    assert by_year == Counter(int(r["Reported Year"]) for r in raw)
    assert result.dataset.vintage == "2020-01-08"


@pytest.mark.parametrize("name", ["MissingMigrants.derived.csv", "MissingMigrants.xlsx"])
def test_mmp_hdx_copy_with_only_hashtags(name: str) -> None:
    raw = _rows(HDX / "MissingMigrants.derived.csv")
    incidents, issues, result = _incidents(HDX / name)
    assert len(raw) == 2_647 == len(incidents) and result.rows_rejected == 0
    kinds = _kinds(issues)
    assert kinds["no incident date"] == sum(not r["#date+reported"] for r in raw) == 9
    unknown = [i.value for i in issues if "unknown country" in i.message]
    assert len(unknown) == len(set(unknown)) == kinds["unknown country"]  # once per value
    dead = sum(int(r["#affected+dead"] or 0) for r in raw)
    assert sum(i.dead or 0 for i in incidents) == dead


def _frontex(path: Path) -> list[Observation]:
    result = read_frontex(path)
    observations = list(result.observations)
    assert result.rows_rejected == 0 and result.issues == []
    return observations


def test_frontex_wide_and_long_copies_agree_overall_and_per_route_and_year() -> None:
    wide = _frontex(FRONTEX / "Monthly_detections_of_IBC_as_of_2025-06-03.xlsx")
    long = _frontex(FRONTEX / "frontex_long_iom_gdidata.derived.csv")
    raw = _rows(FRONTEX / "Detections_of_IBC.derived.csv")
    raw_total = sum(
        int(v) for row in raw for k, v in row.items() if re.fullmatch(r"[A-Z]{3}\d{4}", k)
    )
    assert sum(o.value for o in wide) == sum(o.value for o in long) == raw_total == 4_966_869

    def by_route_year(observations: list[Observation]) -> Counter[tuple[str | None, int]]:
        totals: Counter[tuple[str | None, int]] = Counter()
        for o in observations:
            totals[(o.route_name, o.period.start.year)] += int(o.value)
        return totals

    assert by_route_year(wide) == by_route_year(long)
    assert {o.nationality for o in wide if o.nationality and o.value} == {
        o.nationality for o in long if o.nationality
    }  # the long copy omits zeros
    assert len(raw) == 885 and {o.route_name for o in wide} == {r["Route"] for r in raw}


def test_unhcr_monthly_table_na_is_unknown() -> None:
    path = UNHCR / "unhcr_arrivals_12_31.csv"
    raw = _rows(path, "utf-8-sig")
    result = read_unhcr_arrivals(path)
    observations = list(result.observations)
    value_columns = [c for c in raw[0] if re.fullmatch(r"[a-z]+_(all|sea|land)", c)]
    na = sum(row[c] == "NA" for row in raw for c in value_columns)
    assert (len(raw), len(value_columns), na) == (71, 9, 130)
    assert len(observations) == len(raw) * len(value_columns) - na
    assert sum(int(i.message.split()[0]) for i in result.issues) == na
    italy = sum(int(row["italy_all"]) for row in raw)
    assert sum(o.value for o in observations if o.country == "ITA") == italy


def test_unhcr_workbook_reads_the_same_figures_as_the_derived_csvs() -> None:
    workbook = list(read_unhcr_arrivals(UNHCR / "unhcr_med_data_12_31.xlsx").observations)
    csvs = [o for p in sorted(UNHCR.glob("*.csv")) for o in read_unhcr_arrivals(p).observations]

    def figures(observations: list[Observation]) -> Counter[tuple[object, ...]]:
        return Counter(
            (o.indicator, o.country, o.nationality, o.period.code, o.value) for o in observations
        )

    assert figures(workbook) == figures(csvs) and len(workbook) == 5_475


def test_unhcr_by_origin_tables_take_the_country_from_the_file_name() -> None:
    for country, code in [("italy", "ITA"), ("greece", "GRC"), ("spain", "ESP"), ("cyprus", "CYP")]:
        path = UNHCR / f"arrivals_by_origin_{country}.derived.csv"
        raw = _rows(path)
        result = read_unhcr_arrivals(path)
        observations = list(result.observations)
        assert {o.country for o in observations} == {code} and result.rows_rejected == 0
        others = sum(
            r.get("Country of Origin Name", r.get("Country of Origin")) in ("Others", "")
            for r in raw
        )
        assert len(observations) == len(raw) - others
        assert all(o.nationality for o in observations)


def test_unhcr_sublocations_year_to_date_levels_kept_apart() -> None:
    path = SHARED / "unhcr-med-sublocations-2014-2022" / "unhcr_med_sublocations.csv"
    raw = _rows(path)
    observations = list(read_unhcr_arrivals(path).observations)
    assert len(observations) == len(raw) == 211
    assert sum(o.place is None for o in observations) == sum(
        r["admin_level"] == "Country" for r in raw
    )
    partial = [o for o in observations if o.period.kind.value == "ytd"]
    assert len(partial) == sum(r["month"] != "12" for r in raw) == 4
