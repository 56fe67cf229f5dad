"""Personal data at rest: Fernet encryption and the blind index that finds encrypted values.

Keys come from settings (ENCRYPTION_KEYS, BLIND_INDEX_KEY; see privacy/keys.py). Fernet tokens
are authenticated: a changed or foreign token fails to decrypt, it never decrypts to garbage.
"""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from privacy.keys import ENCRYPTION_KEYS_VAR, blind_index_key_bytes
from readerfund.lib.addresses import normalise_email


class DecryptionError(Exception):
    """A token that none of the current keys can decrypt."""


@functools.lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    # Keyed on the keys themselves, so a changed setting (tests, override_settings) is seen.
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _multi() -> MultiFernet:
    return _fernets(tuple(settings.ENCRYPTION_KEYS))[0]


def encrypt(text: str) -> str:
    """A Fernet token for text, made with the newest key."""
    return _multi().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text inside a token made with any of the current keys."""
    try:
        return _multi().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(_unreadable()) from None


def rotate(token: str) -> str:
    """The same text, re-encrypted with the newest key (the token's timestamp is kept)."""
    try:
        return _multi().rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(_unreadable()) from None


def is_current(token: str) -> bool:
    """Whether the newest key made this token, so rotating it would change nothing."""
    newest = _fernets(tuple(settings.ENCRYPTION_KEYS))[1]
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _unreadable() -> str:
    return (
        f"none of the {len(settings.ENCRYPTION_KEYS)} encryption keys decrypts this value: "
        f"was the key that encrypted it removed from {ENCRYPTION_KEYS_VAR} (or the data dir's "
        "encryption_keys file) before `readerfund rotate-keys` ran?"
    )


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of value (64 hex characters) to find encrypted values by equality.

    The purpose separates indexes: the same text indexed for "email" and for "name" gives
    unrelated hashes, so one column cannot be joined against another.
    """
    if "\x00" in purpose:
        raise ValueError("a blind index purpose cannot contain a NUL character")
    key = blind_index_key_bytes(settings.BLIND_INDEX_KEY)
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def email_index(email: str) -> str:
    """The blind index of an email address, after normalise_email."""
    return blind_index(normalise_email(email), purpose="email")
