"""Rows of an activity file (3W, 4W, ActivityInfo export) → raw activities plus issues.

Both activity readers (HXL and a table with a column mapping) hand each row here as
``{hashtag: text}``. Rows that describe the same activity (same organisation, project,
activity, indicator and place) make one activity; each row with a period adds that period's
figures. Quirks of the files of 2014 handled here:

- a month without a year (``June`` in OCHA ROWCA's 3W): the year comes from the CAP project
  code (``MLI-14/E/65276`` is 2014), else the row is refused;
- a "situation" in the country column (``Mali Situation``, admin 1 ``Niger``): when the admin
  area is itself a country, it becomes the country (a warning says so);
- ``#meta+cumulative`` (``YES``/``NO``) says whether an indicator's figures are cumulative
  (aggregated by their largest month) or monthly (summed).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from itinera.domain.activity import Aggregation
from itinera.domain.issues import Issue, Severity
from itinera.importers.countries import country_code, is_unspecified
from itinera.importers.parsing import parse_date, parse_month, parse_number
from itinera.importers.services_rows import coordinate, country_alpha3

__all__ = ["ActivityRead", "RawActivity", "RawFigure", "RowBuilder"]

_CAP_CODE = re.compile(r"^[A-Z]{3}-(\d{2})/")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


@dataclass
class RawFigure:
    period: str  # YYYY-MM
    in_need: float | None
    targeted: float | None
    reached: float | None
    row: int


@dataclass
class RawActivity:
    key: str  # stable id within the source: re-imports find the same activity
    row: int  # the first row that named it
    organisation: str
    sector: str
    country: str
    title: str = ""
    programme_organisation: str | None = None
    funders: tuple[str, ...] = ()
    project_code: str | None = None
    indicator: str | None = None
    aggregation: Aggregation = Aggregation.SUM
    adm1: str | None = None
    adm2: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: date | None = None
    end: date | None = None
    status: str | None = None
    population_group: str | None = None
    budget: float | None = None
    currency: str | None = None
    figures: list[RawFigure] = field(default_factory=list)


@dataclass
class ActivityRead:
    reader: str
    activities: dict[str, RawActivity] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    rejected_rows: set[int] = field(default_factory=set)


def _first(cells: dict[str, str], *tags: str) -> str | None:
    for tag in tags:
        value = (cells.get(tag) or "").strip()
        if value:
            return value
    return None


class _RowRefused(Exception):
    """The row was refused (the issue is already recorded)."""


class RowBuilder:
    """Turns tagged rows into activities, collecting every problem with row and column."""

    def __init__(self, read: ActivityRead, file: str, labels: dict[str, str]) -> None:
        self.read, self.file, self.labels = read, file, labels

    def _issue(
        self, row: int, tag: str | None, value: str | None, message: str, **kw: object
    ) -> None:
        column = self.labels.get(tag or "", tag)
        self.read.issues.append(
            Issue(self.file, message, row=row, column=column, tag=tag, value=value, **kw)  # type: ignore[arg-type]
        )

    def _reject(
        self, row: int, tag: str | None, value: str | None, message: str, hint: str
    ) -> _RowRefused:
        self._issue(row, tag, value, message, suggestion=hint)
        self.read.rejected_rows.add(row)
        return _RowRefused()

    def add(self, row: int, cells: dict[str, str]) -> None:
        """Read one row; a refused row leaves its reason in the issues."""
        self.read.rows_read += 1
        with contextlib.suppress(_RowRefused):
            self._add(row, cells)

    def _add(self, row: int, cells: dict[str, str]) -> None:
        org = _first(cells, "#org+impl", "#org+name", "#org")
        sector = _first(cells, "#sector+name", "#sector")
        if org is None:
            raise self._reject(
                row,
                "#org",
                None,
                "no implementing organisation",
                "fill #org (or #org+impl) on every row",
            )
        if sector is None:
            raise self._reject(row, "#sector", None, "no sector", "fill #sector on every row")
        country, adm1 = self._country(row, cells)
        project = _first(cells, "#activity+project")
        period = self._period(row, cells, project)
        in_need, targeted, reached = (
            self._number(row, cells, tag) for tag in ("#inneed", "#targeted", "#reached")
        )
        title = _first(cells, "#activity+name", "#activity") or ""
        parts = (
            org,
            project,
            _first(cells, "#activity+code"),
            title,
            sector,
            _first(cells, "#indicator+code", "#indicator+name"),
            country,
            adm1,
            _first(cells, "#adm2+name", "#adm2"),
            cells.get("#geo+lat"),
            cells.get("#geo+lon"),
        )
        key = (
            _first(cells, "#meta+id")
            or hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:24]
        )
        activity = self.read.activities.get(key)
        if activity is None:
            activity = self._new(row, key, cells, org, sector, country, adm1, title, project)
            self.read.activities[key] = activity
        elif period is None and in_need is None and targeted is None and reached is None:
            self._issue(
                row,
                None,
                None,
                f"the same activity as row {activity.row}: merged",
                severity=Severity.WARNING,
                suggestion="remove the repeated row",
            )
        if period is not None and (in_need, targeted, reached) != (None, None, None):
            activity.figures.append(RawFigure(period, in_need, targeted, reached, row))

    def _new(
        self,
        row: int,
        key: str,
        cells: dict[str, str],
        org: str,
        sector: str,
        country: str,
        adm1: str | None,
        title: str,
        project: str | None,
    ) -> RawActivity:
        lat = coordinate(cells.get("#geo+lat"), -90, 90)
        lon = coordinate(cells.get("#geo+lon"), -180, 180)
        for tag, value in (("#geo+lat", lat), ("#geo+lon", lon)):
            if isinstance(value, str):
                self._issue(
                    row,
                    tag,
                    cells.get(tag),
                    f"coordinate left out: {value}",
                    severity=Severity.WARNING,
                    suggestion="give decimal degrees",
                )
        if not isinstance(lat, float) or not isinstance(lon, float):
            lat = lon = None
        cumulative = (_first(cells, "#meta+cumulative") or "").casefold()
        method = _first(cells, "#meta+aggregation")
        aggregation = (
            Aggregation(method)
            if method in set(Aggregation)
            else Aggregation.MAX
            if cumulative in ("yes", "true", "1")
            else Aggregation.SUM
        )
        funders = tuple(
            f.strip() for f in re.split(r"[;|]", _first(cells, "#org+funder") or "") if f.strip()
        )
        return RawActivity(
            key=key,
            row=row,
            organisation=org,
            sector=sector,
            country=country,
            title=title,
            programme_organisation=_first(cells, "#org+prog"),
            funders=funders,
            project_code=project,
            aggregation=aggregation,
            indicator=_first(cells, "#indicator+name", "#indicator+code"),
            adm1=adm1,
            adm2=_first(cells, "#adm2+name", "#adm2"),
            lat=lat,
            lon=lon,
            start=self._date(row, cells, "#date+start"),
            end=self._date(row, cells, "#date+end"),
            status=_first(cells, "#status+activity", "#status"),
            population_group=_first(cells, "#population+group", "#meta+population"),
            budget=self._number(row, cells, "#value+budget"),
            currency=_first(cells, "#currency"),
        )

    def _country(self, row: int, cells: dict[str, str]) -> tuple[str, str | None]:
        code_text, name = _first(cells, "#country+code"), _first(cells, "#country+name", "#country")
        adm1 = _first(cells, "#adm1+name", "#adm1")
        found = country_alpha3(code_text) if code_text else None
        if found is None and name and not is_unspecified(name):
            found = country_code(name)
            if found is None and adm1 and (as_country := country_code(adm1)):
                self._issue(
                    row,
                    "#country",
                    name,
                    f"{name!r} is not a country; its admin area {adm1!r} is: taken as the country",
                    severity=Severity.WARNING,
                    suggestion="put the country in #country and the area in #adm1",
                )
                return as_country, None
        if found is None:
            raise self._reject(
                row,
                "#country",
                code_text or name,
                "unknown or missing country",
                "give an ISO 3166 code (#country+code) or an English country name",
            )
        return found, adm1

    def _period(self, row: int, cells: dict[str, str], project: str | None) -> str | None:
        """``YYYY-MM``, or ``None`` when the row has no period."""
        text = _first(cells, "#date+period", "#date+reported", "#date")
        if text is None:
            return None
        try:
            year, month = parse_month(text)
            return f"{year:04d}-{month:02d}"
        except ValueError:
            pass
        try:
            day = parse_date(text)
            return f"{day.year:04d}-{day.month:02d}"
        except ValueError:
            pass
        if text.casefold() in _MONTHS and project and (cap := _CAP_CODE.match(project)):
            return f"{2000 + int(cap.group(1)):04d}-{_MONTHS.index(text.casefold()) + 1:02d}"
        raise self._reject(
            row,
            "#date",
            text,
            "not a month or date (a month name needs a year)",
            "write YYYY-MM, or give a CAP project code such as MLI-14/E/65276",
        )

    def _number(self, row: int, cells: dict[str, str], tag: str) -> float | None:
        text = _first(cells, tag)
        if text is None:
            return None
        try:
            value = parse_number(text)
        except ValueError as error:
            raise self._reject(row, tag, text, str(error), "write a number") from None
        if value is not None and value < 0:
            raise self._reject(row, tag, text, "a negative number", "write a number")
        return value

    def _date(self, row: int, cells: dict[str, str], tag: str) -> date | None:
        text = _first(cells, tag)
        if text is None:
            return None
        try:
            return parse_date(text)
        except ValueError as error:
            self._issue(
                row,
                tag,
                text,
                f"date left out: {error}",
                severity=Severity.WARNING,
                suggestion="write YYYY-MM-DD",
            )
            return None
