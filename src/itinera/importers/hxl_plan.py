"""One HXL file's column plan, compiled once and applied to every row (C2).

The plan knows which cell holds each dimension and each figure; cells that repeat across a
file (periods, country codes, nationalities, sex, age group) are parsed once and then read
from a per-file cache, and plain digit figures skip the general number parser. A row gives
flat observations (``FlatObservation``) or the issues that reject it, in the order the
checks run: period, country, nationality, sex, age group, figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from itinera.domain.issues import Issue
from itinera.domain.observation import AgeGroup, Sex
from itinera.domain.route_attribution import RouteMethod
from itinera.importers.base import FlatObservation
from itinera.importers.codes import country_iso3
from itinera.importers.values import TOTAL_CELLS, parse_figure, parse_figure_period

__all__ = ["Layout", "RowPlan"]

_ENUMS: dict[str, type[Sex] | type[AgeGroup]] = {"sex": Sex, "age_group": AgeGroup}
_METHODS = frozenset(m.value for m in RouteMethod)
_UNKNOWN = "?"  # a route method cell Itinera never writes: the row is refused
_NOT_A_METHOD = f"is not a route method ({', '.join(m.value for m in RouteMethod)})"


@dataclass
class Layout:
    """Where a file's figures and dimensions are: figure column → (indicator, sex, age
    group); dimension role → column."""

    values: dict[int, tuple[str, Sex | None, AgeGroup | None]] = field(default_factory=dict)
    dims: dict[str, int] = field(default_factory=dict)


class _Row:
    """Collects the issues of one row (the reader's ``problem`` callback)."""

    __slots__ = ("cells", "name", "number", "problems")

    def __init__(self, name: str, number: int, cells: dict[str, str]) -> None:
        self.name, self.number, self.cells = name, number, cells
        self.problems: list[Issue] = []

    def __call__(
        self, role: str, message: str, suggestion: str | None = None, value: str | None = None
    ) -> None:
        value = self.cells.get(role) if value is None else value
        self.problems.append(
            Issue(
                self.name, message, row=self.number, column=role, value=value, suggestion=suggestion
            )
        )


class RowPlan:
    def __init__(self, layout: Layout, name: str) -> None:
        self.name = name
        self.roles = tuple(layout.dims.items())
        self.width = max([*layout.dims.values(), *layout.values]) + 1

        def at(role: str) -> int:  # -1: the blank cell ``parse`` appends to every row
            return layout.dims.get(role, -1)

        self.period, self.country, self.nationality = at("period"), at("country"), at("nationality")
        self.sex, self.age, self.route_name = at("sex"), at("age_group"), at("route_name")
        self.route_id, self.place, self.border = at("route_id"), at("place"), at("border_type")
        self.admin_level, self.correction = at("admin_level"), at("correction")
        self.route_method, self.route_distance = at("route_method"), at("route_distance")
        self.areas = [
            (level, at(f"adm{level}"), at(f"adm{level}_code"))
            for level in (1, 2, 3)
            if f"adm{level}" in layout.dims or f"adm{level}_code" in layout.dims
        ]
        self.levelled = bool(self.areas) or "admin_level" in layout.dims
        self.long = "indicator" in layout.dims
        self.indicator, self.value = at("indicator"), at("value")
        self.figures = [
            (i, code, s.value if s else None, a.value if a else None)
            for i, (code, s, a) in layout.values.items()
        ]
        self.periods: dict[str, tuple[str, date, date]] = {}
        self.codes: dict[str, str] = {}
        self.enums: dict[str, dict[str, str]] = {"sex": {}, "age_group": {}}

    def parse(self, cells: list[str], row: int) -> tuple[list[FlatObservation], list[Issue]]:
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        cells.append("")
        failed: _Row | None = None
        text = cells[self.period].strip()
        period = self.periods.get(text)
        if period is None:
            failed = self._row(cells, row)
            parsed = parse_figure_period(text, failed)
            if parsed is not None:
                period = self.periods[text] = (parsed.kind.value, parsed.start, parsed.end)
                failed = None
        country, nationality = cells[self.country].strip(), cells[self.nationality].strip()
        codes = []
        for role, text in (("country", country), ("nationality", nationality)):
            code = self.codes.get(text) if text else None
            if text and code is None:
                code = country_iso3(text)
                if code is None:
                    failed = failed or self._row(cells, row)
                    failed(
                        role,
                        f"unknown {role} {text!r}",
                        "use an ISO 3166 alpha-3 code or an English name",
                    )
                else:
                    self.codes[text] = code
            codes.append(code)
        enums: list[str | None] = []
        for role, index in (("sex", self.sex), ("age_group", self.age)):
            text = cells[index].strip()
            known = self.enums[role]
            member = known.get(text) if text else None
            if text and member is None:
                enum = _ENUMS[role]
                try:
                    member = known[text] = enum(text.lower()).value
                except ValueError:
                    failed = failed or self._row(cells, row)
                    failed(role, f"{text!r} is not one of {', '.join(m.value for m in enum)}")
            enums.append(member)
        correction = cells[self.correction].strip().casefold() in ("true", "1", "yes")
        method, distance = self._route_method(cells)
        if method == _UNKNOWN:
            failed = failed or self._row(cells, row)
            failed("route_method", f"{cells[self.route_method].strip()!r} {_NOT_A_METHOD}")
        figures: list[tuple[str, float, str | None, str | None]] = []
        columns: list[tuple[int, str, str | None, str | None]]
        if self.long:
            columns = [(self.value, cells[self.indicator].strip(), None, None)]
        else:
            columns = self.figures
        for index, code, sex, age in columns:
            text = cells[index].strip()
            sign = 1.0
            if correction and text.startswith("-"):  # a publisher's correction, as published
                text, sign = text[1:], -1.0
            if not text:
                continue  # blank: unknown, not zero
            if text.isdigit() and text.isascii():
                figures.append((code, sign * float(text), sex, age))
                continue
            failed = failed or self._row(cells, row)
            figure = parse_figure(text, "value" if self.long else code, failed)
            if figure is not None:
                figures.append((code, sign * figure, sex, age))
        if (failed is not None and failed.problems) or period is None:
            return [], failed.problems if failed is not None else []
        period_kind, start, end = period
        route_name, route_id = (
            cells[self.route_name].strip() or None,
            cells[self.route_id].strip() or None,
        )
        place, border = cells[self.place].strip() or None, cells[self.border].strip() or None
        level: int | None = None
        if self.levelled:
            level, area = self._admin_level(cells)
            place = place or area
        return [
            (
                code,
                value,
                period_kind,
                start,
                end,
                route_name,
                route_id,
                codes[0],
                place,
                codes[1],
                s or enums[0],
                a or enums[1],
                border,
                row,
                level,
                correction,
                method,
                distance,
            )
            for code, value, s, a in figures
        ], []

    def _admin_level(self, cells: list[str]) -> tuple[int, str | None]:
        """The row's admin level and the name (or code) of its deepest area."""
        deepest, area = 0, None
        for level, name, code in self.areas:
            text = cells[name].strip() or cells[code].strip()
            if text and text.casefold() not in TOTAL_CELLS:
                deepest, area = level, text
        stated = cells[self.admin_level].strip()
        return (int(stated) if stated.isdigit() else deepest), area

    def _route_method(self, cells: list[str]) -> tuple[str | None, float | None]:
        """How an exported figure got its route, and its distance (Itinera's own export);
        ``_UNKNOWN`` when the method is not one Itinera writes."""
        text = cells[self.route_method].strip()
        if not text:
            return None, None
        if text not in _METHODS:
            return _UNKNOWN, None
        distance = cells[self.route_distance].strip()
        try:
            return text, float(distance) if distance else None
        except ValueError:
            return text, None  # a distance is a detail: the method alone is kept

    def _row(self, cells: list[str], row: int) -> _Row:
        """A collector for this row's issues, with every dimension cell for their values."""
        values = {r: cells[i].strip() for r, i in self.roles}
        return _Row(self.name, row, values)
