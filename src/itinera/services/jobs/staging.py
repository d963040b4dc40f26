"""Files that wait for their job: an upload is moved into a folder Itinera names, so that any
worker process can read it and a job resumed after a crash finds it again. The file keeps its
(already sanitised) upload name, which reports and issues quote. A job's parameters hold only
``<folder>/<name>``, checked again before use: never a path from a request."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from itinera.config import Settings
from itinera.domain.errors import ValidationError

__all__ = ["discard_staged", "stage_file", "staged_path"]

_STAGED = re.compile(r"^([0-9a-f]{32})/([^/\\\x00]{1,255})$")


def stage_file(settings: Settings, path: Path) -> str:
    """Move ``path`` into its own owner-only folder under the jobs folder; its staged name."""
    folder_name = secrets.token_hex(16)
    folder = settings.jobs_dir / folder_name
    folder.mkdir(parents=True, mode=0o700)
    target = folder / path.name
    shutil.move(str(path), target)
    target.chmod(0o600)
    return f"{folder_name}/{path.name}"


def staged_path(settings: Settings, staged: str) -> Path:
    found = _STAGED.fullmatch(staged)
    if found is None or found.group(2) in (".", ".."):
        raise ValidationError.single("file", "the job names no staged file of Itinera's")
    return settings.jobs_dir / found.group(1) / found.group(2)


def discard_staged(settings: Settings, staged: str) -> None:
    shutil.rmtree(staged_path(settings, staged).parent, ignore_errors=True)
