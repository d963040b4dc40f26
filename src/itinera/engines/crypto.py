"""Field-by-field encryption of personal data, blind indexes, and the key ring.

Each identifying field is encrypted on its own with AES-256-GCM (``cryptography``): a random
96-bit nonce per value, and a *context* such as ``"cases.given_name:42"`` bound as associated
data, so a ciphertext copied to another field or row no longer decrypts. A token reads
``<key id>:<base64url(nonce + ciphertext)>``; the key id lets ``itinera keys rotate`` find values
under an old key. :func:`blind_index` gives an HMAC of a normalised value for exact-match
lookups without plaintext. Keys come from settings or a key file, never from the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from itinera.config import Settings
from itinera.domain.errors import ItineraError

__all__ = [
    "DecryptionError",
    "EncryptedColumn",
    "FieldCipher",
    "FieldKeyError",
    "encrypted_columns",
    "ensure_key_file",
    "generate_key",
    "load_cipher",
    "normalise_for_index",
    "parse_keys",
    "read_keys",
    "register_encrypted_column",
    "unregister_encrypted_column",
    "write_key_file",
]

KEY_BYTES = 32
NONCE_BYTES = 12


class DecryptionError(ItineraError):
    """A value cannot be decrypted: unknown key, or moved/tampered ciphertext."""

    code = "decryption_error"


class FieldKeyError(ItineraError):
    """The field key is missing or malformed (the message never contains key material)."""

    code = "key_error"


def generate_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


def normalise_for_index(value: str) -> str:
    """Compatibility-normalised, case-folded, with runs of spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value).casefold()).strip()


class FieldCipher:
    """A key ring: the first key encrypts; every key decrypts values it encrypted."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise FieldKeyError("no field encryption key")
        self._aead: dict[str, AESGCM] = {}
        self._order: list[str] = []
        for key in keys:
            if len(key) != KEY_BYTES:
                raise FieldKeyError(f"a field key must be {KEY_BYTES} bytes, not {len(key)}")
            kid = hashlib.sha256(b"itinera key id" + key).hexdigest()[:8]
            if kid not in self._aead:
                self._aead[kid] = AESGCM(_derive(key, b"itinera/field-encryption/v1"))
                self._order.append(kid)
        self._keys = list(keys)
        self._index_key = _derive(keys[0], b"itinera/blind-index/v1")

    @property
    def current_key_id(self) -> str:
        return self._order[0]

    @property
    def key_ids(self) -> list[str]:
        return list(self._order)

    def with_new_key(self, key: bytes) -> FieldCipher:
        """A ring whose current key is ``key``, keeping the old keys readable."""
        return FieldCipher([key, *self._keys])

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead[self.current_key_id].encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        return f"{self.current_key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str, *, context: str) -> str:
        kid, _, body = token.partition(":")
        aead = self._aead.get(kid)
        if aead is None or not body:
            raise DecryptionError(f"encrypted value under unknown key {kid[:8]!r}")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError, binascii.Error):
            raise DecryptionError(
                f"encrypted value does not match its place ({context.split(':')[0]}): "
                "moved or tampered"
            ) from None
        return plain.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        return token.partition(":")[0]

    def blind_index(self, value: str, *, context: str) -> str:
        """HMAC-SHA256 of the normalised value under a key derived apart from encryption."""
        message = context.encode("utf-8") + b"\x00" + normalise_for_index(value).encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


# --- keys from settings or a key file ------------------------------------------------------


def parse_keys(text: str, *, source: str) -> list[bytes]:
    """Base64 keys, one a line or comma-separated; blank lines and ``#`` comments ignored."""
    keys: list[bytes] = []
    items = [i.strip() for line in text.splitlines() for i in line.split(",")]
    for position, item in enumerate((i for i in items if i and not i.startswith("#")), 1):
        try:
            key = base64.b64decode(item.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise FieldKeyError(f"{source}: key {position} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise FieldKeyError(f"{source}: key {position} has {len(key)} bytes, not {KEY_BYTES}")
        keys.append(key)
    if not keys:
        raise FieldKeyError(f"{source}: no key found")
    return keys


def write_key_file(path: Path, keys: Sequence[bytes]) -> None:
    """Replace the key file atomically (temporary file + rename), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    body = "".join(base64.b64encode(k).decode("ascii") + "\n" for k in keys)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write("# Itinera field encryption keys: the first encrypts. Keep secret.\n")
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def ensure_key_file(settings: Settings) -> bool:
    """Create the key file in development and test when no key is configured; True if created."""
    if settings.field_key is not None or settings.key_file.exists():
        return False
    if settings.environment == "production":
        raise FieldKeyError(
            f"no field encryption key: set ITINERA_FIELD_KEY or create {settings.key_file}",
            hint="production never creates a key by itself",
        )
    try:
        write_key_file(settings.key_file, [generate_key()])
    except FileExistsError:  # pragma: no cover - another process won the race
        return False
    return True


def read_keys(settings: Settings) -> list[bytes]:
    if settings.field_key is not None:
        return parse_keys(settings.field_key.get_secret_value(), source="ITINERA_FIELD_KEY")
    path = settings.key_file
    if not path.exists():
        ensure_key_file(settings)
    return parse_keys(path.read_text("ascii"), source=str(path))


def load_cipher(settings: Settings) -> FieldCipher:
    """The key ring from ``ITINERA_FIELD_KEY``, else the key file (created in dev and test)."""
    return FieldCipher(read_keys(settings))


# --- the registry of encrypted columns (walked by key rotation) ----------------------------

ContextFunction = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    column: str
    context: ContextFunction  # row (key columns) -> the context the value was encrypted with
    key_columns: tuple[str, ...] = ("id",)
    index_column: str | None = None  # blind index of the same value, recomputed on rotation
    index_context: str | None = None


_REGISTRY: dict[tuple[str, str], EncryptedColumn] = {}


def register_encrypted_column(
    table_name: str,
    column: str,
    context_fn: ContextFunction,
    *,
    key_columns: tuple[str, ...] = ("id",),
    index_column: str | None = None,
    index_context: str | None = None,
) -> None:
    """Declare an encrypted column so that ``itinera keys rotate`` re-encrypts it."""
    if (index_column is None) != (index_context is None):
        raise ValueError("index_column and index_context go together")
    _REGISTRY[(table_name, column)] = EncryptedColumn(
        table_name, column, context_fn, tuple(key_columns), index_column, index_context
    )


def unregister_encrypted_column(table_name: str, column: str) -> None:
    _REGISTRY.pop((table_name, column), None)


def encrypted_columns() -> list[EncryptedColumn]:
    return list(_REGISTRY.values())
