"""Email addresses as the apps compare them."""

import unicodedata


def normalise_email(email: str) -> str:
    """The form of an address that identifies one person: trimmed, NFC, lower-cased.

    The whole address is lower-cased, the local part too. RFC 5321 lets a mail server tell
    Anna@ from anna@, but none in use does, and readers type either: one person must be one
    contributor (one receipt history, one unsubscribe), so both give one blind index.
    Provider quirks (dots and +tags at Gmail) are left alone: those are distinct addresses.
    """
    return unicodedata.normalize("NFC", email.strip()).lower()
