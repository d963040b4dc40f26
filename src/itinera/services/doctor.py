"""``itinera doctor``: check a deployment and say what to fix.

Each check returns a ``Finding``: ``ok``, ``warning`` (works, but worth a look) or ``problem``
(something will fail or is unsafe; the command exits 1). Findings never carry a secret, a key or
a database password, and the checks change nothing: a missing SQLite file is reported, not
created.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from itinera.config import DEVELOPMENT_SECRET, Settings
from itinera.engines.crypto import FieldKeyError, parse_keys
from itinera.storage.database import StoreUnreachableError, displayable_url, sqlite_file
from itinera.storage.migrate import pending_at

__all__ = [
    "REQUIRED_ASSETS",
    "DoctorReport",
    "Finding",
    "Status",
    "examine",
]

# Files the pages load that scripts/setup (npm, pybabel) makes rather than git.
REQUIRED_ASSETS = (
    "web/static/vendor/leaflet/leaflet.js",
    "web/static/vendor/leaflet/leaflet.css",
    "web/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "web/static/vendor/topojson-client/topojson-client.min.js",
    "web/static/vendor/world-atlas/countries-50m.json",
    "web/static/vendor/chart.js/chart.umd.js",
    "web/static/vendor/htmx.org/htmx.min.js",
    "locale/fr/LC_MESSAGES/messages.mo",
    "locale/ar/LC_MESSAGES/messages.mo",
)
LOW_DISK_BYTES = 2 * 1024**3
TOO_LITTLE_DISK_BYTES = 500 * 1024**2


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    message: str
    fix: str = ""


@dataclass(frozen=True)
class DoctorReport:
    findings: list[Finding]

    @property
    def healthy(self) -> bool:
        return all(finding.status is not Status.PROBLEM for finding in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "healthy": self.healthy,
            "findings": [
                {"check": f.check, "status": str(f.status), "message": f.message, "fix": f.fix}
                for f in self.findings
            ],
        }


def examine(settings: Settings, *, package: Path | None = None) -> DoctorReport:
    """Run every check; ``package`` is where Itinera's files are (the installed package)."""
    root = package or Path(str(resources.files("itinera")))
    checks: list[Callable[[], Finding]] = [
        lambda: check_database(settings),
        lambda: check_key(settings),
        lambda: check_settings(settings),
        lambda: check_assets(root),
        lambda: check_disk(settings),
    ]
    return DoctorReport([check() for check in checks])


def check_database(settings: Settings) -> Finding:
    shown = displayable_url(settings.database_url)
    file = sqlite_file(settings.database_url)
    if file is not None and not file.exists():
        return Finding("database", Status.PROBLEM, f"no database at {file}", "run `itinera init`")
    try:
        todo = pending_at(settings.database_url)
    except StoreUnreachableError as exc:
        return Finding(
            "database",
            Status.PROBLEM,
            f"cannot reach {shown} ({exc})",
            "check ITINERA_DATABASE_URL, that the server runs and accepts this user",
        )
    if todo:
        return Finding(
            "database",
            Status.PROBLEM,
            f"{shown} reachable but {len(todo)} migration(s) not applied",
            "run `itinera init` (it migrates and changes nothing else)",
        )
    return Finding("database", Status.OK, f"{shown} reachable and migrated")


def check_key(settings: Settings) -> Finding:
    if settings.field_key is not None:
        try:
            keys = parse_keys(settings.field_key.get_secret_value(), source="ITINERA_FIELD_KEY")
        except FieldKeyError:
            return Finding(
                "key", Status.PROBLEM, "ITINERA_FIELD_KEY is not valid", "set base64 32-byte keys"
            )
        return Finding("key", Status.OK, f"{len(keys)} key(s) from ITINERA_FIELD_KEY")
    path = settings.key_file
    if not path.is_file():
        return Finding(
            "key",
            Status.PROBLEM,
            f"no field encryption key: {path} does not exist",
            "set ITINERA_FIELD_KEY or ITINERA_KEY_FILE, or run `itinera init` (development)",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(
            "key",
            Status.PROBLEM,
            f"{path} is readable by other users (mode {mode:o})",
            f"chmod 600 {path}",
        )
    if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
        return Finding(
            "key",
            Status.WARNING,
            f"{path} belongs to another user than the one running Itinera",
            f"chown the key file to the user that runs Itinera: {path}",
        )
    try:
        keys = parse_keys(path.read_text("utf-8"), source=str(path))
    except (OSError, FieldKeyError):
        return Finding(
            "key", Status.PROBLEM, f"{path} holds no valid key", "restore the key file from backup"
        )
    return Finding("key", Status.OK, f"{len(keys)} key(s) in {path}, mode {mode:o}")


def check_settings(settings: Settings) -> Finding:
    weak_secret = settings.secret_key == DEVELOPMENT_SECRET or len(settings.secret_key) < 32
    if settings.environment != "production":
        if weak_secret and settings.host not in ("127.0.0.1", "localhost", "::1"):
            return Finding(
                "settings",
                Status.PROBLEM,
                f"development secret while listening on {settings.host}, beyond this machine",
                "set ITINERA_ENVIRONMENT=production and a random ITINERA_SECRET_KEY (32+ chars)",
            )
        return Finding(
            "settings",
            Status.WARNING,
            f"environment is {settings.environment}: fine on one laptop, not for a shared server",
            "set ITINERA_ENVIRONMENT=production for a deployment",
        )
    if settings.tile_url and settings.tile_url.startswith("http://"):
        return Finding(
            "settings",
            Status.WARNING,
            "ITINERA_TILE_URL is plain http: browsers may block it on an https site",
            "use an https tile server or leave ITINERA_TILE_URL unset (offline maps)",
        )
    return Finding("settings", Status.OK, "production settings: secret key set, safe defaults")


def check_assets(package: Path) -> Finding:
    missing = [name for name in REQUIRED_ASSETS if not (package / name).is_file()]
    if missing:
        return Finding(
            "assets",
            Status.PROBLEM,
            f"{len(missing)} front-end or translation file(s) missing, e.g. {missing[0]}",
            "install a wheel built by scripts/build, or run scripts/setup in a checkout",
        )
    return Finding("assets", Status.OK, f"{len(REQUIRED_ASSETS)} maps, charts, catalogs present")


def check_disk(settings: Settings) -> Finding:
    file = sqlite_file(settings.database_url)
    place = file.parent if file is not None else settings.key_file.parent
    while not place.exists() and place != place.parent:
        place = place.parent
    free = shutil.disk_usage(place).free
    shown = f"{free / 1024**3:.1f} GiB free under {place}"
    if free < TOO_LITTLE_DISK_BYTES:
        return Finding("disk", Status.PROBLEM, shown, "free space: imports and backups need it")
    if free < LOW_DISK_BYTES:
        return Finding("disk", Status.WARNING, shown, "free some space before large imports")
    return Finding("disk", Status.OK, shown)
