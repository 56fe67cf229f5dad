"""The figures of the funding gap, read from the rollups (never from the ledger).

Revenue is charges minus refunds and disputes, in the month the money moved; processing fees
are shown apart. Amounts in other currencies are converted per day and currency (the day's
total at that day's rate, or the latest earlier one, rounded half to even); what has no rate
is left out of the converted figures and listed in `unconverted`, so it is seen, not zeroed.

MRR, monthly recurring revenue, is read from the ledger too: the monthly contributions
charged in the month plus a twelfth of the annual ones charged in the twelve months to its
end, which is what the active recurring contributions bring in. For the current month the
window is the month up to today (`mrr_window`), so the figure does not drop on the 1st.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from contributions.models import Contribution, Frequency, Payment
from contributions.money import Money
from funding.models import (
    DailyRevenue,
    FundingSettings,
    MonthlyCost,
    SupporterCount,
    base_currency,
)
from funding.rates import RateBook, divide_half_even
from readerfund.lib import dates


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first of the month `count` months after `month`'s."""
    return dates.add_months(month.replace(day=1), count)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def parse_month(text: str) -> date:
    """'2026-11' → date(2026, 11, 1); ValueError otherwise."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(f"{text!r} is not a month: use YYYY-MM")
    return date(int(year), int(month), 1)


@dataclass
class Unconverted:
    """Money with no exchange rate on or before the days it was paid."""

    currency: str
    amount: int = 0
    first_day: date | None = None
    last_day: date | None = None

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def add(self, amount: int, day: date) -> None:
        self.amount += amount
        self.first_day = min(self.first_day or day, day)
        self.last_day = max(self.last_day or day, day)


@dataclass
class MonthFigures:
    month: date
    currency: str
    charges: int = 0
    refunds: int = 0
    disputes: int = 0
    fees: int = 0
    charge_count: int = 0
    new_recurring: int = 0
    lapsed: int = 0
    supporters: int = 0
    mrr: int | None = None
    cost: int = 0
    by_frequency: dict = field(default_factory=dict)  # frequency → revenue (base)
    by_currency: dict = field(default_factory=dict)  # currency → revenue in that currency
    unconverted: dict = field(default_factory=dict)  # currency → Unconverted

    @property
    def revenue(self) -> int:
        return self.charges + self.refunds + self.disputes

    @property
    def gap(self) -> int:
        return max(self.cost - self.revenue, 0)

    @property
    def percent(self) -> int | None:
        """Percent of the cost raised, rounded down (it says 100 only once the gap is
        closed); None when the month has no cost."""
        if not self.cost:
            return None
        return max(self.revenue, 0) * 100 // self.cost

    @property
    def complete(self) -> bool:
        return not self.unconverted

    def money(self, amount: int | None) -> Money | None:
        return None if amount is None else Money(amount, self.currency)


def monthly_figures(first: date, last: date, *, today: date | None = None, detail=True):
    """The figures of each month from `first` to `last` (first days of months), oldest
    first. `detail` adds MRR and lapsed contributions (the dashboard, the CLI, the CSV)."""
    today = today or timezone.localdate()
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    figures = {month: MonthFigures(month, base_currency()) for month in months}
    since = add_months(first, -12) if detail else first
    # Before `first`, the twelve months of annual gifts and the days of monthly ones that
    # the first month's MRR window reaches (the current month's starts in the one before).
    monthly_since = mrr_window(first, today)[0] if detail else first
    shown = (
        Q(day__gte=first)
        | Q(day__gte=since, frequency=Frequency.ANNUAL)
        | Q(day__gte=monthly_since, frequency=Frequency.MONTHLY)
    )
    rows = list(
        DailyRevenue.objects.filter(shown, day__lte=month_end(last)).values_list(
            "day",
            "currency",
            "frequency",
            "charges",
            "charge_count",
            "refunds",
            "disputes",
            "fees",
            "new_recurring",
        )  # fmt: skip
    )
    book = RateBook({row[1] for row in rows}, until=month_end(last), since=since)
    converted = [_convert_row(book, row) for row in rows]
    for row, values in zip(rows, converted, strict=True):
        month = figures.get(month_start(row[0]))
        if month is not None:
            _add_row(month, row, values)
    _add_costs(figures, first, last)
    _add_supporters(figures, first, last)
    if detail:
        _add_mrr(figures, rows, converted, today)
        _add_lapsed(figures, first, last)
    return list(figures.values())


def month_figures(month: date, *, today: date | None = None, detail=True) -> MonthFigures:
    """One month's figures, the same as that month's among `monthly_figures` of any range:
    what `readerfund funding`, the dashboard, its CSV and /funding.json all show."""
    return monthly_figures(month, month, today=today, detail=detail)[0]


def _convert_row(book: RateBook, row):
    day, currency = row[0], row[1]
    return [book.convert(amount, currency, day) for amount in (row[3], row[5], row[6], row[7])]


def _add_row(month: MonthFigures, row, values) -> None:
    day, currency, frequency, charges, count, refunds, disputes, fees, new = row
    month.charge_count += count
    month.new_recurring += new
    month.by_currency[currency] = month.by_currency.get(currency, 0) + charges + refunds + disputes
    if None in values:
        missing = month.unconverted.setdefault(currency, Unconverted(currency))
        missing.add(charges + refunds + disputes, day)
        return
    month.charges += values[0]
    month.refunds += values[1]
    month.disputes += values[2]
    month.fees += values[3]
    month.by_frequency[frequency] = month.by_frequency.get(frequency, 0) + sum(values[:3])


def mrr_window(month: date, today: date) -> tuple[date, date]:
    """The days whose monthly charges make a month's MRR: the calendar month, or for the
    current month the month to today (from the day after the same day a month earlier)."""
    if month_start(today) == month:
        earlier = add_months(month, -1)
        start = min(earlier.replace(day=1) + timedelta(days=today.day), month)
        return start, today
    return month, month_end(month)


def _add_mrr(figures, rows, converted, today: date) -> None:
    monthly, annual = defaultdict(int), defaultdict(int)
    for row, values in zip(rows, converted, strict=True):
        if values[0] is not None:
            sums = {Frequency.MONTHLY: monthly, Frequency.ANNUAL: annual}.get(row[2])
            if sums is not None:
                sums[month_start(row[0])] += values[0]
    for month in figures.values():
        start, end = mrr_window(month.month, today)
        last_year = sum(annual[add_months(month.month, -back)] for back in range(12))
        if start == month.month:
            in_month = monthly[month.month]
        else:  # the current month: the window reaches into the previous one
            in_month = sum(
                values[0]
                for row, values in zip(rows, converted, strict=True)
                if row[2] == Frequency.MONTHLY and values[0] is not None and start <= row[0] <= end
            )
        month.mrr = in_month + divide_half_even(last_year, 12)


def month_cost(month: date, costs: list[MonthlyCost]) -> int:
    """The month's cost: each day at the cost in effect that day, over the days of the
    month (a cost that starts on the 16th counts for half of a 30-day month), half even."""
    days = (month_end(month) - month).days + 1
    total = 0
    for offset in range(days):
        day = month + timedelta(days=offset)
        effective = [cost.amount for cost in costs if cost.effective_from <= day]
        total += effective[-1] if effective else 0
    return divide_half_even(total, days)


def _add_costs(figures, first, last) -> None:
    costs = list(MonthlyCost.objects.filter(effective_from__lte=month_end(last)))
    # Only the last cost before `first` matters for the months shown.
    earlier = [cost for cost in costs if cost.effective_from <= first]
    costs = earlier[-1:] + [cost for cost in costs if cost.effective_from > first]
    for month in figures.values():
        month.cost = month_cost(month.month, costs)


def _add_supporters(figures, first, last) -> None:
    counts = SupporterCount.objects.filter(month__gte=first, month__lte=last)
    for month, count in counts.values_list("month", "count"):
        figures[month].supporters = count


def _add_lapsed(figures, first, last) -> None:
    """Recurring contributions now lapsed, by the month their unpaid period was due.

    A lapse is a status, not a ledger entry: read from the contributions' status index."""
    lapsed = (
        Payment.objects.filter(
            contribution__status=Contribution.Status.LAPSED,
            status=Payment.Status.FAILED,
            period__gt=0,
            due_on__gte=first,
            due_on__lte=month_end(last),
        )
        .annotate(month=TruncMonth("due_on"))
        .values("month")
        .annotate(count=Count("contribution_id", distinct=True))
        .order_by()
    )
    for row in lapsed:
        figures[row["month"]].lapsed = row["count"]


def this_month(today: date | None = None) -> MonthFigures:
    today = today or timezone.localdate()
    return month_figures(month_start(today), today=today, detail=False)


def public_figures(today: date | None = None) -> dict:
    """What /funding.json says: this month's cost, raised, percent and supporters in minor
    units of the base currency, or only the percent when staff chose not to disclose
    totals. `complete` is false while some money waits for an exchange rate."""
    figures = this_month(today)
    data = {
        "month": figures.month.strftime("%Y-%m"),
        "currency": figures.currency,
        "percent": figures.percent,
        "complete": figures.complete,
    }
    if FundingSettings.load().disclosure == FundingSettings.Disclosure.TOTALS:
        data |= {
            "cost": figures.cost,
            "raised": figures.revenue,
            "supporters": figures.supporters,
        }
    return data


def by_frequency(months: list[MonthFigures]) -> dict:
    totals = defaultdict(int)
    for month in months:
        for frequency, amount in month.by_frequency.items():
            totals[frequency] += amount
    return dict(totals)


def by_currency(months: list[MonthFigures]) -> dict:
    totals = defaultdict(int)
    for month in months:
        for currency, amount in month.by_currency.items():
            totals[currency] += amount
    return dict(totals)


def unconverted(months: list[MonthFigures]) -> list[Unconverted]:
    merged: dict[str, Unconverted] = {}
    for month in months:
        for currency, missing in month.unconverted.items():
            total = merged.setdefault(currency, Unconverted(currency))
            total.add(missing.amount, missing.first_day)
            total.add(0, missing.last_day)
    return sorted(merged.values(), key=lambda missing: missing.currency)
