"""Exports that come back (issue 11, items 4 and 5): every code one reader stores, every other
reader accepts; a round trip over every indicator and every code gives the same figures; the
HXL tags Itinera writes follow the HXL core schema (``../shared/data/hxl-core-schema``); every
Parquet export has one fixed schema, whatever the data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from itinera.domain.access import SYSTEM
from itinera.importers.codes import country_iso3
from itinera.importers.countries import known_codes
from itinera.reference.indicators import packaged_indicators
from itinera.services import movements
from itinera.services.movements.export import (
    INCIDENT_COLUMNS,
    OBSERVATION_COLUMNS,
    export_incidents,
    export_observations,
)
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
CORE = SHARED / "hxl-core-schema"
FRONTEX = SHARED / "frontex-ibc-2025-06" / "Detections_of_IBC.derived.csv"
MMP_2026 = SHARED / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
KEYS = (
    "indicator",
    "value",
    "period",
    "country",
    "nationality",
    "sex",
    "age_group",
    "place",
    "route_id",
    "route_method",
    "route_distance_km",
)
# How each row of the every-code file gets its route: (route name, route id) by row number.
ROUTE_CELLS = (("", ""), ("Central Mediterranean", ""), ("", "eastern-mediterranean"))
# Attributes outside the core vocabulary whose meaning a core attribute has: never write them.
NOT_CORE_SYNONYMS = {"+dead": "+killed", "+female": "+f", "+male": "+m", "+idp": "+idps"}


def _export(db: Database, source: str, fmt: str = "hxl") -> str:
    out = io.StringIO()
    export_observations(db, SYSTEM, movements.ObservationFilter(source=source), fmt, out)
    return out.getvalue()


def _figures(text: str) -> list[tuple[str, ...]]:
    rows = list(csv.DictReader(io.StringIO(text)))[1:]  # the hashtag row
    return sorted(tuple(r[k] for k in KEYS) for r in rows if r["derived"] == "false")


def test_every_stored_code_is_accepted_by_the_code_readers() -> None:
    refused = sorted(c for c in known_codes() if country_iso3(c) != c)
    assert refused == []
    assert {"XXA", "XKX"} <= known_codes()


def test_every_indicator_and_code_comes_back_through_hxl(db: Database, tmp_path: Path) -> None:
    """Every code and indicator, on routes got by every means (alias, publisher, a place rule
    of the source, an analyst, none), comes back with its route and how it got it: the copy's
    source has no place rule, so a figure re-attributed on reading would show otherwise."""
    codes = sorted(known_codes())
    indicators = sorted(packaged_indicators().indicators)
    path = tmp_path / "every-code.csv"
    tags = ["#indicator+code", "#indicator+value+num", "#date", "#country+code"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*tags, "#region+route+name", "#region+route+code"])
        for number, code in enumerate(codes):
            indicator = indicators[number % len(indicators)]
            route = ROUTE_CELLS[number % len(ROUTE_CELLS)]
            writer.writerow([indicator, number + 1, "2024-05", code, *route])
        for number, indicator in enumerate(indicators):
            writer.writerow([indicator, number + 1, "2024-06", "ITA", "", ""])
    # unhcr-med: arrivals in Italy go to the Central Mediterranean by a place rule
    first = movements.import_file(db, SYSTEM, "hxl", path, source="unhcr-med")
    assert (first.status, first.rows_rejected) == ("imported", 0), first.issues[:3]
    page = movements.query_observations(db, SYSTEM, movements.ObservationFilter(), limit=3)[1]
    movements.set_route(db, SYSTEM, "observation", [r["id"] for r in page], "west-africa-atlantic")
    exported = tmp_path / "export.csv"
    exported.write_text(_export(db, "unhcr-med"), encoding="utf-8")
    again = movements.import_file(db, SYSTEM, "hxl", exported, source="every-code-again")
    assert (again.status, again.rows_rejected) == ("imported", 0), again.issues[:3]
    before = _figures(_export(db, "unhcr-med"))
    assert _figures(_export(db, "every-code-again")) == before
    assert len(before) == len(codes) + len(indicators)
    methods = {row[KEYS.index("route_method")] for row in before}
    assert methods == {"alias", "publisher", "place-rule", "analyst", ""}


def test_a_route_method_itinera_never_writes_is_refused_naming_the_row(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "odd-method.csv"
    path.write_text(
        "#indicator+code,#indicator+value+num,#date,#region+route+code,#meta+route+method\n"
        "dead,3,2024-05,central-mediterranean,guessed\n"
        "dead,4,2024-06,central-mediterranean,place-rule\n",
        encoding="utf-8",
    )
    report = movements.import_file(db, SYSTEM, "hxl", path, source="odd")
    assert report.rows_rejected == 1
    issue = next(i for i in report.issues if i.row == 2)
    assert (issue.column, issue.value) == ("route_method", "guessed")
    assert "not a route method" in issue.message
    figures = movements.query_observations(db, SYSTEM, movements.ObservationFilter(source="odd"))
    assert [(r["value"], r["route_method"]) for r in figures[1]] == [(4.0, "place-rule")]


@pytest.mark.shared_data
def test_the_frontex_export_with_stateless_comes_back(db: Database, tmp_path: Path) -> None:
    movements.import_file(db, SYSTEM, "frontex", FRONTEX)
    source = movements.list_sources(db, SYSTEM)[0]["key"]
    text = _export(db, source)
    assert ",XXA," in text  # Frontex's "Stateless"
    exported = tmp_path / "frontex-export.csv"
    exported.write_text(text, encoding="utf-8")
    again = movements.import_file(db, SYSTEM, "hxl", exported, source="frontex-again")
    assert (again.status, again.rows_rejected) == ("imported", 0), again.issues[:3]
    assert _figures(_export(db, "frontex-again")) == _figures(text)


def _core_vocabulary() -> tuple[set[str], dict[str, set[str]]]:
    with (CORE / "hashtag.hxl.csv").open(encoding="utf-8") as handle:
        hashtags = {r["#valid_tag"].strip() for r in csv.DictReader(handle)}
    with (CORE / "attribute.hxl.csv").open(encoding="utf-8") as handle:
        attributes = {
            r["#valid_attribute"].strip(): {
                h.strip() for h in r["#valid_hashtags+list+partial"].split(",") if h.strip()
            }
            for r in csv.DictReader(handle)
        }
    return hashtags, attributes


@pytest.mark.shared_data
def test_the_hxl_tags_written_follow_the_core_schema() -> None:
    hashtags, attributes = _core_vocabulary()
    written = [tag for _, tag in (*OBSERVATION_COLUMNS, *INCIDENT_COLUMNS)]
    written += [i.hxl for i in packaged_indicators().indicators.values()]
    for tag in written:
        hashtag, *parts = tag.split("+")
        assert hashtag in hashtags, tag
        for attribute in (f"+{p}" for p in parts):
            assert attribute not in NOT_CORE_SYNONYMS, (tag, NOT_CORE_SYNONYMS[attribute])
            allowed = attributes.get(attribute)
            if allowed:  # a core attribute is used only on the hashtags it is defined for
                assert hashtag in allowed, (tag, attribute)
    assert "#affected+killed" in written


@pytest.mark.shared_data
def test_parquet_exports_have_one_schema_whatever_the_data(db: Database, tmp_path: Path) -> None:
    movements.import_file(db, SYSTEM, "missing-migrants", MMP_2026)
    source = movements.list_sources(db, SYSTEM)[0]["key"]
    everything, nothing = tmp_path / "all.parquet", tmp_path / "none.parquet"
    export_observations(db, SYSTEM, movements.ObservationFilter(), "parquet", everything)
    only_none = movements.ObservationFilter(source="no-such-source")
    export_observations(db, SYSTEM, only_none, "parquet", nothing)
    first, second = pq.read_schema(everything), pq.read_schema(nothing)
    assert first.equals(second)
    assert pq.read_table(everything).num_rows > 0 and pq.read_table(nothing).num_rows == 0
    assert not [f.name for f in first if str(f.type) == "null"]
    incidents = tmp_path / "incidents.parquet"
    export_incidents(db, SYSTEM, "parquet", incidents, source=source)
    assert not [f.name for f in pq.read_schema(incidents) if str(f.type) == "null"]
