from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from funding.models import ExchangeRate, MonthlyCost
from tests.contributions.factories import (
    make_contribution,
    make_contributor,
    make_payment,
    record_entry,
)

TODAY = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """The middle of November 2026, for every test that reads "this month"."""
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def monthly_cost(db):
    return MonthlyCost.objects.create(effective_from=date(2024, 7, 1), amount=1_000_000)


@pytest.fixture
def euro_rate(db):
    """1 EUR = 1.10 USD from 1 October 2026."""
    return ExchangeRate.objects.create(day=date(2026, 10, 1), currency="EUR", rate=Decimal("1.1"))


class Giving:
    """Builds contributions and writes their ledger entries through contributions.ledger,
    so the rollups' signal fires as it does for real payments."""

    def __init__(self):
        self.count = 0

    def charge(self, amount=1000, *, currency="USD", frequency="once", when=TODAY, period=0,
               contributor=None, contribution=None):  # fmt: skip
        self.count += 1
        if contribution is None:
            contributor = contributor or make_contributor(f"reader{self.count}@example.org")
            contribution = make_contribution(
                contributor, frequency=frequency, amount=amount, currency=currency
            )
        payment = make_payment(contribution, period=period, status="succeeded")
        record_entry(
            contribution=contribution, payment=payment, kind="charge", amount=amount,
            occurred_at=when, source="stripe", reference=f"pi_{self.count}",
        )  # fmt: skip
        return contribution

    def entry(self, contribution, kind, amount, when=TODAY):
        self.count += 1
        return record_entry(
            contribution=contribution, kind=kind, amount=amount, occurred_at=when,
            source="stripe", reference=f"{kind}_{self.count}",
        )  # fmt: skip


@pytest.fixture
def giving(db):
    return Giving()
