"""The Central Mediterranean gap matrix, and HXL exports that libhxl accepts and Itinera reads
back without loss."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import hxl
import pytest
from tests.integration.activities.conftest import ROWCA, UNHCR_3W, UNHCR_ARRIVALS

from itinera.config import Settings
from itinera.domain.access import ANONYMOUS, SYSTEM
from itinera.domain.activity import Activity
from itinera.services.activities import reporting
from itinera.services.activities.exports import export_activities_hxl, export_presence_hxl
from itinera.services.activities.gaps import gap_matrix, gap_matrix_csv
from itinera.services.activities.importing import import_activities
from itinera.services.movements.importing import import_file
from itinera.services.setup import initialise
from itinera.storage.database import Database

pytestmark = pytest.mark.shared_data


def test_central_mediterranean_matrix_flags_movement_without_actors(store: Database) -> None:
    import_file(store, SYSTEM, "unhcr-arrivals", UNHCR_ARRIVALS)
    import_activities(store, SYSTEM, ROWCA)
    matrix = gap_matrix(store, ANONYMOUS, "central-mediterranean", 2014)
    assert matrix["route_id"] == "central-mediterranean"
    rows = matrix["countries"]
    roles = [r["role"] for r in rows]
    assert roles == sorted(roles, key=["origin", "transit", "asylum", "destination"].index)
    for row in rows:
        assert set(row["pillars"]) == {"1", "2", "3", "4", "5", "6"}
        assert all({"organisations", "activities"} <= set(c) for c in row["pillars"].values())
    mali = next(r for r in rows if r["country"] == "MLI")
    assert mali["pillars"]["3"]["organisations"] == 10
    assert mali["pillars"]["4"]["activities"] == 3
    italy = next(r for r in rows if r["country"] == "ITA")
    assert italy["movement"]["arrivals"] == 170_100  # UNHCR, Italy 2014
    assert all(c["gap"] and c["organisations"] == 0 for c in italy["pillars"].values())
    assert not any(c["gap"] for c in mali["pillars"].values())
    assert matrix["gaps"] == sum(c["gap"] for r in rows for c in r["pillars"].values())
    lines = gap_matrix_csv(matrix).splitlines()
    assert len(lines) == 1 + 6 * len(rows)
    assert (
        gap_matrix(store, ANONYMOUS, "central-mediterranean", 2015)["countries"][3]["pillars"]["3"][
            "activities"
        ]
        == 0
    )  # the 2014 figures do not spill into 2015


def test_reached_is_not_double_counted_across_months(store: Database) -> None:
    import_activities(store, SYSTEM, ROWCA)
    activities = [a for a in reporting.list_activities(store, SYSTEM) if a.country == "SEN"]
    matrix = gap_matrix(store, SYSTEM, "central-mediterranean", 2014)
    senegal = next(r for r in matrix["countries"] if r["country"] == "SEN")
    # monthly figures: per area the largest partner, summed over areas, largest indicator
    by_indicator: dict[str, dict[str, float]] = {}
    for a in activities:
        total = sum(f.reached or 0 for f in a.figures)
        areas = by_indicator.setdefault(a.indicator or a.sector, {})
        key = (a.adm1 or "").casefold()
        areas[key] = max(areas.get(key, 0.0), total)
    expected = max(sum(v.values()) for v in by_indicator.values())
    assert senegal["pillars"]["3"]["reached"] == expected
    assert expected < sum(f.reached or 0 for a in activities for f in a.figures)


def _validate_with_libhxl(path: Path) -> list[Any]:
    errors: list[Any] = []
    schema = hxl.schema(callback=errors.append)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    schema.validate(hxl.data(rows))
    return [e for e in errors if e.rule.severity == "error"]


def _signature(activity: Activity, names: dict[int, str]) -> tuple[Any, ...]:
    return (
        names[activity.organisation_id],
        activity.sector,
        activity.pillar,
        activity.country,
        activity.adm1,
        activity.adm2,
        activity.lat,
        activity.lon,
        activity.title,
        activity.project_code,
        activity.indicator,
        activity.aggregation,
        activity.status,
        tuple(sorted((f.period, f.in_need, f.targeted, f.reached) for f in activity.figures)),
    )


def _signatures(db: Database) -> set[tuple[Any, ...]]:
    from itinera.services.accounts.users import list_organisations

    names = {o.id or 0: o.name for o in list_organisations(db)}
    return {_signature(a, names) for a in reporting.list_activities(db, SYSTEM)}


def test_exports_pass_libhxl_and_read_back_without_loss(store: Database, tmp_path: Path) -> None:
    import_activities(store, SYSTEM, ROWCA)
    import_activities(store, SYSTEM, UNHCR_3W)
    activity_file = tmp_path / "activities.hxl.csv"
    presence_file = tmp_path / "presence.hxl.csv"
    activity_file.write_text(export_activities_hxl(store, SYSTEM), "utf-8")
    presence_file.write_text(export_presence_hxl(store, SYSTEM), "utf-8")
    assert _validate_with_libhxl(activity_file) == []
    assert _validate_with_libhxl(presence_file) == []
    header = activity_file.read_text("utf-8").splitlines()[1].split(",")
    for tag in (
        "#org+impl",
        "#org+prog",
        "#org+funder",
        "#sector",
        "#activity+name",
        "#country+code",
        "#adm1+name",
        "#targeted",
        "#reached",
        "#date+start",
        "#date+end",
    ):
        assert tag in header

    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    initialise(Settings(database_url=fresh_url, environment="test"))
    fresh = Database(fresh_url)
    try:
        again = import_activities(fresh, SYSTEM, activity_file)
        assert again.rows_rejected == 0 and again.errors == 0
        assert _signatures(fresh) == _signatures(store)
        presence = import_activities(fresh, SYSTEM, presence_file, source="op")
        assert presence.rows_rejected == 0
    finally:
        fresh.dispose()


def test_the_libhxl_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.hxl.csv"
    broken.write_text("Org,Period,Reached\n#org+impl,#date+period,#reached\nA,not a date,many\n")
    assert len(_validate_with_libhxl(broken)) == 2
