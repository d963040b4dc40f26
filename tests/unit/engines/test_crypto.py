"""Field encryption: round trips, context binding, tampering, keys, blind indexes."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from itinera.config import Settings
from itinera.engines.crypto import (
    DecryptionError,
    FieldCipher,
    FieldKeyError,
    ensure_key_file,
    generate_key,
    load_cipher,
    parse_keys,
    write_key_file,
)


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher([generate_key()])


def test_a_value_comes_back_and_is_not_in_the_token(cipher: FieldCipher) -> None:
    token = cipher.encrypt("Amina Testperson", context="cases.given_name:1")
    assert "Amina" not in token and token.startswith(cipher.current_key_id + ":")
    assert cipher.decrypt(token, context="cases.given_name:1") == "Amina Testperson"


def test_the_same_value_encrypts_differently_each_time(cipher: FieldCipher) -> None:
    first = cipher.encrypt("x", context="c")
    assert first != cipher.encrypt("x", context="c")


@pytest.mark.parametrize("other", ["cases.family_name:1", "cases.given_name:2", ""])
def test_a_ciphertext_moved_to_another_field_or_row_fails(cipher: FieldCipher, other: str) -> None:
    token = cipher.encrypt("Amina", context="cases.given_name:1")
    with pytest.raises(DecryptionError, match="moved or tampered") as raised:
        cipher.decrypt(token, context=other)
    assert "Amina" not in str(raised.value)


def test_a_tampered_ciphertext_fails(cipher: FieldCipher) -> None:
    kid, _, body = cipher.encrypt("Amina", context="c").partition(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        cipher.decrypt(f"{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", context="c")
    with pytest.raises(DecryptionError, match="unknown key"):
        cipher.decrypt("deadbeef:" + body, context="c")


def test_a_ring_decrypts_old_values_and_encrypts_with_the_new_key(cipher: FieldCipher) -> None:
    old = cipher.encrypt("Amina", context="c")
    ring = cipher.with_new_key(generate_key())
    assert ring.current_key_id != cipher.current_key_id
    assert ring.decrypt(old, context="c") == "Amina"
    assert ring.key_id_of(ring.encrypt("Amina", context="c")) == ring.current_key_id
    with pytest.raises(DecryptionError):
        FieldCipher([generate_key()]).decrypt(old, context="c")


def test_blind_index_matches_normalised_values_only_in_its_context(cipher: FieldCipher) -> None:
    index = cipher.blind_index("Amina  TESTPERSON", context="cases.name")
    assert index == cipher.blind_index(" amina testperson ", context="cases.name")
    assert index != cipher.blind_index("amina testperson", context="cases.document")
    assert index != cipher.blind_index("amina testpersons", context="cases.name")
    assert index != FieldCipher([generate_key()]).blind_index(
        "amina testperson", context="cases.name"
    )
    assert "amina" not in index


def test_parse_keys_names_the_bad_key_without_showing_it() -> None:
    good = base64.b64encode(generate_key()).decode()
    assert len(parse_keys(f"# comment\n{good}\n\n{good}", source="f")) == 2
    with pytest.raises(FieldKeyError, match="f: key 2 is not valid base64"):
        parse_keys(f"{good},not base64!", source="f")
    with pytest.raises(FieldKeyError, match="key 1 has 3 bytes"):
        parse_keys(base64.b64encode(b"abc").decode(), source="f")
    with pytest.raises(FieldKeyError, match="no key"):
        parse_keys("# nothing\n", source="f")


def test_the_key_file_is_created_for_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(environment="test", key_file=tmp_path / "keys" / "field.key")
    assert ensure_key_file(settings) is True
    assert ensure_key_file(settings) is False
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600
    cipher = load_cipher(settings)
    assert load_cipher(settings).decrypt(cipher.encrypt("v", context="c"), context="c") == "v"


def test_write_key_file_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "field.key"
    first, second = generate_key(), generate_key()
    write_key_file(path, [first])
    write_key_file(path, [second, first])
    assert parse_keys(path.read_text(), source="f") == [second, first]
    assert [p.name for p in tmp_path.iterdir()] == ["field.key"]


def test_the_key_from_settings_wins_over_the_file(tmp_path: Path) -> None:
    key = generate_key()
    settings = Settings(
        environment="test",
        key_file=tmp_path / "absent.key",
        field_key=base64.b64encode(key).decode(),
    )
    assert load_cipher(settings).current_key_id == FieldCipher([key]).current_key_id
    assert not settings.key_file.exists()


def test_production_refuses_to_start_without_a_field_key(tmp_path: Path) -> None:
    secret = "kQ3v-Zr8pWn1Xy7Ld2Mf5Tb9Hc4Gs6Ja0Ue_Po"  # random enough
    with pytest.raises(ValueError, match="ITINERA_FIELD_KEY"):
        Settings(environment="production", secret_key=secret, key_file=tmp_path / "none.key")
    with pytest.raises(ValueError, match="ITINERA_SECRET_KEY"):
        Settings(environment="production", field_key=base64.b64encode(generate_key()).decode())
    ok = Settings(
        environment="production",
        secret_key=secret,
        field_key=base64.b64encode(generate_key()).decode(),
    )
    assert ok.field_key is not None
