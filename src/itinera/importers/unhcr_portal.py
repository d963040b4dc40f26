"""UNHCR data portal JSON ("Europe Sea Arrivals") → observations (reader ``unhcr-portal``).

Source key ``unhcr-europe``; vintage: the document's ``metadata.generated_at`` date. The
reader recognises each of the portal exports by its keys:

- **regional monthly** (``monthly``: ``date, people, sea_arrivals, land_arrivals``):
  ``arrivals``, ``sea_arrivals``, ``land_arrivals`` per month for the whole reporting area
  (Italy, Malta, Cyprus, Greece, Spain): no country, no route.
- **by country** (``countries``): a country with ``data_granularity: monthly`` gives
  ``arrivals`` per month (``people``); one with ``annual_cumulative`` gives year-to-date
  ``arrivals``/``sea_arrivals``/``land_arrivals`` from 1 January to its ``latest_data_date``
  (never summed across months). The publisher's ``route`` label is kept as the route name.
- **by origin** (``movements``): year-to-date arrivals by nationality per destination up to
  ``data_date``; ``scope: sea_arrivals`` → ``sea_arrivals``, otherwise ``arrivals`` (Spain's
  are sea and land together). The portal's own origin codes are not ISO (``ALG``), so the
  nationality is read from ``origin_country`` (a name); aggregate origins ("Others") are not
  figures of a nationality and are skipped (one warning counts them).

Quirks: Hungarian labels in ``*_hu`` fields (ignored); the country cut-off dates differ;
Malta is left out of the country breakdown by the publisher; the last month of the regional
series may be partial (the document is generated before the month ends).

The document is parsed whole, so its size is bounded first (``limits.check_json_size``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Observation, Period
from itinera.importers.base import DatasetInfo, ImportResult, ReaderSpec
from itinera.importers.countries import country_code
from itinera.importers.limits import FileLimitError, check_json_size

__all__ = ["read_unhcr_portal"]

SOURCE = "unhcr-europe"
READER = "unhcr-portal"
PUBLISHER = "UNHCR data portal (Europe Sea Arrivals)"
_MONTHLY = (
    ("people", "arrivals"),
    ("sea_arrivals", "sea_arrivals"),
    ("land_arrivals", "land_arrivals"),
)
_YTD = (
    ("arrivals_ytd", "arrivals"),
    ("sea_arrivals_ytd", "sea_arrivals"),
    ("land_arrivals_ytd", "land_arrivals"),
)


class _Reading:
    def __init__(self, name: str) -> None:
        self.name = name
        self.observations: list[Observation] = []
        self.issues: list[Issue] = []
        self.read = self.rejected = 0

    def problem(self, row: int, column: str, value: Any, message: str, hint: str) -> None:
        self.issues.append(
            Issue(self.name, message, row=row, column=column, value=str(value), suggestion=hint)
        )
        self.rejected += 1

    def add(self, indicator: str, value: Any, period: Period, row: int, **where: Any) -> None:
        if value is None:
            return  # not published: unknown, not 0
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.problem(row, indicator, value, "not a count of people", "check the export")
            return
        self.observations.append(
            Observation(indicator, float(value), period, source_row=row, **where)
        )


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _monthly(reading: _Reading, records: Iterable[Any], **where: Any) -> None:
    for row, record in enumerate(records, start=1):
        reading.read += 1
        day = _day(record.get("date")) if isinstance(record, dict) else None
        if day is None:
            reading.problem(row, "date", record, "no month (date YYYY-MM-DD)", "check the export")
            continue
        for key, indicator in _MONTHLY:
            reading.add(indicator, record.get(key), Period.month(day.year, day.month), row, **where)


def _countries(reading: _Reading, countries: list[Any]) -> None:
    for row, entry in enumerate(countries, start=1):
        name = str(entry.get("country", "")) if isinstance(entry, dict) else ""
        code = country_code(name) if name else None
        if code is None:
            reading.read += 1
            reading.problem(row, "country", name, "unknown country", "use an English country name")
            continue
        where = {"country": code, "route_name": entry.get("route") or None, "admin_level": 0}
        if entry.get("data_granularity") == "monthly" and entry.get("monthly"):
            _monthly(reading, entry["monthly"], **where)
            continue
        reading.read += 1
        day = _day(entry.get("latest_data_date"))
        if day is None:
            cut_off = entry.get("latest_data_date")
            message = "no cut-off date for the year-to-date figures"
            reading.problem(row, "latest_data_date", cut_off, message, "check the export")
            continue
        period = Period.year_to_date(day.year, day.month)
        for key, indicator in _YTD:
            reading.add(indicator, entry.get(key), period, row, **where)


def _origins(reading: _Reading, movements: list[Any]) -> None:
    aggregates = 0
    for row, record in enumerate(movements, start=1):
        reading.read += 1
        if not isinstance(record, dict) or record.get("is_aggregate_origin"):
            aggregates += 1
            continue
        origin, destination = record.get("origin_country"), record.get("destination_country")
        nationality = country_code(str(origin or ""))
        country = country_code(str(destination or ""))
        day = _day(record.get("data_date"))
        if nationality is None or country is None or day is None:
            column = "origin_country" if nationality is None else "destination_country"
            bad = origin if nationality is None else destination
            if day is None:
                column, bad = "data_date", record.get("data_date")
            reading.problem(row, column, bad, "cannot be read", "use English names and ISO dates")
            continue
        scope = record.get("scope")
        indicator = "sea_arrivals" if scope == "sea_arrivals" else "arrivals"
        period = Period.year_to_date(day.year, day.month)
        where = {"country": country, "nationality": nationality, "admin_level": 0}
        where["route_name"] = record.get("route") or None
        reading.add(indicator, record.get("people"), period, row, **where)
    if aggregates:
        message = f"{aggregates} record(s) for no particular origin (aggregates) not imported"
        reading.issues.append(Issue(reading.name, message, severity=Severity.WARNING))


def read_unhcr_portal(path: Path, *, source: str | None = None, **_options: object) -> ImportResult:
    """Read one JSON export of UNHCR's Europe Sea Arrivals portal (see the module doc)."""
    info = DatasetInfo(source or SOURCE, PUBLISHER, "Europe Sea Arrivals", None, READER)
    try:
        check_json_size(path)
        document = json.loads(path.read_text("utf-8-sig"))
    except FileLimitError as error:
        return ImportResult(info, issues=[Issue(path.name, str(error))])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return ImportResult(info, issues=[Issue(path.name, f"not a JSON document ({error})")])
    except RecursionError:
        return ImportResult(
            info, issues=[Issue(path.name, "the JSON document is nested too deeply")]
        )
    reading = _Reading(path.name)
    kinds = {"monthly": "regional monthly", "countries": "by country", "movements": "by origin"}
    found = [k for k in kinds if isinstance(document, dict) and isinstance(document.get(k), list)]
    if not found:
        hint = "export 'unhcr-arrivals', 'country-arrivals' or 'origin-countries' from the portal"
        message = (
            "this JSON is not a UNHCR portal export: expected 'monthly', 'countries' or 'movements'"
        )
        return ImportResult(info, issues=[Issue(path.name, message, suggestion=hint)])
    kind = found[0]
    if kind == "monthly":
        _monthly(reading, document[kind])
    elif kind == "countries":
        _countries(reading, document[kind])
    else:
        _origins(reading, document[kind])
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    vintage = _day(metadata.get("generated_at"))
    info = DatasetInfo(
        info.source,
        PUBLISHER,
        f"Europe Sea Arrivals ({kinds[kind]})",
        vintage.isoformat() if vintage else None,
        READER,
    )
    return ImportResult(
        info,
        observations=reading.observations,
        issues=reading.issues,
        rows_read=reading.read,
        rows_rejected=reading.rejected,
    )


SPEC = ReaderSpec(READER, read_unhcr_portal, "UNHCR data portal JSON (Europe Sea Arrivals)")
