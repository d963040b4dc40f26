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
KEYS = ("indicator", "value", "period", "country", "nationality", "sex", "age_group", "place")
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
    codes = sorted(known_codes())
    indicators = sorted(packaged_indicators().indicators)
    path = tmp_path / "every-code.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["#indicator+code", "#indicator+value+num", "#date", "#country+code"])
        for number, code in enumerate(codes):
            indicator = indicators[number % len(indicators)]
            writer.writerow([indicator, number + 1, "2024-05", code])
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for number, indicator in enumerate(indicators):
            writer.writerow([indicator, number + 1, "2024-06", "ITA"])
    first = movements.import_file(db, SYSTEM, "hxl", path, source="every-code")
    assert (first.status, first.rows_rejected) == ("imported", 0), first.issues[:3]
    exported = tmp_path / "export.csv"
    exported.write_text(_export(db, "every-code"), encoding="utf-8")
    again = movements.import_file(db, SYSTEM, "hxl", exported, source="every-code-again")
    assert (again.status, again.rows_rejected) == ("imported", 0), again.issues[:3]
    assert _figures(_export(db, "every-code-again")) == _figures(_export(db, "every-code"))
    assert len(_figures(_export(db, "every-code"))) == len(codes) + len(indicators)


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
