"""Country names as publishers write them → ISO alpha-3."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from itinera.importers.countries import (
    close_match_note,
    country_code,
    is_unspecified,
    match_country,
    strip_footnote_markers,
)
from itinera.importers.services_hxl import read_hxl_services

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Syria*", "SYR"),
        ("Syrian Arab Rep.", "SYR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("DR Congo", "COD"),
        ("Congo (Kinshasa)", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo (Brazzaville)", "COG"),
        ("Palestine^", "PSE"),
        ("State of Palestine", "PSE"),
        ("Kosovo*", "XKX"),
        ("Western Sahara", "ESH"),
        ("Stateless", "XXA"),
        ("the Gambia", "GMB"),
        ("  united   kingdom ", "GBR"),
        ("Maroc", "MAR"),
        ("Allemagne", "DEU"),
        ("Réunion", "REU"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("CIV", "CIV"),
    ],
)
def test_publishers_spellings_resolve(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    "name", ["Unknown", "Not specified", "Other¹", "Others", "Mixed", "", "NA"]
)
def test_no_particular_country_is_unspecified_not_unknown(name: str) -> None:
    assert country_code(name) is None and is_unspecified(name)


@pytest.mark.parametrize("name", ["Atlantis", "Syrian", "Eritrea, Sudan"])
def test_names_that_do_not_resolve_are_not_unspecified(name: str) -> None:
    assert country_code(name) is None and not is_unspecified(name)


@pytest.mark.parametrize(
    ("name", "code", "known"),
    [
        ("Congo (Brazaville)", "COG", "congo (brazzaville)"),  # UNHCR 3W list, one z
        ("Afganistan", "AFG", "afghanistan"),
        ("Guinea Bissau", "GNB", "guinea-bissau"),
        ("Syrian Arab Rep", "SYR", "syrian arab rep."),
    ],
)
def test_close_spellings_resolve_and_are_reported(name: str, code: str, known: str) -> None:
    found = match_country(name)
    assert found is not None and found.is_close_match
    assert (found.code, found.known_name) == (code, known) and 90 <= found.score < 100
    assert country_code(name) == code
    note = close_match_note(name)
    assert note is not None and repr(name) in note and f"({code})" in note


@pytest.mark.parametrize(
    "name",
    [
        "Nigerr",  # too short to guess: Niger or Nigeria?
        "Irak stan",  # Iraq? Iran? nothing close enough
        "Sudan (South)",  # the word order differs: left to the synonyms table
        "Thailand-Myanmar",  # a border, not a country (MMP)
    ],
)
def test_names_too_far_or_too_short_are_not_guessed(name: str) -> None:
    assert match_country(name) is None and close_match_note(name) is None


def test_exact_spellings_carry_no_note() -> None:
    assert close_match_note("Congo (Brazzaville)") is None
    assert close_match_note("Côte d'Ivoire") is None
    assert close_match_note("Unknown") is None


@pytest.mark.shared_data
def test_the_unhcr_3w_list_reports_its_one_close_spelling() -> None:
    path = SHARED / "hxl-examples-legacy-showcase-2014" / "unhcr-3w.csv"
    outcome = read_hxl_services(path)
    notes = [i for i in outcome.issues if "not a known spelling" in (i.message or "")]
    assert len(notes) == 1  # once per distinct spelling, not once per row
    [note] = notes
    assert note.value == "Congo (Brazaville)" and "(COG)" in note.message
    assert note.severity.value == "warning" and note.row is not None
    congo = [p for p in outcome.points if p.country == "COG"]
    assert congo  # the rows are kept, with the country chosen


def test_footnote_markers_are_stripped() -> None:
    assert [strip_footnote_markers(n) for n in ("Kosovo*", "Palestine^", "Other¹", "Mali")] == [
        "Kosovo",
        "Palestine",
        "Other",
        "Mali",
    ]


# IOM's entities without an ISO 3166-1 country: Abyei, Channel Islands, Tibet (no code used
# here), Stateless (IOM "STL", here ICAO's XXA), unknown and unidentified sub-Saharan (none).
IOM_EXCEPTIONS = {"AB9": None, "XCX": None, "TIB": None, "STL": "XXA", "OOO": None, "OOS": None}


@pytest.mark.shared_data
def test_every_name_of_iom_country_reference_resolves_to_its_code() -> None:
    path = SHARED / "ref-countrynames-iom" / "countrynames.derived.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 257
    wrong = [
        (row["iso3"], row[column], country_code(row[column]))
        for row in rows
        for column in ("name", "name_sort", "name_text")
        if country_code(row[column]) != IOM_EXCEPTIONS.get(row["iso3"], row["iso3"])
    ]
    assert wrong == []
