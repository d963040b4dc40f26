"""The demo bundle's manifest: every file, what it holds, who published it, under what licence.

The bundle (``src/itinera/demo/bundle`` by default) is Itinera's own export of the public files
listed in each capability's ``PUBLISHER_FILES``; ``manifest.json`` names, for each bundle file,
the publisher, the licence, the retrieval date and where the original was read, so that the
attribution travels with the data. ``itinera demo build`` writes it; ``itinera init --demo``
reads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST",
    "MAX_BUNDLE_BYTES",
    "BundleFile",
    "Origin",
    "describe",
    "read_manifest",
    "write_manifest",
]

MANIFEST = "manifest.json"
MAX_BUNDLE_BYTES = 5 * 1024 * 1024  # the whole folder, manifest and README included
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Origin:
    """One publisher's original file, as found in the public data folder (``../shared/data``)."""

    path: str  # relative to the data folder
    publisher: str
    licence: str
    retrieved: str  # ISO date of the snapshot that was read
    location: str  # where the snapshot was read (repository, commit, path)


@dataclass(frozen=True)
class BundleFile:
    """One file of the bundle and the provenance it carries."""

    path: str  # relative to the bundle folder, forward slashes
    capability: str  # "movements" or "services"
    format: str  # the reader (movements) or import format (services) that loads it
    source: str  # the source key the figures or points are stored under
    dataset: str
    vintage: str | None
    origin: Origin
    records: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    bytes: int = 0


def describe(folder: Path, relative: str, **fields: Any) -> BundleFile:
    """A :class:`BundleFile` for a file just written, with its size and checksum."""
    data = (folder / relative).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return BundleFile(path=relative, sha256=digest, bytes=len(data), **fields)


def write_manifest(folder: Path, files: list[BundleFile], command: str) -> Path:
    document = {
        "format_version": FORMAT_VERSION,
        "built_by": command,
        "files": [asdict(f) for f in files],
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def read_manifest(folder: Path) -> list[BundleFile]:
    """The bundle's files; an empty list when the folder holds no manifest."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    document = json.loads(path.read_text("utf-8"))
    if document.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path}: unknown bundle format {document.get('format_version')!r}")
    files = []
    for entry in document["files"]:
        origin = Origin(**entry.pop("origin"))
        files.append(BundleFile(origin=origin, **entry))
    return files
