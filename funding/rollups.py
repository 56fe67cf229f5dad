"""Rollups: the ledger summed per day, currency and frequency, and who gave each month.

`on_entries_recorded` keeps them as entries are written (contributions.ledger sends the
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
SUMS = ["charges", "charge_count", "refunds", "disputes", "fees", "new_recurring"]


def on_entries_recorded(sender, entries, **kwargs):
    # Sent inside the ledger's own transaction: no savepoint of its own is needed.
    with transaction.atomic(savepoint=False):
        add_entries(entries)


def add_entries(entries: list[LedgerEntry]) -> None:
    """Add ledger entries to the rollups: one upsert per table, however many entries (a
    drain writes a hundred at a time). Rows are written in key order, so two workers
    folding at once never wait on each other in a cycle."""
    days: dict[tuple, dict[str, int]] = {}
    supporters: set[tuple] = set()
    for entry in entries:
        day = timezone.localdate(entry.occurred_at)
        key = (day, entry.currency, entry.contribution.frequency)
        sums = days.setdefault(key, dict.fromkeys(SUMS, 0))
        sums[COLUMNS[entry.kind]] += entry.amount
        if entry.kind == LedgerEntry.Kind.CHARGE:
            sums["charge_count"] += 1
            sums["new_recurring"] += _starts_recurring(entry)
            supporters.add((day.replace(day=1), entry.contribution.contributor_id))
    _upsert_days(days)
    if supporters:
        _add_supporters(sorted(supporters))


def _upsert_days(days: dict[tuple, dict[str, int]]) -> None:
    table = DailyRevenue._meta.db_table
    rows = ", ".join(["(%s, %s, %s" + ", %s" * len(SUMS) + ")"] * len(days))
    params = []
    for (day, currency, frequency), sums in sorted(days.items()):
        params += [_date(day), currency, frequency, *(sums[name] for name in SUMS)]
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in SUMS)
    sql = f"INSERT INTO {table} (day, currency, frequency, {', '.join(SUMS)}) VALUES {rows} "  # noqa: S608
    _execute(sql + f"ON CONFLICT (day, currency, frequency) DO UPDATE SET {added}", params)


def _add_supporters(supporters: list[tuple]) -> None:
    """Each (month, contributor) once; a month's count grows by the rows actually new."""
    rows = ", ".join(["(%s, %s)"] * len(supporters))
    params = [value for month, contributor in supporters for value in (_date(month), contributor)]
    new = _execute(
        f"INSERT INTO {Supporter._meta.db_table} (month, contributor_id) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (month, contributor_id) DO NOTHING RETURNING month",
        params,
        fetch=True,
    )
    counts: dict = {}
    for (month,) in new:
        month = DateField().to_python(month)  # SQLite hands back a string
        counts[month] = counts.get(month, 0) + 1
    if not counts:
        return
    table = SupporterCount._meta.db_table
    rows = ", ".join(["(%s, %s)"] * len(counts))
    _execute(
        f"INSERT INTO {table} (month, count) VALUES {rows} "  # noqa: S608
        f"ON CONFLICT (month) DO UPDATE SET count = {table}.count + excluded.count",
        [value for month, count in sorted(counts.items()) for value in (_date(month), count)],
    )


def _date(day):
    return connection.ops.adapt_datefield_value(day)


def _execute(sql: str, params: list, *, fetch: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else None


def _starts_recurring(entry: LedgerEntry) -> bool:
    return (
        entry.contribution.frequency != Frequency.ONCE
        and entry.payment_id is not None
        and entry.payment.period == 0
    )


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
