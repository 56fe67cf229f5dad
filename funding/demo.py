"""A believable two years of reader revenue for the demo newsroom (The Northern Ledger).

Real rows (contributors, contributions, payments, ledger entries, daily exchange rates, the
$10,000 a month the ad-free commitment costs since 1 July 2024), in USD, EUR and GBP, with
refunds, disputes and lapsed monthly gifts. History is bulk-created (thousands of entries in
a second or two) and the rollups rebuilt once. Loading twice changes nothing: the demo's
ledger entries (source "demo") are looked for first.

Demo recurring contributions have no next payment date, so the renewal worker never tries to
charge them.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contributions.models import Contribution, Contributor, LedgerEntry, Payment
from contributions.schedule import next_period
from funding import rollups
from funding.models import ExchangeRate, FundingSettings, MonthlyCost
from funding.services import add_months, month_start
from privacy.crypto import email_index

SOURCE = "demo"
ADS_OFF = date(2024, 7, 1)
MONTHLY_COST = 10_000  # major units of the base currency
# What one unit is worth in US dollars when the history starts, and how much it wanders.
START_VALUE = {"USD": Decimal(1), "EUR": Decimal("1.0850"), "GBP": Decimal("1.2700")}
CURRENCIES = [("USD", 55), ("EUR", 30), ("GBP", 15)]
AMOUNTS = {
    "monthly": [(500, 30), (1000, 45), (2000, 20), (5000, 5)],
    "annual": [(5000, 40), (10000, 45), (25000, 15)],
    "once": [(1000, 25), (2500, 35), (5000, 25), (10000, 12), (50000, 3)],
}
FEE_BP, FEE_FIXED = 290, 30


@transaction.atomic
def load(today: date | None = None) -> dict:
    """Create what is missing of the demo's funding history; return counts of what was made."""
    today = today or timezone.localdate()
    created = {"costs": _cost(), "rates": 0, "contributions": 0, "entries": 0}
    _settings()
    if LedgerEntry.objects.filter(source=SOURCE).exists():
        return created
    rng = random.Random(2024)  # the same history every time
    # From the month ads went off (or two years back, whichever is earlier).
    first = min(month_start(ADS_OFF), add_months(month_start(today), -23))
    created["rates"] = _rates(rng, first - timedelta(days=7), today)
    created |= History(rng, first, today).write()
    rollups.rebuild()
    return created


def _cost() -> int:
    _, made = MonthlyCost.objects.get_or_create(
        effective_from=ADS_OFF,
        defaults={
            "amount": MONTHLY_COST * 100,
            "note": "The ad-free commitment: the revenue ads brought in",
        },
    )
    return int(made)


def _settings() -> None:
    funding = FundingSettings.load()
    if funding.ads_off_since is None:
        funding.ads_off_since = ADS_OFF
        funding.save()


def _rates(rng: random.Random, since: date, until: date) -> int:
    """Daily rates on working days, as the ECB publishes them: a gentle random walk."""
    base = settings.READERFUND_BASE_CURRENCY
    values = dict(START_VALUE)
    rows, day = [], since
    while day <= until:
        if day.weekday() < 5:
            for code in ("EUR", "GBP"):
                step = Decimal(rng.randint(-40, 40)) / 10000
                values[code] = (values[code] * (1 + step / 10)).quantize(Decimal("0.0001"))
            in_base = values.get(base)
            for code, value in values.items():
                if code != base and in_base:
                    rate = (value / in_base).quantize(Decimal("0.000001"))
                    rows.append(ExchangeRate(day=day, currency=code, rate=rate, source=SOURCE))
        day += timedelta(days=1)
    made = ExchangeRate.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(made)


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


class History:
    """Two years of giving, month by month: new monthly and annual supporters (more after
    ads went off and around December), one-off gifts, lapses, refunds and disputes."""

    def __init__(self, rng, first: date, today: date):
        self.rng, self.first, self.today = rng, first, today
        self.now = timezone.now()
        self.contributors, self.contributions = [], []
        self.payments, self.entries = [], []  # (payment, [entries]) built before saving

    def write(self) -> dict:
        month, number = self.first, 0
        while month <= self.today:
            for frequency, count in self._arrivals(month, number).items():
                for _ in range(count):
                    self._contribution(frequency, self._day_in(month))
            month, number = add_months(month, 1), number + 1
        return self._save()

    def _arrivals(self, month: date, number: int) -> dict:
        season = 3 if month.month == 12 else 1
        boost = 2 if month_start(ADS_OFF) <= month < add_months(month_start(ADS_OFF), 2) else 1
        return {
            "monthly": (10 + number * 2 // 3) * boost + self.rng.randint(0, 6),
            "annual": 3 * season + self.rng.randint(0, 3),
            "once": (40 + number) * season * boost // 2 + self.rng.randint(0, 15),
        }

    def _day_in(self, month: date) -> date:
        last = (add_months(month, 1) - timedelta(days=1)).day
        if month == month_start(self.today):
            last = self.today.day
        return month.replace(day=self.rng.randint(1, last))

    def _contribution(self, frequency: str, start: date) -> None:
        number = len(self.contributions) + 1
        email = f"reader{number:05d}@example.org"
        contributor = Contributor(email=email, email_index=email_index(email))
        contributor.name = f"Demo Reader {number}" if self.rng.random() < 0.6 else None
        contribution = Contribution(
            contributor=contributor,
            frequency=frequency,
            amount=_pick(self.rng, AMOUNTS[frequency]),
            currency=_pick(self.rng, CURRENCIES),
            anonymous=self.rng.random() < 0.1,
            provider="stripe",
            payment_method=f"demo_pm_{number:05d}",
            appeal=self.rng.choice(["modal", "header", "letter", ""]),
            status="paid" if frequency == "once" else "active",
        )
        contribution.created_at = self._moment(start)
        self.contributors.append(contributor)
        self.contributions.append(contribution)
        self._periods(contribution, start, number)

    def _moment(self, day: date) -> datetime:
        moment = datetime.combine(day, time(self.rng.randint(6, 22), self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), self.now)

    def _periods(self, contribution, start: date, number: int) -> None:
        churn = {"monthly": 0.04, "annual": 0.15, "once": 0}[contribution.frequency]
        due, period = start, 0
        while due <= self.today:
            if period and self.rng.random() < churn:
                self._stop(contribution, due, period)
                return
            self._paid(contribution, due, period, f"demo_pi_{number:05d}_{period:03d}")
            if contribution.frequency == "once":
                return
            due, period = next_period(due, contribution.frequency, start), period + 1

    def _stop(self, contribution, due: date, period: int) -> None:
        if self.rng.random() < 0.3:  # the reader cancelled
            contribution.status = Contribution.Status.CANCELLED
            return
        contribution.status = Contribution.Status.LAPSED
        payment = Payment(
            contribution=contribution,
            period=period,
            due_on=due,
            amount=contribution.per_period.amount,
            currency=contribution.currency,
            status=Payment.Status.FAILED,
            attempts=4,
            claimed_at=self._moment(min(due + timedelta(days=11), self.today)),
            failure_code="card_declined",
        )
        self.payments.append((payment, []))

    def _paid(self, contribution, due: date, period: int, reference: str) -> None:
        when = self._moment(due)
        payment = Payment(
            contribution=contribution,
            period=period,
            due_on=due,
            amount=contribution.per_period.amount,
            currency=contribution.currency,
            status=Payment.Status.SUCCEEDED,
            claimed_at=when,
            provider_reference=reference,
            receipt_sent_at=when,
        )
        amount = payment.amount
        fee = (amount * FEE_BP + 5000) // 10000 + FEE_FIXED
        entries = [
            self._entry(contribution, "charge", amount, when, reference),
            self._entry(contribution, "fee", -fee, when, reference),
        ]
        chance = self.rng.random()
        later = min(when + timedelta(days=self.rng.randint(1, 20)), self.now)
        if chance < 0.006:
            entries.append(self._entry(contribution, "refund", -amount, later, f"{reference}_re"))
        elif chance < 0.008:
            entries.append(self._entry(contribution, "dispute", -amount, later, f"{reference}_dp"))
            contribution.disputed = True
        self.payments.append((payment, entries))

    def _entry(self, contribution, kind, amount, when, reference) -> LedgerEntry:
        return LedgerEntry(
            contribution=contribution,
            kind=kind,
            amount=amount,
            currency=contribution.currency,
            occurred_at=when,
            source=SOURCE,
            reference=reference,
        )

    def _save(self) -> dict:
        Contributor.objects.bulk_create(self.contributors, batch_size=1000)
        for contribution in self.contributions:
            contribution.contributor = contribution.contributor  # the saved pk
        created_at = {id(c): c.created_at for c in self.contributions}
        Contribution.objects.bulk_create(self.contributions, batch_size=1000)
        for contribution in self.contributions:
            contribution.created_at = created_at[id(contribution)]
        Contribution.objects.bulk_update(self.contributions, ["created_at"], batch_size=1000)
        payments = [payment for payment, _ in self.payments]
        for payment in payments:
            payment.contribution = payment.contribution
        Payment.objects.bulk_create(payments, batch_size=1000)
        entries = []
        for payment, made in self.payments:
            for entry in made:
                entry.contribution, entry.payment = entry.contribution, payment
                entries.append(entry)
        LedgerEntry.objects.bulk_create(entries, batch_size=1000)
        return {"contributions": len(self.contributions), "entries": len(entries)}
