"""A change of the route rules, applied to a store holding the demo data (issue 11, decision 0034).

Before decision 0034 a changed rule reached stored figures only by importing the file again. The
baseline is that: a dry-run import of the April 2025 Missing Migrants export (19,255 incidents,
the file whose incidents the coordinates place). The subject is what ``itinera init`` and
``itinera sources reattribute --dry-run`` now do: the whole re-placing pass over the demo store
(172,284 Frontex figures, 509 UNHCR figures, 19,255 MMP incidents) with changed rules (the
nearest-leg distance 250 → 100 km, Italy's arrivals on another route), every move, derived
figure and cube sum done, then rolled back. Both are dry runs, so every round sees the same store.

Run by hand (never in CI):  PYTHONPATH=src .venv/bin/python benchmarks/movements_reattribute.py
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from harness import Report, alternate  # type: ignore[import-not-found]

from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.route_attribution import AttributionRules, PlaceRule
from itinera.reference.attribution import packaged_attribution_rules
from itinera.services import movements
from itinera.services.setup import initialise
from itinera.storage.database import Database

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MMP = DATA / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.xlsx"
COMMAND = "PYTHONPATH=src .venv/bin/python benchmarks/movements_reattribute.py"


def changed_rules() -> AttributionRules:
    rules = packaged_attribution_rules()
    italy = PlaceRule("western-mediterranean", "ITA", ("unhcr-med",))
    others = tuple(r for r in rules.place_rules if r.country != "ITA")
    return replace(rules, place_rules=(italy, *others), max_distance_km=100.0)


def main() -> None:
    register_capabilities()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'demo.db'}"
        db = Database(url)
        initialise(Settings(database_url=url, environment="test"), demo=True, database=db)
        rules = changed_rules()

        def reimport() -> int:
            report = movements.import_file(db, SYSTEM, "missing-migrants", MMP, dry_run=True)
            return report.incidents

        def replace_by_rules() -> int:
            report = movements.reattribute_by_rules(db, SYSTEM, rules=rules, dry_run=True)
            return report.figures + report.incidents

        rounds = alternate({"re-import MMP (dry run)": reimport, "re-place": replace_by_rules})
        moved = rounds.answers["re-place"][0]
        db.dispose()
    report = Report("Route rules changed: re-placing the demo store", COMMAND)
    report.text(
        "Baseline: a dry-run import of the MMP April 2025 export (what a changed rule needed "
        "before decision 0034). Subject: the re-placing pass over the whole demo store with "
        f"changed rules, dry run ({moved:,} figures and incidents would move)."
    )
    report.table(rounds)
    ratio = rounds.ratio("re-place", "re-import MMP (dry run)")
    report.goal("re-placing the demo store costs less than re-importing MMP", ratio, "<=", 1.0)
    report.finish()


if __name__ == "__main__":
    main()
