"""The gap matrix of a route for a year (C6): its countries in route order (origin → transit →
asylum → destination, catalogue order within a role) × the six pillars, with the movement
context of each country in that year. The rules of each cell are in ``domain.gap_matrix``.

Movement context is each country's figures in the year (movement data, C2, with C3's
preferred-source rule): arrivals, departures, irregular crossings detected, dead and missing. Public
readers get the same small-cell rule as every other public figure (values under the threshold
are withheld); organisation names are never in the matrix, only counts and activity ids.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.activity import PILLARS
from itinera.domain.errors import ValidationError
from itinera.domain.gap_matrix import matrix_from_cells
from itinera.domain.reference import ReferenceCategory
from itinera.domain.route import CountryRole
from itinera.domain.text import localise
from itinera.services.analytics.figures import choose_source
from itinera.services.catalogue.routes import get_route
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.services.movements.query import ObservationFilter, iter_observations
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.activities.gap_repository import GapRepository
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database

__all__ = [
    "MOVEMENT_INDICATORS",
    "default_year",
    "gap_matrix",
    "gap_matrix_csv",
    "gap_page",
    "pillar_names",
    "route_countries",
]

MOVEMENT_INDICATORS = (
    "arrivals",
    "departures",
    "irregular_crossings_detected",
    "dead",
    "missing",
    "dead_and_missing",
)
_ROLE_ORDER = [CountryRole.ORIGIN, CountryRole.TRANSIT, CountryRole.ASYLUM, CountryRole.DESTINATION]


def route_countries(db: Database, route_id: str) -> list[tuple[str, str]]:
    """``(country, role)`` in route order; a country with two roles appears under each."""
    route = get_route(db, route_id).route
    ordered = sorted(
        enumerate(route.countries), key=lambda item: (_ROLE_ORDER.index(item[1].role), item[0])
    )
    return [(c.country, c.role.value) for _, c in ordered]


def _movement(
    db: Database, countries: set[str], year: int, exact: bool, threshold: int
) -> dict[str, dict[str, float]]:
    """Each country's figures in the year, whatever route they were attributed to (arrivals
    in Italy are movement through Italy): per indicator, country and month the figure of the
    preferred source (C3's rule), summed over the year."""
    dictionary = indicator_dictionary()
    found: dict[str, dict[str, float]] = defaultdict(dict)
    with db.transaction() as session:
        for indicator in MOVEMENT_INDICATORS:
            filters = ObservationFilter(
                indicator=indicator, period_from=f"{year}-01", period_to=f"{year}-12"
            )
            # country -> month -> source -> value
            sums: dict[str, dict[Any, dict[str, float]]] = defaultdict(
                lambda: defaultdict(lambda: defaultdict(float))
            )
            for record in iter_observations(session, filters):
                if record.country in countries:
                    sums[record.country][record.period_start][record.source] += record.value
            preferred = dictionary[indicator].preferred_sources
            for country, months in sums.items():
                total = sum(by[choose_source(by, preferred)] for by in months.values())
                if exact or not 0 < total < threshold:
                    found[country][indicator] = total
    return found


def gap_matrix(
    db: Database, actor: Actor, route_id: str, year: int, *, threshold: int = 5
) -> dict[str, Any]:
    """``{"route_id", "year", "countries": [{"country", "role", "pillars", "movement"}]}``."""
    require(actor, Action.VIEW_AGGREGATES)
    if not 1900 <= year <= 2100:
        raise ValidationError.single("year", f"{year} is not a year")
    countries = route_countries(db, route_id)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    movement = _movement(db, {c for c, _ in countries}, year, exact, threshold)
    with db.transaction() as session:
        cells = GapRepository(session).cells(sorted({c for c, _ in countries}), year)
    rows = matrix_from_cells(countries, cells, movement)
    return {
        "route_id": route_id,
        "year": year,
        "pillars": list(PILLARS),
        "countries": [row.as_dict() for row in rows],
        "gaps": sum(1 for row in rows for cell in row.pillars.values() if cell.gap),
    }


CSV_COLUMNS = (
    "route_id",
    "year",
    "country",
    "role",
    "pillar",
    "organisations",
    "activities",
    "in_need",
    "targeted",
    "reached",
    "actors_per_1000",
    "coverage",
    "gap",
    "people_moving",
)


def gap_matrix_csv(matrix: dict[str, Any]) -> str:
    """One line per country × pillar."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in matrix["countries"]:
        for pillar, cell in row["pillars"].items():
            values = {
                **cell,
                **row,
                "pillar": pillar,
                "route_id": matrix["route_id"],
                "year": matrix["year"],
                "people_moving": row["movement"].get("people_moving"),
            }
            writer.writerow(["" if values.get(c) is None else values[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def default_year(db: Database) -> int:
    """The latest year partners reported on, else the current year."""
    from datetime import date

    with db.transaction() as session:
        return ActivityRepository(session).latest_year() or date.today().year


def gap_page(
    db: Database, actor: Actor, route_id: str, year: int, language: str, *, threshold: int = 5
) -> dict[str, Any]:
    """The matrix with what a page shows beside it: the route's, countries' and pillars'
    names in ``language``."""
    matrix = gap_matrix(db, actor, route_id, year, threshold=threshold)
    detail = get_route(db, route_id)
    names = {
        code: localise(place.name, language)
        for code, place in detail.places.items()
        if code in {row["country"] for row in matrix["countries"]}
    }
    return {
        "matrix": matrix,
        "route_name": localise(detail.route.name, language),
        "country_names": names,
        "pillar_names": {str(n): name for n, name in pillar_names(db, language).items()},
    }


def pillar_names(db: Database, language: str) -> dict[int, str]:
    """The six pillars' names in ``language``, by number."""
    with db.transaction() as session:
        pillars = ReferenceRepository(session).items(ReferenceCategory.PILLAR)
    return {item.number: localise(item.name, language) for item in pillars if item.number}
