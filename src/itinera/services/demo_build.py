"""``itinera demo build``: regenerate the demo bundle from the publishers' original files.

The build runs the real pipeline in a throw-away SQLite store: ``itinera init``, each
publisher's file through its own reader, then each capability's export into the bundle folder
(``services.movements.demo``, ``services.services_map.demo``). It then writes the manifest and
the README and refuses a bundle over :data:`MAX_BUNDLE_BYTES`. The same inputs give the same
bytes, so a rebuild with nothing new leaves the repository unchanged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from itinera.config import Settings
from itinera.services.demo_manifest import (
    MANIFEST,
    MAX_BUNDLE_BYTES,
    BundleFile,
    write_manifest,
)
from itinera.services.movements.demo import write_movement_bundle
from itinera.services.services_map.demo import write_services_bundle
from itinera.services.setup import initialise
from itinera.storage.database import Database

__all__ = ["BUILD_COMMAND", "BundleTooLargeError", "build_bundle", "bundle_size"]

BUILD_COMMAND = "itinera demo build --from ../shared/data --output src/itinera/demo/bundle"
_SUBFOLDERS = ("movements", "services")


class BundleTooLargeError(RuntimeError):
    """The bundle would not fit the size the repository allows."""


def bundle_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_bundle(data_dir: Path, output: Path) -> list[BundleFile]:
    """Write the bundle into ``output`` (its previous content is replaced)."""
    if not data_dir.is_dir():
        raise FileNotFoundError(f"{data_dir} is not a folder of publishers' files")
    output.mkdir(parents=True, exist_ok=True)
    for name in _SUBFOLDERS:
        shutil.rmtree(output / name, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(database_url=f"sqlite:///{Path(work) / 'build.db'}")
        db = Database(settings.database_url)
        try:
            initialise(settings, database=db)
            files = write_movement_bundle(db, data_dir, output)
            files += write_services_bundle(db, data_dir, output)
        finally:
            db.dispose()
    write_manifest(output, files, BUILD_COMMAND)
    (output / "README.md").write_text(readme(files), "utf-8")
    size = bundle_size(output)
    if size > MAX_BUNDLE_BYTES:
        raise BundleTooLargeError(
            f"the bundle takes {size:,} bytes, more than {MAX_BUNDLE_BYTES:,}; thin it"
        )
    return files


def readme(files: list[BundleFile]) -> str:
    """The bundle folder's README: what is in it, whose it is, how to rebuild it."""
    rows = "\n".join(
        f"| `{f.path}` | {f.origin.publisher} | {f.origin.licence} | {f.origin.retrieved} | "
        + ", ".join(f"{n:,} {kind}" for kind, n in f.records.items())
        + " |"
        for f in files
    )
    return f"""# Itinera demo bundle

Real public data that `itinera init --demo` (and so `scripts/serve`) loads, so that a fresh
clone shows real figures, incidents and service points. Itinera produced these files itself:
each publisher's original file went through Itinera's own reader and was written back out
through Itinera's export (movement figures and incidents as Parquet, read back by the
`itinera` reader; service points as Open Referral HSDS 3.0 JSON, gzip-compressed).
`{MANIFEST}` names, for every file, the publisher, the licence, the retrieval date (the date
of the snapshot of the original that was read), where the original was read, the dataset and
vintage, the record counts and a SHA-256 checksum.

| file | publisher | licence | retrieved | records |
|---|---|---|---|---|
{rows}

What is kept: every current figure and incident of each batch, with its coordinates as
stored; monthly figures derived from incidents are left out because the import derives them
again. Service points keep name, kind, coordinates, country, admin area, locality, status,
verification date, offers (service type, hours, languages, eligibility, fees, referral) and
phone numbers, with the first organisation of each point.

Regenerate it (the size limit is {MAX_BUNDLE_BYTES // (1024 * 1024)} MB, checked by the build
and by a test) from the publishers' files, from the project root:

    {BUILD_COMMAND}

Attribution: when you show or pass on these figures, name the publisher and licence above.
"""
