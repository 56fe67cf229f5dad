"""The keys that protect personal data at rest, read at start by settings.py.

READERFUND_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first. The first encrypts,
every one decrypts, so a key stays in the list until `readerfund rotate-keys` has re-encrypted
everything it protects.
READERFUND_BLIND_INDEX_KEY: the key of the blind index (a keyed hash that finds a donor by email
without storing it in the clear). It never rotates: changing it orphans every stored index.

Either may come from NAME_FILE; when neither is set, the key is generated into the data dir.
Errors name the variable or the file, never the key.
"""

import base64
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from readerfund.lib.env import ConfigError, envsecret, generated_secret

ENCRYPTION_KEYS_VAR = "READERFUND_ENCRYPTION_KEYS"
BLIND_INDEX_KEY_VAR = "READERFUND_BLIND_INDEX_KEY"
ENCRYPTION_KEYS_FILENAME = "encryption_keys"
BLIND_INDEX_KEY_FILENAME = "blind_index_key"
BLIND_INDEX_KEY_MIN_BYTES = 32


def new_encryption_key() -> str:
    return Fernet.generate_key().decode()


def new_blind_index_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_encryption_keys(raw: str, *, source: str) -> list[str]:
    """The Fernet keys in a comma-separated list, checked one by one."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ConfigError(f"{source} holds no encryption key")
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                f"{source}: key {number} of {len(keys)} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)"
            ) from None
    return keys


def blind_index_key_bytes(key: str) -> bytes:
    """The HMAC key: the url-safe base64 text decoded, at least 32 bytes."""
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except ValueError:  # binascii.Error included
        raw = b""
    if len(raw) < BLIND_INDEX_KEY_MIN_BYTES:
        raise ValueError("not url-safe base64 of at least 32 bytes")
    return raw


def parse_blind_index_key(raw: str, *, source: str) -> str:
    key = raw.strip()
    try:
        blind_index_key_bytes(key)
    except ValueError as exc:
        raise ConfigError(f"{source}: the blind index key is {exc}") from None
    return key


def encryption_keys(data_dir: Path) -> tuple[list[str], bool]:
    """The encryption keys, newest first, and whether they live in the data dir."""
    raw = envsecret(ENCRYPTION_KEYS_VAR)
    if raw:
        return parse_encryption_keys(raw, source=ENCRYPTION_KEYS_VAR), False
    raw = generated_secret(data_dir, ENCRYPTION_KEYS_FILENAME, make=new_encryption_key)
    return parse_encryption_keys(raw, source=str(data_dir / ENCRYPTION_KEYS_FILENAME)), True


def blind_index_key(data_dir: Path) -> str:
    raw = envsecret(BLIND_INDEX_KEY_VAR)
    if raw:
        return parse_blind_index_key(raw, source=BLIND_INDEX_KEY_VAR)
    raw = generated_secret(data_dir, BLIND_INDEX_KEY_FILENAME, make=new_blind_index_key)
    return parse_blind_index_key(raw, source=str(data_dir / BLIND_INDEX_KEY_FILENAME))


def add_encryption_key(data_dir: Path) -> str:
    """Put a new key at the front of the data dir's key file (atomically); return the key."""
    path = data_dir / ENCRYPTION_KEYS_FILENAME
    keys = parse_encryption_keys(path.read_text(), source=str(path))
    key = new_encryption_key()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(",".join([key, *keys]) + "\n")
    os.replace(temporary, path)
    return key
