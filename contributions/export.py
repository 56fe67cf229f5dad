"""The ledger as CSV for accounting: one row per entry, no personal data unless asked."""

import csv
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from contributions.models import LedgerEntry
from contributions.money import Money
from readerfund.lib.spreadsheet import safe_row

COLUMNS = [
    "date",
    "contribution",
    "frequency",
    "kind",
    "amount",
    "currency",
    "provider",
    "provider_reference",
]
DONOR_COLUMNS = ["email", "name"]


def entries(since: date, until: date | None = None):
    """Entries from the start of `since` to the end of `until` (inclusive), in order."""
    zone = timezone.get_current_timezone()
    query = LedgerEntry.objects.filter(
        occurred_at__gte=datetime.combine(since, time.min, tzinfo=zone)
    )
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        query = query.filter(occurred_at__lt=end)
    return query.select_related("contribution__contributor").order_by("occurred_at", "pk")


def write_csv(out, since: date, until: date | None = None, *, with_donors: bool = False) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS + (DONOR_COLUMNS if with_donors else []))
    count = 0
    for entry in entries(since, until).iterator(chunk_size=2000):
        contribution = entry.contribution
        row = [
            timezone.localtime(entry.occurred_at).isoformat(),
            str(contribution.pk),
            contribution.frequency,
            entry.kind,
            str(Money(entry.amount, entry.currency).major),
            entry.currency,
            entry.source,
            entry.reference,
        ]
        if with_donors:
            contributor = contribution.contributor
            name = contribution.name or contributor.name
            row += [contributor.email, "" if contribution.anonymous else name or ""]
        writer.writerow(safe_row(row))
        count += 1
    return count
