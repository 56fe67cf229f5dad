"""Rollups: the ledger summed per day, currency and frequency, and who gave each month.

`on_entry_recorded` keeps them as entries are written (contributions.ledger sends the
signal in the writing transaction); `rebuild` recomputes them from the whole ledger. Both
must agree: tests/funding/test_rollups.py checks it after arbitrary sequences of entries.
Days and months are the newsroom's local ones (settings.TIME_ZONE).
"""

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from contributions.models import Frequency, LedgerEntry
from funding.models import DailyRevenue, Supporter, SupporterCount

COLUMNS = {
    LedgerEntry.Kind.CHARGE: "charges",
    LedgerEntry.Kind.REFUND: "refunds",
    LedgerEntry.Kind.DISPUTE: "disputes",
    LedgerEntry.Kind.FEE: "fees",
}


def on_entry_recorded(sender, entry, **kwargs):
    # Sent inside the ledger's own transaction: no savepoint of its own is needed.
    with transaction.atomic(savepoint=False):
        add_entry(entry)


def add_entry(entry: LedgerEntry) -> None:
    """Add one ledger entry to the rollups."""
    contribution = entry.contribution
    day = timezone.localdate(entry.occurred_at)
    column = COLUMNS[entry.kind]
    updates = {column: F(column) + entry.amount}
    if entry.kind == LedgerEntry.Kind.CHARGE:
        updates["charge_count"] = F("charge_count") + 1
        if _starts_recurring(entry):
            updates["new_recurring"] = F("new_recurring") + 1
    key = {"day": day, "currency": entry.currency, "frequency": contribution.frequency}
    # Most entries land on a day that already has its row: one UPDATE, no SELECT.
    if not DailyRevenue.objects.filter(**key).update(**updates):
        row, _ = DailyRevenue.objects.get_or_create(**key)
        DailyRevenue.objects.filter(pk=row.pk).update(**updates)
    if entry.kind == LedgerEntry.Kind.CHARGE:
        _add_supporter(day.replace(day=1), contribution.contributor_id)


def _starts_recurring(entry: LedgerEntry) -> bool:
    return (
        entry.contribution.frequency != Frequency.ONCE
        and entry.payment_id is not None
        and entry.payment.period == 0
    )


def _add_supporter(month, contributor_id) -> None:
    _, created = Supporter.objects.get_or_create(month=month, contributor_id=contributor_id)
    if created:
        counter, _ = SupporterCount.objects.get_or_create(month=month)
        SupporterCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)


@transaction.atomic
def rebuild() -> dict:
    """Recompute every rollup from the ledger, in one transaction (readers see the old
    figures until it commits). Returns row counts."""
    DailyRevenue.objects.all().delete()
    SupporterCount.objects.all().delete()
    Supporter.objects.all().delete()
    _insert_select(DailyRevenue, _daily_query())
    _insert_select(Supporter, _supporter_query())
    _insert_select(
        SupporterCount, Supporter.objects.values("month").annotate(count=Count("pk")).order_by()
    )
    return {
        "days": DailyRevenue.objects.count(),
        "supporters": Supporter.objects.count(),
        "months": SupporterCount.objects.count(),
    }


def _sum_of(kind):
    return Coalesce(Sum("amount", filter=Q(kind=kind)), Value(0))


def _daily_query():
    starts = Q(kind=LedgerEntry.Kind.CHARGE, payment__period=0) & ~Q(
        contribution__frequency=Frequency.ONCE
    )
    return (
        LedgerEntry.objects.annotate(day=TruncDate("occurred_at"))
        .values("day", "currency", frequency=F("contribution__frequency"))
        .annotate(
            charges=_sum_of(LedgerEntry.Kind.CHARGE),
            charge_count=Count("pk", filter=Q(kind=LedgerEntry.Kind.CHARGE)),
            refunds=_sum_of(LedgerEntry.Kind.REFUND),
            disputes=_sum_of(LedgerEntry.Kind.DISPUTE),
            fees=_sum_of(LedgerEntry.Kind.FEE),
            new_recurring=Count("pk", filter=starts),
        )
        .order_by()
    )


def _supporter_query():
    return (
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.CHARGE)
        .annotate(month=TruncMonth("occurred_at", output_field=DateField()))
        .values("month", contributor_id=F("contribution__contributor_id"))
        .distinct()
        .order_by()
    )


def _insert_select(model, query) -> None:
    """INSERT INTO model (columns) SELECT …: the database does the work, with no rows
    travelling through Python (a million ledger entries take seconds, not minutes)."""
    compiler = query.query.get_compiler(connection=connection)
    select, params = compiler.as_sql()
    columns = [alias for _expression, _sql, alias in compiler.select]
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {select}", params)  # noqa: S608
