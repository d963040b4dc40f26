"""The shipped gazetteer (``data/gazetteer-adm1.csv``, built offline by
``scripts/build-gazetteer``; sources and licences in ``data/README.md``): every country's
centroid and every admin-1 area's P-code, name and point (its own where one was found).
A service point listed without coordinates is placed from it by its admin area, else by its
country, and always marked approximate: the file's ``precision`` says which centroid it is."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache

from itinera.reference.files import default_data_dir

__all__ = ["GazetteerPlace", "locate"]

FILE = "gazetteer-adm1.csv"


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    country: str  # ISO 3166 alpha-3
    pcode: str
    name: str
    lat: float
    lon: float
    precision: str  # "admin-1" (the area's own point) or "country" (the country's centroid)


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(text.replace("-", " ").split())


@cache
def _places() -> dict[tuple[str, str], GazetteerPlace]:
    found: dict[tuple[str, str], GazetteerPlace] = {}
    with (default_data_dir() / FILE).open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            place = GazetteerPlace(
                row["country"],
                row["pcode"],
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                row["precision"],
            )
            level = "" if row["level"] == "0" else _key(row["name"])
            found.setdefault((row["country"], level), place)
            found.setdefault((row["country"], row["pcode"].casefold()), place)
    return found


def locate(country: str | None, admin_area: str | None) -> GazetteerPlace | None:
    """The admin-1 area of ``country`` named (or P-coded) ``admin_area``, else the country
    itself; None for an unknown country."""
    if not country:
        return None
    places = _places()
    if admin_area:
        for key in (_key(admin_area), admin_area.casefold()):
            if (country, key) in places:
                return places[(country, key)]
    return places.get((country, ""))
