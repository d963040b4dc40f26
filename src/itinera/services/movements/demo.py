"""``itinera init --demo``: import the real public samples when ``demo_data_dir`` holds them.

Only readers present in this installation are used; a file whose reader is missing, or that
is not there, is skipped quietly. Re-running changes nothing (same file, same reader).
"""

from __future__ import annotations

from pathlib import Path

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.imports import readers
from itinera.services.movements.importing import import_file
from itinera.storage.database import Database

__all__ = ["DEMO_FILES", "load_movement_demo"]

DEMO_FILES: list[tuple[str, str, str | None]] = [
    ("missing-migrants", "mmp-global-2025-04/Missing_Migrants_Global_Figures_allData.xlsx", None),
    ("frontex", "frontex-ibc-2025-06/Monthly_detections_of_IBC_as_of_2025-06-03.xlsx", None),
    ("unhcr-arrivals", "unhcr-med-arrivals-2014-2019/unhcr_arrivals_12_31.csv", None),
]


def load_movement_demo(db: Database, settings: Settings) -> list[str]:
    """One line per file imported (or already there)."""
    known = readers("movements")
    lines = []
    for reader, relative, source in DEMO_FILES:
        path = Path(settings.demo_data_dir) / relative
        if reader not in known or not path.is_file():
            continue
        report = import_file(db, SYSTEM, reader, path, source=source)
        if report.status == "unchanged":
            lines.append(f"{reader}: {path.name} already imported (batch {report.batch_id})")
            continue
        lines.append(
            f"{reader}: {report.rows_read:,} rows, {report.observations:,} observations, "
            f"{report.incidents:,} incidents, {report.derived:,} monthly figures, "
            f"{report.rows_rejected:,} rejected, {report.issue_count:,} issues"
        )
    return lines
