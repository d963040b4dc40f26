"""Service points of the demo bundle: written by ``itinera demo build``, loaded by
``itinera init --demo``.

Building imports each public service list (``PUBLISHER_FILES``) with its usual format, then
exports the points of that source as Open Referral HSDS 3.0 JSON (the registry's own export,
which reads back through the HSDS importer), gzip-compressed. Loading imports each bundle file
under its original source key; a second run finds every point unchanged.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.demo_manifest import BundleFile, Origin, describe, read_manifest
from itinera.services.services_map.exports import to_hsds
from itinera.services.services_map.imports import import_services
from itinera.services.services_map.registry import ServiceFilter, list_points
from itinera.storage.database import Database

__all__ = ["PUBLISHER_FILES", "load_services_demo", "write_services_bundle"]

# (format, mapping, source key, original file)
PUBLISHER_FILES: tuple[tuple[str, str | None, str, Origin], ...] = (
    (
        "hxl",
        None,
        "unhcr-3w",
        Origin(
            "hxl-examples-legacy-showcase-2014/unhcr-3w.csv",
            "UNHCR (3W: who does what where), as republished in the HXL showcase",
            "Unlicense (HXL showcase repository)",
            "2014-11-10",
            "github.com/HXLStandard/hxl-showcase@fdfbd98d39c8 sample-data/unhcr-3w.csv",
        ),
    ),
    (
        "table",
        "ifr-poland-2022",
        "ifr-poland-2022",
        Origin(
            "service-points-ifr-poland-2022/spots.derived.csv",
            "Info for Refugees (IfR) app data, Poland",
            "GPL-3.0 (repository licence, which its README applies to the data)",
            "2022-05-31",
            "github.com/AdamGiergun/IfR-data@7d1bd61f9276 data/spots.json",
        ),
    ),
)


def write_services_bundle(db: Database, data_dir: Path, folder: Path) -> list[BundleFile]:
    """Import each original list into ``db`` and write its points to ``folder/services``."""
    (folder / "services").mkdir(parents=True, exist_ok=True)
    files = []
    for format, mapping, source, origin in PUBLISHER_FILES:
        path = data_dir / origin.path
        report = import_services(db, SYSTEM, path, format=format, mapping=mapping, source=source)
        if not report.stored:
            raise RuntimeError(f"{origin.path}: not imported ({len(report.issues)} issues)")
        listings = [
            item
            for item in list_points(db, SYSTEM, ServiceFilter(), stale_after_days=10**6)
            if item.point.source == source
        ]
        document = to_hsds(listings)
        relative = f"services/{source}.hsds.json.gz"
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # mtime 0: the same points give the same bytes, so a rebuild leaves git unchanged
        with gzip.GzipFile(folder / relative, "wb", compresslevel=9, mtime=0) as out:
            out.write(text.encode("utf-8"))
        files.append(
            describe(
                folder,
                relative,
                capability="services",
                format="hsds",
                source=source,
                dataset=f"service points ({format} import of {Path(origin.path).name})",
                vintage=origin.retrieved,
                origin=origin,
                records={"points": len(listings), "services": len(document["services"])},
            )
        )
    return files


def load_services_demo(db: Database, settings: Settings) -> list[str]:
    """Import each service list of the bundle; a second run reports them unchanged."""
    folder = settings.demo_bundle_dir
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        for entry in read_manifest(folder):
            if entry.capability != "services":
                continue
            plain = Path(work) / Path(entry.path).name.removesuffix(".gz")
            plain.write_bytes(gzip.decompress((folder / entry.path).read_bytes()))
            report = import_services(db, SYSTEM, plain, format=entry.format, source=entry.source)
            lines.append(
                f"services: {entry.source}: {report.added} points added, {report.updated} "
                f"updated, {report.unchanged} unchanged, {report.rows_rejected} rows rejected"
            )
    if not lines:
        lines.append(f"services: no demo bundle in {folder}; skipped")
    return lines
