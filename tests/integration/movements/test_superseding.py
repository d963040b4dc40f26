"""Vintages on both databases: a newer vintage replaces an older one figure by figure.

A figure's identity is (source, indicator, period, route, country, place, nationality, sex,
age group, border type); an incident's is (source, the publisher's id). The newer vintage
wins whatever the import order; datasets of one source never wipe each other's other figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.movements import ImportReport
from itinera.storage.database import Database
from itinera.storage.movements.tables import movement_incidents, observations

FRONTEX_HEADER = "Route,Border type or inland,Nationality,JAN2024,FEB2024\n"
MMP_HEADER = (
    "Main ID,Incident ID,Incident Type,Region of Incident,Incident Date,Incident Year,Month,"
    "Number of Dead,Minimum Estimated Number of Missing,Total Number of Dead and Missing,"
    "Number of Survivors,Number of Females,Number of Males,Number of Children,"
    "Country of Origin,Region of Origin,Cause of Death,Country of Incident,Migration Route,"
    "Location of Incident,Coordinates,UNSD Geographical Grouping,Information Source,URL,"
    "Source Quality\n"
)


def frontex(folder: Path, vintage: str, rows: list[str]) -> Path:
    path = folder / f"Monthly_detections_of_IBC_as_of_{vintage}.csv"
    path.write_text(FRONTEX_HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def mmp(folder: Path, vintage: str, rows: list[tuple[str, str, int]]) -> Path:
    """An MMP export of (id, date, dead) incidents off Libya on the Central Mediterranean."""
    lines = [
        f"{record},{record},Incident,Mediterranean,{day},{day[:4]},March,{dead},,{dead},,,,,"
        f'Guinea,Sub-Saharan Africa,Drowning,Libya,Central Mediterranean,"Off Zuwara, Libya",'
        f'"32.93, 12.08",Uncategorized,IOM Libya,,4\n'
        for record, day, dead in rows
    ]
    path = folder / f"MissingMigrants-Global-{vintage}.csv"
    path.write_text(MMP_HEADER + "".join(lines), encoding="utf-8")
    return path


def hxl(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    header = "#date,#country+code,#affected+nationality+code,#meta+sex,#affected+arrivals\n"
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def load(db: Database, reader: str, path: Path, source: str | None = None) -> ImportReport:
    report = movements.import_file(db, SYSTEM, reader, path, source=source)
    assert report.status == "imported" and report.rows_rejected == 0, report.issues
    return report


def current(db: Database, **filters: Any) -> list[tuple[object, ...]]:
    """Current figures as (period, country, nationality, sex, border, value, batch)."""
    _, rows = movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(**filters), limit=1000
    )
    return sorted(
        (
            r["period"],
            r["country"],
            r["nationality"],
            r["sex"],
            r["border_type"],
            r["value"],
            r["batch_id"],
        )
        for r in rows
    )


def superseded_in(db: Database, batch_id: int | None) -> int:
    with db.transaction() as session:
        flags = session.scalars(
            select(observations.c.superseded).where(observations.c.batch_id == batch_id)
        ).all()
    return sum(bool(f) for f in flags)


NEWER_ROWS = ["Central Mediterranean Route,Sea,Syria,20,21"]
OLDER_ROWS = [
    "Central Mediterranean Route,Sea,Syria,10,",
    "Eastern Mediterranean Route,Land,Türkiye,7,8",
]


@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_the_newer_vintage_wins_each_figure_whatever_the_import_order(
    db: Database, tmp_path: Path, newer_first: bool
) -> None:
    newer_file = frontex(tmp_path, "2025-06-03", NEWER_ROWS)
    older_file = frontex(tmp_path, "2024-03-01", OLDER_ROWS)
    first, second = (newer_file, older_file) if newer_first else (older_file, newer_file)
    reports = {path: load(db, "frontex", path) for path in (first, second)}
    newer, older = reports[newer_file], reports[older_file]
    # Syria, January: the older figure, counted in older batches or, when the older vintage
    # comes second, as its own figures that the current newer batch supersedes (issue 11)
    if newer_first:
        assert reports[second].superseded_observations == 0
        assert reports[second].current_vintage["figures"] == 1
        assert reports[second].current_vintage["batch_id"] == newer.batch_id
    else:
        assert reports[second].superseded_observations == 1
        assert reports[second].current_vintage is None
    assert superseded_in(db, newer.batch_id) == 0
    assert superseded_in(db, older.batch_id) == 1
    assert current(db, nationality="SYR") == [
        ("2024-01", None, "SYR", None, "sea", 20.0, newer.batch_id),
        ("2024-02", None, "SYR", None, "sea", 21.0, newer.batch_id),
    ]
    turkey = current(db, nationality="TUR")  # only in the older file: still current
    assert [(p, v, b) for p, *_, v, b in turkey] == [
        ("2024-01", 7.0, older.batch_id),
        ("2024-02", 8.0, older.batch_id),
    ]


def test_one_table_of_a_source_replaces_only_the_figures_it_holds(
    db: Database, tmp_path: Path
) -> None:
    workbook = load(
        db,
        "hxl",
        hxl(
            tmp_path,
            "workbook.csv",
            [
                "2019-01,ITA,SYR,female,5",
                "2019-01,ITA,SYR,male,6",
                "2019-01,ITA,AFG,male,7",
                "2019-01,GRC,SYR,male,8",
                "2019-02,GRC,AFG,female,9",
            ],
        ),
        source="unhcr-test",
    )
    one_table = load(
        db, "hxl", hxl(tmp_path, "italy.csv", ["2019-01,ITA,SYR,male,60"]), source="unhcr-test"
    )
    assert one_table.superseded_observations == 1
    figures = [(c, n, s, v, b == one_table.batch_id) for _, c, n, s, _, v, b in current(db)]
    assert sorted(figures) == [
        ("GRC", "AFG", "female", 9.0, False),
        ("GRC", "SYR", "male", 8.0, False),
        ("ITA", "AFG", "male", 7.0, False),
        ("ITA", "SYR", "female", 5.0, False),
        ("ITA", "SYR", "male", 60.0, True),
    ]
    assert superseded_in(db, workbook.batch_id) == 1


def test_another_source_is_never_superseded(db: Database, tmp_path: Path) -> None:
    rows = ["2019-01,ITA,SYR,male,5"]
    load(db, "hxl", hxl(tmp_path, "a.csv", rows), source="first")
    again = load(db, "hxl", hxl(tmp_path, "b.csv", ["2019-01,ITA,SYR,male,6"]), source="second")
    assert again.superseded_observations == 0
    assert [v for *_, v, _ in current(db)] == [5.0, 6.0]


@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-first", "older-first"])
def test_incidents_are_superseded_by_id_and_within_the_newer_span(
    db: Database, tmp_path: Path, newer_first: bool
) -> None:
    newer_file = mmp(tmp_path, "2025-04-30", [("A", "2019-03-02", 2), ("B", "2019-03-09", 1)])
    older_file = mmp(
        tmp_path,
        "2020-01-08",
        [
            ("A", "2019-03-02", 5),
            ("C", "2018-06-01", 3),
            ("D", "2019-03-05", 4),
        ],
    )
    first, second = (newer_file, older_file) if newer_first else (older_file, newer_file)
    reports = {path: load(db, "missing-migrants", path) for path in (first, second)}
    newer, older = reports[newer_file], reports[older_file]
    # A by its id, D within the newer span
    if newer_first:
        assert reports[second].superseded_incidents == 0
        assert reports[second].current_vintage["incidents"] == 2
    else:
        assert reports[second].superseded_incidents == 2
    with db.transaction() as session:
        stored = session.execute(
            select(
                movement_incidents.c.record_id,
                movement_incidents.c.batch_id,
                movement_incidents.c.superseded,
            )
        ).all()
    assert sorted((r, b == newer.batch_id, bool(s)) for r, b, s in stored) == [
        ("A", False, True),
        ("A", True, False),
        ("B", True, False),
        ("C", False, False),
        ("D", False, True),
    ]
    dead = current(db, indicator="dead")
    assert [(p, v, b == newer.batch_id) for p, *_, v, b in dead] == [
        ("2018-06", 3.0, False),  # only the older vintage knows this month
        ("2019-03", 3.0, True),  # 2 + 1 from the newer vintage, not 5 + 4 from the older
    ]
    assert superseded_in(db, newer.batch_id) == 0 and older.batch_id is not None


REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2025 = REAL / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_2020 = REAL / "mmp-global-2020-01-legacy" / "MissingMigrants-Global-2020-01-08T14-05-32.csv"


@pytest.mark.shared_data
def test_the_2020_legacy_file_imported_after_the_2025_export_does_not_replace_it(
    db: Database,
) -> None:
    recent = load_real(db, MMP_2025)
    legacy = load_real(db, MMP_2020)
    assert (legacy.superseded_incidents, legacy.superseded_observations) == (0, 0)  # none older
    kept = legacy.current_vintage  # the legacy file's own records, superseded (issue 11)
    assert kept["batch_id"] == recent.batch_id
    assert kept["incidents"] == legacy.incidents  # all dated within 2014-2025
    assert kept["figures"] == legacy.derived == superseded_in(db, legacy.batch_id)
    assert superseded_in(db, recent.batch_id) == 0
    with db.transaction() as session:
        flags = session.execute(
            select(movement_incidents.c.batch_id, movement_incidents.c.superseded)
        ).all()
    assert not any(s for b, s in flags if b == recent.batch_id)
    assert sum(1 for b, s in flags if b == legacy.batch_id and s) == kept["incidents"]
    may_2019 = current(
        db,
        indicator="dead_and_missing",
        route_id="central-mediterranean",
        period_from="2019-05",
        period_to="2019-05",
    )
    assert may_2019 and {b for *_, b in may_2019} == {recent.batch_id}
    alone = current(db, indicator="dead_and_missing", source="iom-mmp", period_from="2014-01")
    assert {b for *_, b in alone} == {recent.batch_id}


def load_real(db: Database, path: Path) -> ImportReport:
    report = movements.import_file(db, SYSTEM, "missing-migrants", path)
    assert report.status == "imported", report.message
    return report
