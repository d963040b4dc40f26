"""The layouts of IOM Missing Migrants Project exports, recognised from their header.

| layout    | id column   | file                                                         |
|-----------|-------------|--------------------------------------------------------------|
| current   | Main ID     | 25 columns, with Incident Type (2021 → 2025 exports)         |
| newer     | Main ID     | 22 columns, no Incident Type nor Country of Incident (2026)  |
| legacy    | Web ID      | 20 columns, "January 05, 2020" dates (2020 and before)       |
| hdx       | #event+id   | HDX republication whose only header is HXL hashtags          |

Columns are found by name (case and surrounding spaces ignored; hashtags without spaces), so a
reordered export still reads; columns not listed here are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIELDS", "Layout", "detect_layout"]

FIELDS: dict[str, tuple[str, ...]] = {
    "main_id": ("main id", "web id", "#event+id"),
    "incident_ids": ("incident id",),
    "incident_type": ("incident type",),
    "region": ("region of incident", "region", "#region+incident"),
    "date": ("incident date", "reported date", "#date+reported"),
    "dead": ("number of dead", "number dead", "#affected+dead"),
    "missing": ("minimum estimated number of missing", "#affected+missing"),
    "total": ("total number of dead and missing", "total dead and missing"),
    "survivors": ("number of survivors",),
    "females": ("number of females",),
    "males": ("number of males",),
    "children": ("number of children",),
    "origins": ("country of origin", "#affected+nationality"),
    "causes": ("cause of death", "#cause+type"),
    "country": ("country of incident",),
    "route": ("migration route",),
    "location": ("location of incident", "location of death", "location description"),
    "coordinates": ("coordinates", "location coordinates"),
    "lat": ("#geo+lat",),
    "lon": ("#geo+lon",),
    "quality": ("source quality", "#meta+source+reliability"),
}

REQUIRED = ("main_id", "date", "dead", "missing")


@dataclass(frozen=True)
class Layout:
    name: str  # current, newer, legacy, hdx
    description: str
    columns: dict[str, int]  # field → column index
    headers: dict[str, str]  # field → the header as written (for issues)


def _key(header: str) -> str:
    text = header.strip().casefold()
    return text.replace(" ", "") if text.startswith("#") else " ".join(text.split())


def detect_layout(header: list[str]) -> Layout | str:
    """The layout of ``header``, or a message saying why it is not a Missing Migrants export."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        positions.setdefault(_key(name), []).append(index)
    columns: dict[str, int] = {}
    for field_name, names in FIELDS.items():
        found = [name for name in names if name in positions]
        if not found:
            continue
        if len(positions[found[0]]) > 1:
            written = header[positions[found[0]][0]]
            return f"the column {written!r} appears {len(positions[found[0]])} times; keep one"
        columns[field_name] = positions[found[0]][0]
    if "main_id" not in columns:
        return (
            "this is not a Missing Migrants export: expected a header with 'Main ID' or "
            "'Web ID' (or the HDX hashtag '#event+id')"
        )
    id_header = _key(header[columns["main_id"]])
    if id_header == "#event+id":
        name, description = "hdx", "HDX copy with HXL hashtags as the only header"
    elif id_header == "web id":
        name, description = "legacy", "legacy 20-column export"
    elif "incident_type" in columns:
        name, description = "current", "25-column export"
    else:
        name, description = "newer", "22-column export (2026)"
    absent = [FIELDS[f][0 if name != "hdx" else -1] for f in REQUIRED if f not in columns]
    if absent:
        return f"the Missing Migrants {description} lacks the column(s) {', '.join(absent)}"
    headers = {field_name: header[index] for field_name, index in columns.items()}
    return Layout(name, description, columns, headers)
