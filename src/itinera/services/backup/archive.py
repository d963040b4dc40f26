"""The backup file: a zip archive holding ``manifest.json`` and one JSON-lines member per
table (``tables/<name>.jsonl``, one JSON array of column values a line).

It is written beside its final name and renamed when complete and synced, readable by its
owner only: an interrupted backup never leaves a file that looks whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from itinera.domain.backup import BackupError, BackupManifest

__all__ = ["BackupReader", "BackupWriter", "combined_checksum", "member_name"]

MANIFEST = "manifest.json"


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


def combined_checksum(digests: Iterable[tuple[str, str]]) -> str:
    """One SHA-256 over every table's name and digest, in the backup's order."""
    total = hashlib.sha256()
    for name, digest in digests:
        total.update(f"{name}:{digest}\n".encode())
    return total.hexdigest()


class BackupWriter:
    def __init__(self, path: Path) -> None:
        if path.exists():
            raise BackupError(f"{path}: the file exists; name a new file for the backup")
        if not path.parent.is_dir():
            raise BackupError(f"{path.parent}: no such directory")
        self.path = path
        self._temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        descriptor = os.open(self._temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file: IO[bytes] = os.fdopen(descriptor, "wb")
        self._zip = zipfile.ZipFile(self._file, "w", compression=zipfile.ZIP_DEFLATED)

    def write_table(self, name: str, rows: Iterable[list[Any]]) -> tuple[int, str]:
        """Stream one table's rows; the number of rows and the SHA-256 of what was written."""
        digest, count = hashlib.sha256(), 0
        with self._zip.open(member_name(name), "w", force_zip64=True) as member:
            for row in rows:
                line = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
                digest.update(line)
                member.write(line)
                count += 1
        return count, digest.hexdigest()

    def finish(self, manifest: BackupManifest) -> None:
        self._zip.writestr(MANIFEST, json.dumps(manifest.as_dict(), indent=2))
        self._zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._temporary, self.path)

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self._zip.close()
        with contextlib.suppress(Exception):
            self._file.close()
        self._temporary.unlink(missing_ok=True)


class BackupReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
            raw = self._zip.read(MANIFEST)
        except FileNotFoundError:
            raise BackupError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise BackupError(
                f"{path}: not an Itinera backup ({type(exc).__name__}); "
                "make one with `itinera backup create`"
            ) from None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise BackupError(f"{path}: {MANIFEST} is not JSON ({exc})") from None
        self.manifest = BackupManifest.from_dict(data, source=f"{path}: {MANIFEST}")

    def rows(self, table: str, digest: Any) -> Iterator[list[Any]]:
        """One table's rows, feeding every line read into ``digest`` (hashlib object)."""
        name = member_name(table)
        try:
            member = self._zip.open(name)
        except KeyError:
            raise BackupError(f"{self.path}: {name} is missing") from None
        with member:
            try:
                for number, line in enumerate(member, 1):
                    digest.update(line)
                    try:
                        row = json.loads(line)
                    except ValueError:
                        raise BackupError(
                            f"{self.path}: {name} line {number} is not JSON"
                        ) from None
                    if not isinstance(row, list):
                        raise BackupError(f"{self.path}: {name} line {number} is not a row")
                    yield row
            except (zipfile.BadZipFile, OSError) as exc:
                raise BackupError(f"{self.path}: {name} is damaged ({exc})") from None

    def close(self) -> None:
        self._zip.close()
