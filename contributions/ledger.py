"""Writing the ledger: each fact once, whatever the order or number of reports.

`record_many` is the ledger's only writer, and `contributions.services.facts` its only
caller: every movement of money reaches the ledger as a fact applied there.
"""

import django.dispatch
from django.db import connection, transaction
from django.utils import timezone

from contributions.models import LedgerEntry
from readerfund.lib.sql import insert_new

# Sent with the list of entries just written, inside the writing transaction: rollups
# listen to it. Never sent for an entry that was already in the ledger.
entries_recorded = django.dispatch.Signal()

COLUMNS = [
    "kind",
    "contribution",
    "payment",
    "amount",
    "currency",
    "occurred_at",
    "source",
    "reference",
    "staff_user",
    "created_at",
]


@transaction.atomic(savepoint=False)
def record_many(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Append entries in one statement; return those written, in order, with their ids.

    An entry whose (source, reference, kind) is already in the ledger, or earlier in
    `entries`, is skipped: `INSERT … ON CONFLICT DO NOTHING RETURNING` lets the database
    decide, so two workers writing the same fact at once write it once, with no savepoint.
    """
    fresh, seen = [], set()
    for entry in entries:
        key = (entry.source, entry.reference, entry.kind)
        if key not in seen:
            seen.add(key)
            fresh.append(entry)
    if not fresh:
        return []
    now = timezone.now()
    for entry in fresh:
        entry.created_at = now
    new = insert_new(LedgerEntry, fresh, fields=COLUMNS, unique=["source", "reference", "kind"])
    ids = {(source, reference, kind): pk for pk, source, reference, kind in new}
    written = []
    for entry in fresh:
        pk = ids.get((entry.source, entry.reference, entry.kind))
        if pk is not None:
            entry.pk = pk
            entry._state.adding = False
            entry._state.db = connection.alias
            written.append(entry)
    if written:
        # In the same transaction as the entries: rollups never miss one, nor count it twice.
        entries_recorded.send(sender=LedgerEntry, entries=written)
    return written
