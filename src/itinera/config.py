"""Typed settings read from ``ITINERA_*`` environment variables.

Settings are passed in (to ``create_app``, to services), never read from a global at import
time. Safe defaults serve the embedded, single-laptop mode; production refuses unsafe ones.
"""

from __future__ import annotations

import math
import zlib
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEVELOPMENT_SECRET", "Settings", "project_root"]

DEVELOPMENT_SECRET = "development-only-secret-change-me"
MIN_SECRET_BITS = 96  # Shannon estimate over the secret's own characters: 36 x "a" has 0


def _entropy_bits(text: str) -> float:
    """A rough upper bound of a secret's randomness: the smaller of its length times the
    Shannon entropy of its characters (catches short alphabets: 36 x "a") and what it
    compresses to (catches repeated patterns: "Passw0rd" x 5). Not proof of randomness."""
    if not text:
        return 0.0
    counts = [text.count(c) for c in set(text)]
    shannon = -sum(n / len(text) * math.log2(n / len(text)) for n in counts) * len(text)
    compressed = len(zlib.compress(text.encode("utf-8"), 9)) - 8  # zlib's header and checksum
    return min(shannon, 6.0 * compressed)


def project_root() -> Path:
    """The checkout the package runs from (``src/itinera`` → two levels up), or the cwd."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def _default_database_url() -> str:
    return f"sqlite:///{project_root() / 'var' / 'itinera.db'}"


def _default_key_file() -> Path:
    return project_root() / "var" / "keys" / "field.key"


def _default_demo_dir() -> Path:
    return project_root().parent / "shared" / "data"


def _default_bundle_dir() -> Path:
    return Path(__file__).resolve().parent / "demo" / "bundle"


class Settings(BaseSettings):
    """Every setting, its default and its meaning (documented in docs/settings.md)."""

    model_config = SettingsConfigDict(env_prefix="ITINERA_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="production refuses placeholder secrets"
    )
    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL; SQLite file under var/ by default, postgresql+psycopg://… "
        "for a shared deployment",
    )
    secret_key: str = Field(DEVELOPMENT_SECRET, description="signs sessions and CSRF tokens")
    host: str = Field("127.0.0.1", description="address `itinera serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="port `itinera serve` listens on")
    default_language: Literal["en", "fr", "ar"] = Field(
        "en", description="language used when neither ?lang= nor Accept-Language chooses one"
    )
    demo_data_dir: Path = Field(
        default_factory=_default_demo_dir,
        description="the publishers' original files that `itinera demo build` reads "
        "(../shared/data); `itinera init --demo` does not need them",
    )
    demo_bundle_dir: Path = Field(
        default_factory=_default_bundle_dir,
        description="the demo bundle `itinera init --demo` loads (the one shipped in the "
        "package, src/itinera/demo/bundle, by default)",
    )
    tile_url: str | None = Field(
        None,
        description="optional online tile layer for maps, e.g. an office tile server; maps "
        "work offline without it",
    )
    max_upload_bytes: int = Field(
        200 * 1024 * 1024, ge=1024, description="largest accepted upload, in bytes"
    )
    max_body_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        description="largest accepted request body outside the upload routes (JSON, forms)",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="server processes of `itinera serve` (more than 1 needs PostgreSQL)",
    )
    # --- jobs (issue 10): long work off the request path ---
    jobs_dir: Path = Field(
        default_factory=lambda: project_root() / "var" / "jobs",
        description="where uploads wait for their import job (every worker process must see "
        "it: a local folder, or a shared one when workers run on several machines)",
    )
    jobs_heartbeat_seconds: float = Field(
        2.0, gt=0, le=60, description="how often a running job reports that its worker lives"
    )
    jobs_stale_seconds: int = Field(
        60,
        ge=5,
        description="a running job silent for this long is resumed (imports) or failed",
    )
    # --- service mapping (C5) ---
    services_stale_after_days: int = Field(
        180, ge=1, description="service points not re-verified for this many days are stale"
    )
    services_coverage_km: dict[str, float] = Field(
        default_factory=dict,
        description="coverage distance per service type, JSON, overriding the defaults of "
        'docs/services-map.md, e.g. {"shelter": 15}',
    )
    services_duplicate_radius_km: float = Field(
        5.0,
        gt=0,
        description="two organisations offering the same service within this "
        "distance are reported as possible duplication",
    )
    # --- route analytics (C3) ---
    analytics_suppression_threshold: int = Field(
        5,
        ge=1,
        description="public outputs hide counts below this (and enough others to stop "
        "them being recovered from totals)",
    )
    analytics_shift_points: float = Field(
        10.0,
        gt=0,
        description="a route's share of its group moving by this many percentage "
        "points raises a shift alert",
    )
    # --- accounts and data protection (C8) ---
    field_key: SecretStr | None = Field(
        None, description="base64 key(s) for field encryption, comma-separated, current first"
    )
    key_file: Path = Field(
        default_factory=_default_key_file,
        description="key file used when ITINERA_FIELD_KEY is unset (one base64 key a line)",
    )
    session_hours: int = Field(8, ge=1, le=24 * 30, description="lifetime of a login session")
    login_max_failures: int = Field(
        5, ge=1, description="failed logins for one account from one address before it waits"
    )
    login_lockout_minutes: int = Field(
        15, ge=1, description="how long that address waits for that account"
    )
    login_address_max_failures: int = Field(
        20, ge=0, description="failed logins from one client address per window (0: no limit)"
    )
    login_address_window_minutes: int = Field(
        10, ge=1, description="window of the per-address login limit"
    )
    retention_days: int = Field(
        365, ge=1, description="case data older than this is erased by `itinera retention apply`"
    )
    gateway_tracing_organisation: str | None = Field(
        None,
        description="name or acronym of the organisation whose tracing team receives the "
        "gateway's tracing interests (with the person's consent); unset: none is handed over",
    )
    tracing_linkage_memory_limit: str = Field(
        "4GB",
        pattern=r"^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory limit for one tracing linkage run; past it the run "
        "spills into its own temporary directory (removed after the run)",
    )
    tracing_linkage_threads: int | None = Field(
        None, ge=1, le=256, description="DuckDB threads of a tracing linkage run (unset: cores)"
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment != "production":
            return self
        weak = (
            self.secret_key == DEVELOPMENT_SECRET
            or len(self.secret_key) < 32
            or _entropy_bits(self.secret_key) < MIN_SECRET_BITS
        )
        if weak:
            raise ValueError(
                "ITINERA_SECRET_KEY must be a random value of 32+ characters in production "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        keyless = self.field_key is None and not self.key_file.exists()
        if keyless:
            raise ValueError(
                "production needs a field encryption key: set ITINERA_FIELD_KEY or create the "
                f"key file {self.key_file} (ITINERA_KEY_FILE)"
            )
        if self.field_key is None and self.key_file.stat().st_mode & 0o077:
            raise ValueError(
                f"the key file {self.key_file} can be read by other users of the machine: "
                f"chmod 600 {self.key_file}"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
