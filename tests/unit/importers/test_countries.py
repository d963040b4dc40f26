"""Country names as publishers write them → ISO alpha-3."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from itinera.importers.countries import country_code, is_unspecified, strip_footnote_markers

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
