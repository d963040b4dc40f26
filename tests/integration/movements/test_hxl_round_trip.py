"""Property: any set of figures, imported, exported as HXL and imported again, gives the same
figures (indicator, value, period, route, country, nationality, sex, age group)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.movements.export import export_observations
from itinera.services.setup import initialise
from itinera.storage.database import Database

INDICATORS = [
    "arrivals",
    "sea_arrivals",
    "dead",
    "missing",
    "irregular_crossings_detected",
    "returns",
    "idps",
]
ROUTES = ["", "Central Mediterranean Route", "Western African Route", "English Channel to the UK"]
COUNTRIES = ["", "ITA", "ESP", "GRC", "LBY", "XKX"]
PERIODS = st.one_of(
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2014, 2026), st.integers(1, 12)),
    st.builds(lambda y, q: f"{y}-Q{q}", st.integers(2014, 2026), st.integers(1, 4)),
    st.builds(str, st.integers(2014, 2026)),
    st.builds(lambda y, m: f"{y}-YTD-{m:02d}", st.integers(2014, 2026), st.integers(1, 12)),
    st.dates().filter(lambda d: 2000 <= d.year <= 2030).map(lambda d: d.isoformat()),
)
FIGURE = st.tuples(
    st.sampled_from(INDICATORS),
    st.one_of(st.integers(0, 10**7), st.decimals(0, 10**5, places=2).map(str)),
    PERIODS,
    st.sampled_from(ROUTES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(["", "female", "male", "unknown"]),
    st.sampled_from(["", "child", "adult"]),
)
TAGS = [
    "#indicator+code",
    "#indicator+value+num",
    "#date+period",
    "#region+route+name",
    "#country+code",
    "#affected+nationality+code",
    "#meta+sex",
    "#meta+age",
]
COUNTER = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path_factory.mktemp('round-trip') / 'itinera.db'}"
    database = Database(url)
    initialise(Settings(database_url=url, environment="test"), database=database)
    yield database
    database.dispose()


def figures(db: Database, source: str) -> list[tuple[str, ...]]:
    keys = (
        "indicator",
        "value",
        "period",
        "route_name",
        "route_id",
        "country",
        "nationality",
        "sex",
        "age_group",
    )
    rows = movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(source=source), limit=5000
    )[1]
    return sorted(tuple(str(r[k]) for k in keys) for r in rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(FIGURE, min_size=1, max_size=25))
def test_hxl_export_then_import_gives_the_same_figures(
    store: Database, tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[object, ...]]
) -> None:
    number = next(COUNTER)
    folder = tmp_path_factory.mktemp("example")
    written = folder / "figures.csv"
    with written.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([f"example {number}"])  # unique content: never answered "unchanged"
        out.writerow(TAGS)
        out.writerows(rows)
    first = movements.import_file(store, SYSTEM, "hxl", written, source=f"first-{number}")
    assert (first.status, first.rows_rejected) == ("imported", 0), first.issues
    exported = folder / "export.csv"
    count = export_observations(
        store, SYSTEM, movements.ObservationFilter(source=f"first-{number}"), "hxl", exported
    )
    assert count == len(rows)
    again = movements.import_file(store, SYSTEM, "hxl", exported, source=f"again-{number}")
    assert (again.status, again.rows_rejected, again.observations) == ("imported", 0, len(rows))
    assert figures(store, f"again-{number}") == figures(store, f"first-{number}")
