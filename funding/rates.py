"""Exchange rates: converting minor units into the base currency, and the ECB CSV import.

A rate says how many units of the base currency one unit of another currency is worth on a
day. An amount paid on a day is converted at that day's rate, or the latest earlier one;
with no rate at all it is not converted and the caller reports it (never a silent zero).
Converted amounts are whole minor units, rounded half to even (banker's rounding), so
rounding errors do not lean one way over many days.
"""

import bisect
import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext

from django.db import transaction

from contributions.money import exponent
from funding.models import ExchangeRate, base_currency

RATE_PLACES = Decimal("1e-12")  # the column's precision


class RateError(ValueError):
    """A rates file that cannot be read: the message says which line and why."""


def divide_half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator as an int, rounded half to even."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def convert(amount: int, currency: str, rate: Decimal, base: str) -> int:
    """Minor units of `currency` → minor units of `base` at `rate` (base units per unit)."""
    with localcontext() as context:
        context.prec = 60
        value = Decimal(amount) * rate * Decimal(10) ** (exponent(base) - exponent(currency))
        return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))


class RateBook:
    """The rates of some currencies, loaded once, answering "the rate on or before a day"."""

    def __init__(self, currencies, until: date, since: date | None = None):
        self.base = base_currency()
        self._days: dict[str, list[date]] = defaultdict(list)
        self._rates: dict[str, list[Decimal]] = defaultdict(list)
        self._ratios: dict[tuple[str, date], tuple[int, int] | None] = {}
        wanted = sorted(set(currencies) - {self.base})
        if not wanted:
            return
        query = ExchangeRate.objects.filter(currency__in=wanted, day__lte=until)
        if since:
            # Rates are published most working days: a fortnight before `since` nearly always
            # holds the rate in force on it, in the same query.
            query = query.filter(day__gte=since - timedelta(days=14))
        for code, day, rate in query.order_by("day").values_list("currency", "day", "rate"):
            self._add(code, day, rate)
        for code in wanted:
            if since and not (self._days[code] and self._days[code][0] <= since):
                self._prepend_earlier(code, since)

    def _prepend_earlier(self, code: str, since: date) -> None:
        first = self._days[code][0] if self._days[code] else since
        found = (
            ExchangeRate.objects.filter(currency=code, day__lt=first)
            .order_by("-day")
            .values_list("day", "rate")
            .first()
        )
        if found:
            self._days[code].insert(0, found[0])
            self._rates[code].insert(0, found[1])

    def _add(self, code: str, day: date, rate: Decimal) -> None:
        self._days[code].append(day)
        self._rates[code].append(rate)

    def rate(self, currency: str, day: date) -> Decimal | None:
        if currency == self.base:
            return Decimal(1)
        days = self._days.get(currency, [])
        at = bisect.bisect_right(days, day)
        return self._rates[currency][at - 1] if at else None

    def convert(self, amount: int, currency: str, day: date) -> int | None:
        """The amount in the base currency, or None when no rate is known on or before day.

        The same result as `convert`, in integer arithmetic on the rate's exact fraction
        (thousands of day rows per dashboard: Decimal contexts cost more than the query)."""
        if currency == self.base:
            return amount
        ratio = self._ratio(currency, day)
        if ratio is None:
            return None
        numerator, denominator = ratio
        return divide_half_even(amount * numerator, denominator) if amount else 0

    def _ratio(self, currency: str, day: date) -> tuple[int, int] | None:
        key = (currency, day)
        if key not in self._ratios:
            rate = self.rate(currency, day)
            if rate is None:
                self._ratios[key] = None
            else:
                numerator, denominator = rate.as_integer_ratio()
                shift = exponent(self.base) - exponent(currency)
                if shift >= 0:
                    numerator *= 10**shift
                else:
                    denominator *= 10**-shift
                self._ratios[key] = (numerator, denominator)
        return self._ratios[key]


def parse_ecb_csv(text: str) -> dict[date, dict[str, Decimal]]:
    """The ECB's reference-rate CSV (`Date,USD,JPY,…` with rates per euro, `N/A` when none)
    → {day: {currency: units per euro}}, EUR included as 1."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or header[0].strip() != "Date":
        raise RateError("the first line must start with 'Date' (the ECB format)")
    codes = [code.strip().upper() for code in header[1:]]
    days = {}
    for number, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise RateError(f"line {number}: {row[0]!r} is not a date (YYYY-MM-DD)") from None
        days[day] = {"EUR": Decimal(1)} | _rates_of_row(codes, row[1:], number)
    return days


def _rates_of_row(codes, cells, number) -> dict[str, Decimal]:
    rates = {}
    for code, cell in zip(codes, cells, strict=False):
        cell = cell.strip()
        if not code or not cell or cell.upper() == "N/A":
            continue
        try:
            rate = Decimal(cell)
        except InvalidOperation:
            raise RateError(f"line {number}: {code} {cell!r} is not a number") from None
        if not rate.is_finite() or rate <= 0:
            raise RateError(f"line {number}: {code} {cell!r} is not a positive rate")
        rates[code] = rate
    return rates


def base_rates(per_euro: dict[str, Decimal], base: str, wanted=None) -> dict[str, Decimal]:
    """Rates per euro → base units per unit of each currency (the base itself left out)."""
    if base not in per_euro:
        return {}
    with localcontext() as context:
        context.prec = 40
        return {
            code: (per_euro[base] / rate).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)
            for code, rate in per_euro.items()
            if code != base and (wanted is None or code in wanted)
        }


@transaction.atomic
def import_ecb_csv(text: str, *, currencies=None, source: str = "ecb") -> dict:
    """Store the rates of an ECB CSV in the base currency; a day already stored is replaced.

    `currencies` limits the import (the ECB file has ~30). Returns counts: days, rates, and
    days skipped because the file has no rate for the base currency on them.
    """
    base = base_currency()
    wanted = set(currencies) if currencies else None
    rows, skipped = [], 0
    for day, per_euro in parse_ecb_csv(text).items():
        converted = base_rates(per_euro, base, wanted)
        if base not in per_euro:
            skipped += 1
        rows += [
            ExchangeRate(day=day, currency=code, rate=rate, source=source)
            for code, rate in converted.items()
        ]
    ExchangeRate.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["currency", "day"],
        update_fields=["rate", "source"],
    )
    return {"days": len({row.day for row in rows}), "rates": len(rows), "skipped": skipped}
