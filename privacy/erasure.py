"""Erasure on request: everything held about one email address, in every app, at once.

Each app that keeps personal data registers an eraser here by dotted path (loaded lazily,
so privacy imports no app above it). An eraser takes the address's blind index and returns
counts; it must be safe to run twice.
"""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

from privacy import audit
from privacy.crypto import email_index

log = logging.getLogger(__name__)

# Reminders first: they are found by the address's own index, which the contributor's
# erasure replaces.
ERASERS = {
    "reminders": "reminders.erasure.erase_reminders",
    "contributions": "contributions.manage.erase_contributors",
    "outbox": "privacy.outbox.erase_outbox",
}


def erase(index: str, *, via: str = audit.Via.COMMAND, actor=None) -> dict[str, int]:
    """Run every eraser for the email blind index `index`, in one transaction; the counts.
    The audit log keeps that it happened, how, and the counts (never the address)."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for path in ERASERS.values():
            counts.update(import_string(path)(index))
        if any(counts.values()):
            audit.record(audit.Action.ERASURE, via=via, actor=actor, **counts)
    log.info("erasure done: %s", counts)  # counts only: never the address or its index
    return counts


def erase_email(email: str, **how) -> dict[str, int]:
    """erase() for an address as typed (it is normalised first)."""
    return erase(email_index(email), **how)
