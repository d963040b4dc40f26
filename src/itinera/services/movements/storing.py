"""Turn flat observations into stored rows, checking each one (C2).

The per-row work of an import of millions of rows: the checks that keep a figure out of the
store (unknown indicator, a value that is not finite, a country that is not ISO alpha-3),
the route resolution and the period columns, each answered from a cache after its first
occurrence, since publishers' files repeat the same few indicators, routes and months.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from itinera.domain.indicator import IndicatorDictionary
from itinera.domain.issues import Issue
from itinera.domain.route_attribution import Attribution, RouteAttributor, RouteMethod
from itinera.importers.base import FlatObservation
from itinera.services.movements.attribution import AttributionTally
from itinera.services.movements.routing import RouteResolver

__all__ = ["RowMaker"]

CODE = re.compile(r"^[A-Z]{3}$")
_INFINITE = (float("inf"), float("-inf"))


class RowMaker:
    """Rows in ``OBSERVATION_COLUMNS`` order for one batch; ``None`` and an issue for a
    figure that cannot be stored."""

    def __init__(
        self,
        dictionary: IndicatorDictionary,
        resolver: RouteResolver,
        file_name: str,
        *,
        batch_id: int,
        source_id: int,
        date_value: Callable[[date], Any],
        attributor: RouteAttributor,
    ) -> None:
        self.dictionary, self.resolver, self.file = dictionary, resolver, file_name
        self.attributor, self.tally = attributor, AttributionTally()
        self.places: dict[tuple[str | None, str | None], Attribution] = {}
        self.batch_id, self.source_id, self.date_value = batch_id, source_id, date_value
        self.issues: list[Issue] = []
        self.units: dict[str, str] = {}
        self.codes: set[str] = set()
        self.routes: dict[tuple[str | None, str | None], tuple[str | None, Attribution]] = {}
        self.periods: dict[tuple[str, date, date], tuple[str, Any, Any]] = {}
        self.unmapped: Counter[str] = Counter()
        self.last_row: dict[str, int | None] = {}

    def row(
        self, f: FlatObservation, *, derived: bool = False, found: Attribution | None = None
    ) -> tuple[Any, ...] | None:
        """The stored row of one figure; ``found`` is the route of a figure derived from
        incidents (attributed incident by incident)."""
        indicator, value, kind, start, end, route_name, route_id, country = f[:8]
        place, nationality, sex, age_group, border, source_row, admin_level, correction = f[8:16]
        unit = self.units.get(indicator)
        if unit is None:
            if indicator not in self.dictionary:
                hint = "use a code from the indicator dictionary"
                return self._reject(
                    f"unknown indicator {indicator!r}", source_row, "indicator", indicator, hint
                )
            unit = self.units[indicator] = self.dictionary[indicator].unit.value
        if value != value or value in _INFINITE:
            return self._reject("the value is not a finite number", source_row, "value", str(value))
        codes = self.codes
        if (country is not None and country not in codes) or (
            nationality is not None and nationality not in codes
        ):
            for column, code in (("country", country), ("nationality", nationality)):
                if code is not None and not CODE.match(code):
                    return self._reject(
                        f"{column} {code!r} is not an ISO 3166 alpha-3 code",
                        source_row,
                        column,
                        code,
                    )
            codes.update(c for c in (country, nationality) if c is not None)
        route = self.routes.get((route_name, route_id))
        if route is None:
            route = self.routes[(route_name, route_id)] = self.named(route_name, route_id)
        if found is None and f[16] is not None:  # read back from Itinera's own export
            found = Attribution.read_back(route_id, f[16], f[17])
        if found is None:
            found = route[1]
            if not found.on_route:
                found = self.places.get((country, place)) or self.places.setdefault(
                    (country, place), self.attributor.attribute(found, route_name, country, place)
                )
        self.tally.add_figure(found.method, indicator, value, unit)
        if (
            route_name
            and route[1].route_id is None
            and not derived
            and (source_row is None or self.last_row.get(route_name) != source_row)
        ):
            self.unmapped[route_name] += 1
            self.last_row[route_name] = source_row
        period = self.periods.get((kind, start, end))
        if period is None:
            period = self.periods[(kind, start, end)] = (
                kind,
                self.date_value(start),
                self.date_value(end),
            )
        return (
            self.batch_id,
            self.source_id,
            indicator,
            value,
            unit,
            *period,
            route_name,
            route[0],
            found.route_id,
            country,
            place,
            nationality,
            sex,
            age_group,
            border,
            source_row,
            derived,
            False,
            admin_level,
            correction,
            found.method.value if found.method else None,
            found.distance_km,
        )

    def named(self, name: str | None, route_id: str | None) -> tuple[str | None, Attribution]:
        """The route key and the route the alias table (or the reader) gives a name."""
        key, found = self.resolver.resolve(name, route_id, None, count=False)
        if found is None:
            return key, Attribution(None, None)
        by_alias = key is not None and self.resolver.owners.get(key) == found
        return key, Attribution(found, RouteMethod.ALIAS if by_alias else RouteMethod.PUBLISHER)

    def _reject(
        self, message: str, row: int | None, column: str, value: str, hint: str | None = None
    ) -> tuple[Any, ...] | None:
        """Record why a figure is not stored; ``None`` (no row) for the caller to return."""
        self.issues.append(
            Issue(self.file, message, row=row, column=column, value=value, suggestion=hint)
        )
        return None

    def count_unmapped(self) -> None:
        """Hand the unmapped route names (with their row counts) to the resolver's report."""
        self.resolver.add_unmapped(self.unmapped)
