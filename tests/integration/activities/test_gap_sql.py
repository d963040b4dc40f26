"""The gap matrix's grouped SQL gives the same cells as the domain's reference rules, on SQLite
and PostgreSQL, over random activities mixing every aggregation method, partners sharing areas,
areas spelled in two cases, several indicators per pillar, sex and age rows, silent activities
and figures outside the year."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from itinera.domain.access import SYSTEM
from itinera.domain.activity import Activity, ActivityFigure, Aggregation
from itinera.domain.gap_matrix import ActivityFacts, cell_figures
from itinera.services.accounts.users import create_organisation
from itinera.services.activities import reporting
from itinera.services.activities.gaps import gap_matrix, route_countries
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.database import Database

ROUTE, YEAR = "central-mediterranean", 2024


def _figures(rng: random.Random) -> tuple[ActivityFigure, ...]:
    figures = []
    for month in rng.sample(range(1, 13), rng.randint(0, 5)):
        year = rng.choice([YEAR, YEAR, YEAR, YEAR - 1])
        for sex in rng.choice([[None], ["f", "m"]]):
            figures.append(
                ActivityFigure(
                    f"{year}-{month:02d}",
                    in_need=rng.choice([None, float(rng.randint(100, 900))]),
                    targeted=rng.choice([None, float(rng.randint(50, 500))]),
                    reached=rng.choice([None, float(rng.randint(0, 300))]),
                    sex=sex,
                )
            )
    return tuple(figures)


def test_grouped_sql_matches_the_reference_rules(store: Database) -> None:
    rng = random.Random(17)
    countries = [c for c, _ in route_countries(store, ROUTE)][:5]
    organisations = [
        create_organisation(store, SYSTEM, f"Partner {i}", "ngo").id or 0 for i in range(6)
    ]
    added: list[Activity] = []
    with store.transaction(write=True) as session:
        repo = ActivityRepository(session)
        for i in range(150):
            activity = Activity(
                None,
                rng.choice(organisations),
                "Health",
                rng.randint(1, 6),
                rng.choice(countries),
                adm1=rng.choice([None, "Gao", "GAO", "Kidal", "Sfax"]),
                indicator=rng.choice([None, "people assisted", "kits"]),
                aggregation=rng.choice(list(Aggregation)),
                start=rng.choice([None, date(YEAR + 1, 1, 1), date(YEAR - 1, 6, 1)]),
                source="test",
                external_id=str(i),
                figures=_figures(rng),
            )
            added.append(replace(activity, id=repo.add(activity)))
    _check(store, added, countries)
    # edits move an activity between cells, change its method; a merge moves its organisation
    with store.transaction(write=True) as session:
        repo = ActivityRepository(session)
        for index in range(0, len(added), 3):
            moved = replace(
                added[index],
                pillar=rng.randint(1, 6),
                country=rng.choice(countries),
                adm1=rng.choice([None, "Gao", "Tripoli"]),
                aggregation=rng.choice(list(Aggregation)),
            )
            repo.update(moved.id or 0, moved)
            added[index] = moved
        gone, kept = organisations[0], organisations[1]
        repo.reassign_organisation(gone, kept)
    added = [replace(a, organisation_id=kept) if a.organisation_id == gone else a for a in added]
    _check(store, added, countries)


def _check(store: Database, added: list[Activity], countries: list[str]) -> None:
    """The matrix of the store equals the reference rules applied to ``added``."""
    facts = []
    for a in added:
        in_year = [f for f in a.figures if f.period.startswith(str(YEAR))]
        silent = not a.figures and (a.start is None or a.start <= date(YEAR, 12, 31))
        if in_year or silent:
            rows = tuple((f.period, f.in_need, f.targeted, f.reached) for f in in_year)
            facts.append(
                ActivityFacts(
                    0,
                    a.organisation_id,
                    a.country,
                    a.pillar,
                    a.adm1,
                    a.indicator or a.sector,
                    a.aggregation,
                    rows,
                )
            )
    expected = {(c.country, c.pillar): c for c in cell_figures(facts)}
    assert len(expected) > 20  # the draw filled most cells
    matrix = gap_matrix(store, SYSTEM, ROUTE, YEAR)
    seen = set()
    for row in matrix["countries"]:
        for pillar, cell in row["pillars"].items():
            want = expected.get((row["country"], int(pillar)))
            if want is None:
                assert cell["activities"] == 0
                continue
            seen.add((row["country"], int(pillar)))
            got = (cell["organisations"], cell["activities"])
            assert got == (want.organisations, want.activities), (row["country"], pillar)
            for name in ("in_need", "targeted", "reached"):
                value, reference = cell[name], getattr(want, name)
                if reference is None:
                    assert value is None, (row["country"], pillar, name)
                else:
                    assert abs(value - reference) < 1e-6, (row["country"], pillar, name)
    assert seen == set(expected)
    for (country, pillar), want in expected.items():  # each cell's drill-down lists its activities
        listed = reporting.list_activities(
            store, SYSTEM, countries=[country], pillar=pillar, year=YEAR
        )
        assert len(listed) == want.activities, (country, pillar)
