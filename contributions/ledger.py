"""Writing the ledger: each fact once, whatever the order or number of reports."""

import django.dispatch
from django.db import IntegrityError, transaction

from contributions.models import LedgerEntry

# Sent when an entry is written, inside the writing transaction: rollups listen to it.
entry_recorded = django.dispatch.Signal()


def record(
    *,
    contribution,
    kind: str,
    amount: int,
    occurred_at,
    source: str,
    reference: str,
    payment=None,
    staff_user=None,
) -> LedgerEntry | None:
    """Append one entry; None when (source, reference, kind) is already in the ledger."""
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                contribution=contribution,
                payment=payment,
                kind=kind,
                amount=amount,
                currency=contribution.currency,
                occurred_at=occurred_at,
                source=source,
                reference=reference,
                staff_user=staff_user,
            )
            # In the same transaction as the entry: rollups never miss one, nor count it twice.
            entry_recorded.send(sender=LedgerEntry, entry=entry)
    except IntegrityError:
        if not LedgerEntry.objects.filter(source=source, reference=reference, kind=kind).exists():
            raise
        return None
    return entry
