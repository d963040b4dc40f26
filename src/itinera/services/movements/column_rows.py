"""Stored rows of many figures at once (C2): ``RowMaker``'s checks and resolutions, each done
once per distinct value of a ``FlatColumns`` chunk and spread with one ``take``.

The answer is the one ``RowMaker.row`` gives figure by figure: a figure it would reject goes
through ``row`` itself (the same issue, in file order), the tally and the unmapped route
counts add up the same, the rows come in file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from itinera.domain.route_attribution import Attribution
from itinera.importers.flat_columns import Coded, FlatColumns, take
from itinera.services.movements.storing import CODE, RowMaker
from itinera.storage.movements.movement_repository import ObservationBlock

__all__ = ["column_rows"]

Mask = npt.NDArray[np.bool_]


def column_rows(maker: RowMaker, columns: FlatColumns) -> ObservationBlock:
    """The stored rows of ``columns``, the values every figure shares given once; rejected
    figures leave an issue and no row."""
    size = len(columns)
    units = tuple(_unit(maker, code) for code in columns.indicator.values)
    rejected = np.array([unit is None for unit in units])[columns.indicator.codes]
    rejected |= ~np.isfinite(columns.value)
    for coded in (columns.country, columns.nationality):
        rejected |= np.array([not _iso3(maker, code) for code in coded.values])[coded.codes]
    if rejected.any():
        for i in np.flatnonzero(rejected).tolist():  # the issue, worded and ordered as ever
            maker.row(columns.record(i))
        kept = np.flatnonzero(~rejected)
        columns = _subset(columns, kept)
        size = len(kept)
    if not size:
        return ObservationBlock({}, [])
    routes = tuple(_route(maker, name, route_id) for name, route_id in columns.route.values)
    found, which = _attributions(maker, columns, routes)
    _tally(maker, columns, units, found, which)
    _unmapped(maker, columns, routes)
    periods = tuple(_period(maker, period) for period in columns.period.values)
    period_codes, route_codes = columns.period.codes, columns.route.codes
    method = [f.method.value if f.method else None for f in found]
    return _block(
        (
            _Same(maker.batch_id),
            _Same(maker.source_id),
            _spread(columns.indicator.values, columns.indicator.codes),
            columns.value.tolist(),
            _spread(units, columns.indicator.codes),
            _spread([p[0] for p in periods], period_codes),
            _spread([p[1] for p in periods], period_codes),
            _spread([p[2] for p in periods], period_codes),
            _spread([name for name, _ in columns.route.values], route_codes),
            _spread([key for key, _ in routes], route_codes),
            _spread([f.route_id for f in found], which),
            _coded(columns.country),
            _coded(columns.place),
            _coded(columns.nationality),
            _coded(columns.sex),
            _coded(columns.age_group),
            _coded(columns.border_type),
            columns.source_row.tolist(),
            _Same(False),
            _Same(False),
            _coded(columns.admin_level),
            _coded(columns.correction),
            _spread(method, which),
            _spread([f.distance_km for f in found], which),
        )
    )


@dataclass(frozen=True)
class _Same:
    """A column whose every figure of the chunk holds ``value``."""

    value: Any


def _spread(values: Sequence[Any], codes: npt.NDArray[np.intp]) -> _Same | list[Any]:
    if (codes == codes[0]).all():
        return _Same(values[int(codes[0])])
    return take(tuple(values), codes)


def _coded(column: Coded) -> _Same | list[Any]:
    return _spread(column.values, column.codes)


def _block(columns: tuple[_Same | list[Any], ...]) -> ObservationBlock:
    shared = {i: c.value for i, c in enumerate(columns) if isinstance(c, _Same)}
    varying = [c for c in columns if not isinstance(c, _Same)]
    return ObservationBlock(shared, list(zip(*varying, strict=True)))


def _unit(maker: RowMaker, indicator: str) -> str | None:
    unit = maker.units.get(indicator)
    if unit is None and indicator in maker.dictionary:
        unit = maker.units[indicator] = maker.dictionary[indicator].unit.value
    return unit


def _iso3(maker: RowMaker, code: str | None) -> bool:
    if code is None or code in maker.codes:
        return True
    if CODE.match(code) is None:
        return False
    maker.codes.add(code)
    return True


def _route(maker: RowMaker, name: str | None, route_id: str | None) -> tuple[Any, Attribution]:
    route = maker.routes.get((name, route_id))
    if route is None:
        route = maker.routes[(name, route_id)] = maker.named(name, route_id)
    return route


def _period(maker: RowMaker, period: tuple[Any, ...] | None) -> tuple[Any, ...]:
    if period is None:  # a value no figure of the chunk has (its rows went row by row)
        return (None, None, None)
    found = maker.periods.get(period)
    if found is None:
        kind, start, end = period
        found = maker.periods[period] = (kind, maker.date_value(start), maker.date_value(end))
    return found


def _attributions(
    maker: RowMaker, columns: FlatColumns, routes: tuple[tuple[Any, Attribution], ...]
) -> tuple[list[Attribution], npt.NDArray[np.intp]]:
    """The route of every figure: its name's, else the place rule of (country, place);
    returned as distinct attributions and one index per figure."""
    country, place = columns.country, columns.place
    span = len(country.values) * len(place.values)
    keys = columns.route.codes * span + country.codes * len(place.values) + place.codes
    combos, which = np.unique(keys, return_inverse=True)
    found = []
    for key in combos.tolist():
        route, rest = divmod(key, span)
        named = routes[route][1]
        if named.on_route:
            found.append(named)
            continue
        at = (country.values[rest // len(place.values)], place.values[rest % len(place.values)])
        name = columns.route.values[route][0]
        found.append(
            maker.places.get(at)
            or maker.places.setdefault(at, maker.attributor.attribute(named, name, *at))
        )
    return found, which.astype(np.intp)


def _tally(
    maker: RowMaker,
    columns: FlatColumns,
    units: tuple[str | None, ...],
    found: list[Attribution],
    which: npt.NDArray[np.intp],
) -> None:
    """``tally.add_figure`` for every figure, summed per (attribution, indicator)."""
    indicators = len(columns.indicator.values)
    groups, inverse = np.unique(which * indicators + columns.indicator.codes, return_inverse=True)
    counts = np.bincount(inverse)
    sums = np.bincount(inverse, weights=columns.value)
    for group, count, total in zip(groups.tolist(), counts.tolist(), sums.tolist(), strict=True):
        attribution, indicator = divmod(group, indicators)
        method = found[attribution].method
        code = columns.indicator.values[indicator]
        maker.tally.add_figures(method, code, count, total, str(units[indicator]))


def _unmapped(
    maker: RowMaker, columns: FlatColumns, routes: tuple[tuple[Any, Attribution], ...]
) -> None:
    """Rows per route name outside the catalogue, as ``row`` counts them."""
    for index, (name, _) in enumerate(columns.route.values):
        if not name or routes[index][1].route_id is not None:
            continue
        rows = columns.source_row[columns.route.codes == index]
        if not len(rows):
            continue
        distinct = np.unique(rows)
        counted = len(distinct) - int(maker.last_row.get(name) == int(distinct[0]))
        maker.unmapped[name] += counted
        maker.last_row[name] = int(rows[-1])


def _subset(columns: FlatColumns, kept: npt.NDArray[np.intp]) -> FlatColumns:
    def part(coded: Coded) -> Coded:
        return coded.subset(kept)

    return FlatColumns(
        part(columns.indicator),
        columns.value[kept],
        part(columns.period),
        part(columns.route),
        part(columns.country),
        part(columns.place),
        part(columns.nationality),
        part(columns.sex),
        part(columns.age_group),
        part(columns.border_type),
        columns.source_row[kept],
        part(columns.admin_level),
        part(columns.correction),
    )
