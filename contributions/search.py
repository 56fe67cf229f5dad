"""What staff type into the contributions' search box, as a filter.

An email is found through its blind index (the stored address is encrypted, so it can only be
compared whole, after the same normalisation); anything else is taken as the first characters
of a contribution's id, with or without hyphens, in any case.
"""

import re

from django.db.models import Q

from privacy.crypto import email_index

NOTHING = Q(pk__in=[])


def matching(query: str) -> Q:
    query = query.strip()
    if "@" in query:
        return Q(contributor__email_index=email_index(query))
    digits = query.replace("-", "").lower()
    if not digits or not re.fullmatch(r"[0-9a-f]{1,32}", digits):
        return NOTHING
    return Q(id__startswith=_hyphenated(digits))


def _hyphenated(digits: str) -> str:
    """'3f2a1b2c4d' → '3f2a1b2c-4d', as a UUID is written (PostgreSQL compares that text;
    SQLite stores the digits alone and Django strips the hyphens for it)."""
    parts, start = [], 0
    for end in (8, 12, 16, 20, 32):
        if len(digits) > start:
            parts.append(digits[start:end])
        start = end
    return "-".join(parts)
