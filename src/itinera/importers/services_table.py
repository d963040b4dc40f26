"""Service lists in any CSV/XLSX layout, read through a saved column mapping.

A mapping names which column holds what, how multi-valued cells are split, and how the
publisher's own codes translate (point kinds; service labels → service types, ``null`` for a
label with no service meaning). Example: ``reference/data/service_mapping_ifr_poland_2022.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from itinera.domain.issues import Issue, Severity
from itinera.importers.services_rows import (
    RawOffer,
    RawPoint,
    ReadOutcome,
    coordinate,
    country_alpha3,
)
from itinera.importers.table_files import TableFileError, open_table

__all__ = ["MAPPING_FIELDS", "check_mapping", "read_table_services"]

MAPPING_FIELDS = (
    "id",
    "name",
    "lat",
    "lon",
    "kind",
    "country",
    "admin_area",
    "locality",
    "services",
    "organisation",
    "phone",
    "email",
    "website",
    "status",
    "verified",
    "verified_by",
    "opening_hours",
    "languages",
    "eligibility",
    "cost",
    "populations",
)
NON_SERVICE = ""  # RawOffer.service_type for a label the mapping says has no service meaning


def check_mapping(mapping: Mapping[str, Any]) -> list[str]:
    """Problems with a mapping document (empty when usable)."""
    problems: list[str] = []
    columns = mapping.get("columns")
    if not isinstance(columns, dict):
        return ["'columns' must map fields to column names"]
    for key in columns:
        if key not in MAPPING_FIELDS:
            problems.append(f"columns.{key}: unknown field (known: {', '.join(MAPPING_FIELDS)})")
    for needed in ("name", "lat", "lon"):
        if not columns.get(needed):
            problems.append(f"columns.{needed}: required")
    if not columns.get("services") and not mapping.get("constants", {}).get("services"):
        problems.append("columns.services: required (or constants.services)")
    return problems


def read_table_services(path: Path, mapping: Mapping[str, Any]) -> ReadOutcome:
    outcome = ReadOutcome("table")
    try:
        table = open_table(path, sheet=mapping.get("sheet"))
    except TableFileError as error:
        outcome.issues.append(Issue(path.name, str(error)))
        return outcome
    outcome.issues.extend(table.issues)
    columns: dict[str, str] = dict(mapping["columns"])
    position = {name: i for i, name in enumerate(table.header)}
    for field_name, column in columns.items():
        if column and column not in position:
            outcome.issues.append(
                Issue(
                    path.name,
                    f"the mapping's column {column!r} (for {field_name}) is not in the header",
                    row=1,
                    column=column,
                )
            )
    if outcome.issues and any(i.severity is Severity.ERROR for i in outcome.issues):
        return outcome
    constants: dict[str, str] = dict(mapping.get("constants") or {})
    separator = str(mapping.get("separator", ";"))
    missing = {tuple(float(v) for v in pair) for pair in mapping.get("missing_coordinates", [])}
    kinds: dict[str, str] = dict(mapping.get("kinds") or {})
    services: dict[str, str | None] = dict(mapping.get("services") or {})

    def cell(cells: list[object], name: str) -> str | None:
        column = columns.get(name)
        if column:
            i = position[column]
            value = cells[i] if i < len(cells) else None
            text = re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""
            return text or None
        return constants.get(name)

    def many(cells: list[object], name: str) -> list[str]:
        text = cell(cells, name)
        return [v.strip() for v in text.split(separator) if v.strip()] if text else []

    for number, cells in table.rows:
        if not any(c not in (None, "") for c in cells):
            continue
        outcome.rows_read += 1
        errors: list[Issue] = []
        coords: list[float | None] = []
        for name, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            value = coordinate(cell(cells, name), low, high)
            if isinstance(value, str):
                errors.append(
                    Issue(path.name, value, number, columns[name], value=cell(cells, name))
                )
                value = None
            coords.append(value)
        lat, lon = coords
        if lat is None or lon is None or (lat, lon) in missing:
            errors.append(
                Issue(
                    path.name,
                    "no location (blank or the publisher's 'no location' sentinel)",
                    number,
                    columns["lat"],
                    value=f"{cell(cells, 'lat')}, {cell(cells, 'lon')}",
                    suggestion="add the point's coordinates",
                )
            )
        point_name = cell(cells, "name")
        if not point_name:
            errors.append(Issue(path.name, "no name", number, columns["name"]))
        if errors:
            outcome.issues.extend(errors)
            outcome.rejected_rows.add(number)
            continue
        assert point_name is not None
        country = cell(cells, "country")
        if country:
            code = country.split("-")[0].strip()
            country = country_alpha3(code)
        kind_text = cell(cells, "kind") or ""
        point = RawPoint(
            number,
            cell(cells, "id") or f"row-{number}",
            point_name,
            lat,
            lon,
            kind=kinds.get(kind_text, kind_text or mapping.get("default_kind")),
            country=country,
            admin_area=cell(cells, "admin_area"),
            locality=cell(cells, "locality"),
            organisations=many(cells, "organisation"),
            status=cell(cells, "status"),
            last_verified=cell(cells, "verified"),
            verified_by=cell(cells, "verified_by"),
            populations=many(cells, "populations"),
        )
        for kind in ("phone", "email", "website"):
            point.contacts.extend((kind, v) for v in many(cells, kind))
        for label in many(cells, "services"):
            mapped = services.get(label) if label in services else None
            point.offers.append(
                RawOffer(
                    number,
                    columns.get("services", "services"),
                    label=label,
                    service_type=NON_SERVICE if label in services and mapped is None else mapped,
                    eligibility=cell(cells, "eligibility"),
                    cost=cell(cells, "cost"),
                    languages=many(cells, "languages"),
                    opening_hours=cell(cells, "opening_hours"),
                )
            )
        outcome.points.append(point)
    return outcome
