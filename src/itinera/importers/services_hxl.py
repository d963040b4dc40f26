"""HXL-tagged service lists: 3W/4W (who does what where) and service directories.

Reads HXL 1.x hashtags with attributes (``#org+impl``, ``#geo+lat``, ``#country+code``) and the
pre-1.0 "beta" tags of 2014 (``#lat_deg``, ``#lon_deg``, ``#country``, ``#adm1_id``,
``#report_date``), which are mapped to their 1.x equivalents. The hashtag row is found among the
first 25 rows (text headers above it are kept for issue messages).

A 3W row (organisation × sector × location) becomes one offer of that sector at that
organisation's service point at that location: rows sharing organisation and location make one
point. The point's external id is built from organisation, country, admin area, place name and
coordinates, so re-importing the same file finds the same points.
"""

from __future__ import annotations

import re
from pathlib import Path

from itinera.domain.issues import Issue, Severity
from itinera.importers.countries import SPELLING_FIX, close_match_note, country_code, is_unspecified
from itinera.importers.services_rows import (
    RawOffer,
    RawPoint,
    ReadOutcome,
    coordinate,
    country_alpha3,
)
from itinera.importers.table_files import TableFileError, open_table
from itinera.reference.gazetteer import locate

__all__ = ["BETA_TAGS", "read_hxl_services"]

NO_PLACE = "no coordinates, and no known country or admin area to place the point by"
BETA_TAGS = {
    "#lat_deg": "#geo+lat",
    "#lon_deg": "#geo+lon",
    "#country": "#country+name",
    "#country_code": "#country+code",
    "#adm1_id": "#adm1+code",
    "#adm2_id": "#adm2+code",
    "#org_id": "#org+code",
    "#report_date": "#date+reported",
    "#loc_id": "#loc+code",
    "#lat": "#geo+lat",
    "#lon": "#geo+lon",
}
_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$")

# role → hashtag specs tried in order (the first column matching one wins)
ROLES: dict[str, tuple[str, ...]] = {
    "org": ("#org+impl", "#org+name", "#org"),
    "sector": ("#sector+cluster", "#sector+name", "#sector", "#service+type", "#service"),
    "name": ("#loc+name", "#loc", "#service+name"),
    "lat": ("#geo+lat",),
    "lon": ("#geo+lon",),
    "country_code": ("#country+code",),
    "country": ("#country+name", "#country"),
    "adm1": ("#adm1+name", "#adm1"),
    "adm2": ("#adm2+name", "#adm2"),
    "status": ("#status",),
    "verified": ("#date+verified", "#date+reported", "#date"),
    "phone": ("#contact+phone",),
    "email": ("#contact+email",),
    "url": ("#contact+url", "#meta+url"),
    "id": ("#loc+code", "#loc+id", "#meta+id"),
}


def normalise_tag(cell: str) -> str | None:
    """``#Org +Impl`` → ``#org+impl``; beta tags → 1.x; ``None`` if not a hashtag."""
    text = cell.strip().lower().replace(" ", "")
    if not text or not _TAG.match(text):
        return None
    base, *attributes = text.split("+")
    base = BETA_TAGS.get(base, base)
    return "+".join([base, *attributes]) if attributes else base


def _matches(tag: str, spec: str) -> bool:
    base, *wanted = spec.split("+")
    have = tag.split("+")
    return have[0] == base and set(wanted) <= set(have[1:])


def read_hxl_services(path: Path, *, source: str | None = None) -> ReadOutcome:
    outcome = ReadOutcome("hxl")
    try:
        table = open_table(path)
    except TableFileError as error:
        outcome.issues.append(Issue(path.name, str(error)))
        return outcome
    outcome.issues.extend(table.issues)
    header, tags, tag_row = table.header, None, 1
    candidates: list[tuple[int, list[str]]] = [(1, list(table.header))]
    rows = iter(table.rows)
    buffered: list[tuple[int, list[object]]] = []
    for number, cells in rows:
        buffered.append((number, cells))
        candidates.append((number, ["" if c is None else str(c) for c in cells]))
        if len(buffered) >= 25:
            break
    for number, texts in candidates:
        normalised = [normalise_tag(c) for c in texts]
        if any(normalised) and all(
            t or not c.strip() for t, c in zip(normalised, texts, strict=True)
        ):
            tags, tag_row = normalised, number
            break
    if tags is None:
        outcome.issues.append(
            Issue(
                path.name,
                "no HXL hashtag row in the first 25 rows",
                suggestion="add a row of hashtags (#org, #sector, #geo+lat…) under the header",
            )
        )
        return outcome
    columns = {
        role: next(
            (i for spec in specs for i, t in enumerate(tags) if t and _matches(t, spec)), None
        )
        for role, specs in ROLES.items()
    }
    label = {
        i: (header[i] if i < len(header) and header[i] and tag_row > 1 else (tags[i] or ""))
        for i in range(len(tags))
    }
    if columns["sector"] is None:
        outcome.issues.append(
            Issue(path.name, "no sector or service column (#sector, #service)", row=tag_row)
        )
    no_place = columns["country"] is None and columns["country_code"] is None
    if (columns["lat"] is None or columns["lon"] is None) and no_place:
        outcome.issues.append(
            Issue(
                path.name,
                "no coordinates (#geo+lat and #geo+lon, or beta #lat_deg/#lon_deg)",
                row=tag_row,
            )
        )
    if any(i.severity is Severity.ERROR for i in outcome.issues):
        return outcome
    points: dict[str, RawPoint] = {}
    unresolved: set[str] = set()
    data = [(n, c) for n, c in buffered if n > tag_row]

    def cell(cells: list[object], role: str) -> str | None:
        i = columns[role]
        if i is None or i >= len(cells) or cells[i] is None:
            return None
        text = re.sub(r"\s+", " ", str(cells[i])).strip()
        return text or None

    for number, cells in [*data, *rows]:
        if not any(c not in (None, "") for c in cells):
            continue
        outcome.rows_read += 1
        errors: list[Issue] = []
        coords: list[float | None] = []
        for role, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            value = coordinate(cell(cells, role), low, high)
            if isinstance(value, str):
                errors.append(
                    Issue(
                        path.name,
                        value,
                        number,
                        label[columns[role] or 0],
                        tags[columns[role] or 0],
                        cell(cells, role),
                    )
                )
                value = None
            coords.append(value)
        org, sector = cell(cells, "org"), cell(cells, "sector")
        if not sector:
            errors.append(
                Issue(path.name, "no sector", number, label[columns["sector"] or 0], "#sector")
            )
        if errors:
            outcome.issues.extend(errors)
            outcome.rejected_rows.add(number)
            continue
        country = (cell(cells, "country_code") or "").upper() or None
        if country is None and (name := cell(cells, "country")):
            # a regional situation ("Mali Situation") spans several countries: where its admin-1
            # cell names a country ("Niger", "Burkina Faso"), that is the point's country
            situation = re.search(r"\s+situation$", name, flags=re.I) is not None
            country = (situation and country_code(cell(cells, "adm1") or "")) or country_code(
                re.sub(r"\s+situation$", "", name, flags=re.I)
            )
            note = close_match_note(re.sub(r"\s+situation$", "", name, flags=re.I))
            if note and name not in unresolved:
                unresolved.add(name)
                outcome.issues.append(
                    Issue(
                        path.name,
                        note,
                        number,
                        label[columns["country"] or 0],
                        "#country",
                        name,
                        SPELLING_FIX,
                        severity=Severity.WARNING,
                    )
                )
            if country is None and not is_unspecified(name) and name not in unresolved:
                unresolved.add(name)
                outcome.issues.append(
                    Issue(
                        path.name,
                        f"country {name!r} not recognised; stored without country",
                        number,
                        label[columns["country"] or 0],
                        "#country",
                        name,
                        severity=Severity.WARNING,
                    )
                )
        elif country is not None and len(country) == 2:
            country = country_alpha3(country)
        adm1, place = cell(cells, "adm1"), cell(cells, "name") or cell(cells, "adm2")
        extra: dict[str, str] = {}
        if None in coords:  # placed by its admin area or country, marked approximate
            spot = locate(country, adm1)
            where_label = label[columns["lat"] or 0]
            if spot is None:
                outcome.issues.append(
                    Issue(path.name, NO_PLACE, number, where_label, "#geo+lat", adm1 or country)
                )
                outcome.rejected_rows.add(number)
                continue
            coords = [spot.lat, spot.lon]
            centre = spot.name if spot.precision == "admin-1" else f"the country ({spot.country})"
            extra["location_precision"] = f"approximate: the centroid of {centre}"
            outcome.issues.append(
                Issue(
                    path.name,
                    f"no coordinates: placed at the centroid of {centre} (approximate)",
                    number,
                    where_label,
                    "#geo+lat",
                    severity=Severity.WARNING,
                )
            )
        lat, lon = coords
        key = cell(cells, "id") or "|".join(
            [
                (org or "").casefold(),
                country or "",
                (adm1 or "").casefold(),
                (place or "").casefold(),
                f"{lat:.4f}",
                f"{lon:.4f}",
            ]
        )
        point = points.get(key)
        if point is None:
            where = place or adm1 or (cell(cells, "country") or "")
            point = points[key] = RawPoint(
                number,
                key,
                place if place and not org else f"{org or ''} – {where}".strip(" –"),
                lat,
                lon,
                country=country,
                admin_area=adm1,
                locality=place,
                organisations=[o.strip() for o in (org or "").split(";") if o.strip()],
                status=cell(cells, "status"),
                last_verified=cell(cells, "verified"),
                extra=extra,
            )
            for kind in ("phone", "email", "url"):
                if value := cell(cells, kind):
                    point.contacts.append(("website" if kind == "url" else kind, value))
        if all(o.label != sector for o in point.offers):
            point.offers.append(RawOffer(number, label[columns["sector"] or 0], label=sector))
    outcome.points = list(points.values())
    return outcome
