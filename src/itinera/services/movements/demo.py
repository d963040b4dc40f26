"""Movement figures of the demo bundle: written by ``itinera demo build``, loaded by
``itinera init --demo``.

Building imports each publisher's original file (``PUBLISHER_FILES``) with its usual reader,
then writes the stored batch back out through the export code as one Parquet file per batch
(read again by the ``itinera`` reader). Derived monthly figures are left out: importing the
incidents derives them again. Loading imports each bundle file named by the manifest; a second
run finds the same file already imported and changes nothing.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.importers.itinera_export import DATASET_KEY
from itinera.importers.itinera_export import READER as BUNDLE_READER
from itinera.services.demo_manifest import BundleFile, Origin, describe, read_manifest
from itinera.services.movements.importing import ImportReport, import_file
from itinera.services.movements.query import ObservationFilter
from itinera.storage.database import Database

if TYPE_CHECKING:  # pyarrow is imported on use: ~100 MB in every process that loads it
    import pyarrow as pa

__all__ = ["PUBLISHER_FILES", "load_movement_demo", "write_movement_bundle"]

PUBLISHER_FILES: tuple[tuple[str, Origin], ...] = (
    (
        "missing-migrants",
        Origin(
            "mmp-global-2025-04/Missing_Migrants_Global_Figures_allData.xlsx",
            "IOM Missing Migrants Project",
            "CC BY 4.0 (as stated by the Missing Migrants Project)",
            "2025-06-30",
            "github.com/joaopedromarcondes/Trabalho-IA@2929986e5d4c "
            "Missing_Migrants_Global_Figures_allData.xlsx",
        ),
    ),
    (
        "frontex",
        Origin(
            "frontex-ibc-2025-06/Monthly_detections_of_IBC_as_of_2025-06-03.xlsx",
            "Frontex (European Border and Coast Guard Agency)",
            "not stated by the publisher; published openly by Frontex",
            "2025-11-09",
            "github.com/HaodongQi/HumMingBird_MigForecast@83fef87ba8a9 ibc.xlsx",
        ),
    ),
    (
        "unhcr-arrivals",
        Origin(
            "unhcr-med-arrivals-2014-2019/unhcr_arrivals_12_31.csv",
            "UNHCR Operational Data Portal (Mediterranean situation)",
            "CC BY 3.0 IGO (UNHCR Operational Data Portal); the compiling repository states none",
            "2020-08-12",
            "github.com/stklem/med_migration@f23e3150a27b input/unhcr_arrivals_12_31.csv",
        ),
    ),
)


def write_movement_bundle(db: Database, data_dir: Path, folder: Path) -> list[BundleFile]:
    """Import each original file into ``db`` and write its batch to ``folder/movements``."""
    (folder / "movements").mkdir(parents=True, exist_ok=True)
    files = []
    for reader, origin in PUBLISHER_FILES:
        report = import_file(db, SYSTEM, reader, data_dir / origin.path)
        if report.status != "imported" or report.batch_id is None:
            raise RuntimeError(f"{origin.path}: {report.status}: {report.message}")
        relative = f"movements/{report.source}.parquet"
        records = _write_batch(db, report, folder / relative)
        files.append(
            describe(
                folder,
                relative,
                capability="movements",
                format=BUNDLE_READER,
                source=report.source,
                dataset=report.dataset,
                vintage=report.vintage,
                origin=origin,
                records=records,
            )
        )
    return files


def _write_batch(db: Database, report: ImportReport, path: Path) -> dict[str, int]:
    """One Parquet file holding the batch's own observations and its incidents."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from itinera.services.movements.export import export_incidents, export_observations

    with tempfile.TemporaryDirectory() as work:
        figures, incidents = Path(work) / "observations.parquet", Path(work) / "incidents.parquet"
        only = ObservationFilter(source=report.source, batch_id=report.batch_id)
        export_observations(db, SYSTEM, only, "parquet", figures)
        export_incidents(db, SYSTEM, "parquet", incidents, source=report.source)
        observed = pq.read_table(figures)
        if observed.num_rows:  # derived monthly figures come back from the incidents
            observed = observed.filter(pc.invert(pc.fill_null(observed["derived"], False)))
        recorded = pq.read_table(incidents)
    # provenance lives in the file's metadata, once, not on every row
    per_batch = ["source", "vintage", "batch_id", "dataset", "derived", "superseded"]
    parts = [
        _tagged(observed.drop_columns([c for c in per_batch if c in observed.column_names]), "o"),
        _tagged(recorded.drop_columns([c for c in per_batch if c in recorded.column_names]), "i"),
    ]
    table = pa.concat_tables([p for p in parts if p.num_rows], promote_options="permissive")
    dataset = {
        "source": report.source,
        "publisher": report.publisher,
        "dataset": report.dataset,
        "vintage": report.vintage,
    }
    table = table.replace_schema_metadata({DATASET_KEY: json.dumps(dataset).encode()})
    pq.write_table(table, path, compression="zstd", compression_level=19)
    return {"observations": observed.num_rows, "incidents": recorded.num_rows}


def _tagged(table: pa.Table, kind: str) -> pa.Table:
    import pyarrow as pa

    record = "observation" if kind == "o" else "incident"
    return table.add_column(0, "record", pa.array([record] * table.num_rows, pa.string()))


def load_movement_demo(db: Database, settings: Settings) -> list[str]:
    """Import the bundle's movement files; one line per file imported (or already there)."""
    folder = settings.demo_bundle_dir
    lines = []
    for entry in read_manifest(folder):
        if entry.capability != "movements":
            continue
        report = import_file(db, SYSTEM, entry.format, folder / entry.path)
        if report.status == "unchanged":
            lines.append(f"{entry.source}: {entry.path} already imported (batch {report.batch_id})")
            continue
        lines.append(
            f"{entry.source}: {report.observations:,} observations, {report.incidents:,} "
            f"incidents, {report.derived:,} monthly figures, {report.rows_rejected:,} rejected "
            f"({entry.origin.publisher}, {entry.origin.licence})"
        )
    if not lines:
        lines.append(f"movements: no demo bundle in {folder}; skipped")
    return lines
