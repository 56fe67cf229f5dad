"""What a donor is shown of the money they gave: their payments with a receipt each, and a
yearly statement (totals per year and currency).

Read from the ledger, which is the truth: a payment's date is when its charge was recorded,
and a statement's totals are sums of the donor's ledger entries in that year (charges,
less what went back by refund or dispute; the provider's fees are the newsroom's cost and
not the donor's business). Nothing here names the donor: receipts carry the amount, the
date, the receipt number and the newsroom's legal name.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from contributions.models import Contributor, LedgerEntry, Payment
from contributions.money import Money

GIVEN = [LedgerEntry.Kind.CHARGE]
RETURNED = [LedgerEntry.Kind.REFUND, LedgerEntry.Kind.DISPUTE]


def receipt_number(payment: Payment) -> str:
    return f"RF-{payment.pk:08d}"


def paid_on(payment: Payment) -> date:
    """When the money moved (the charge's ledger entry), else the day the payment was due."""
    charge = payment.ledger.filter(kind=LedgerEntry.Kind.CHARGE).order_by("occurred_at").first()
    return timezone.localdate(charge.occurred_at) if charge else payment.due_on


@dataclass
class Receipt:
    payment: Payment
    number: str
    paid_on: date
    amount: Money
    returned: Money  # refunded or disputed since (never positive)


def receipts(contributor: Contributor) -> list[Receipt]:
    """Every succeeded payment of the donor's, newest first."""
    payments = (
        Payment.objects.filter(
            contribution__contributor=contributor, status=Payment.Status.SUCCEEDED
        )
        .select_related("contribution")
        .prefetch_related("ledger")
        .order_by("-due_on", "-pk")
    )
    return [_receipt(payment) for payment in payments]


def receipt(contributor: Contributor, payment_pk: int) -> Receipt | None:
    """One of the donor's succeeded payments, or None (someone else's, or not paid)."""
    payment = (
        Payment.objects.filter(
            pk=payment_pk,
            contribution__contributor=contributor,
            status=Payment.Status.SUCCEEDED,
        )
        .select_related("contribution")
        .first()
    )
    return _receipt(payment) if payment else None


def _receipt(payment: Payment) -> Receipt:
    entries = list(payment.ledger.all())
    charges = sorted((e for e in entries if e.kind in GIVEN), key=lambda e: e.occurred_at)
    returned = sum(e.amount for e in entries if e.kind in RETURNED)
    return Receipt(
        payment=payment,
        number=receipt_number(payment),
        paid_on=timezone.localdate(charges[0].occurred_at) if charges else payment.due_on,
        amount=payment.money,
        returned=Money(returned, payment.currency),
    )


@dataclass
class YearTotal:
    currency: str
    given: Money
    returned: Money  # never positive

    @property
    def net(self) -> Money:
        return self.given + self.returned


def years(contributor: Contributor) -> list[int]:
    """The years in which the donor's money moved, newest first."""
    dates = _entries(contributor).dates("occurred_at", "year", order="DESC")
    return [day.year for day in dates]


def statement(contributor: Contributor, year: int) -> dict:
    """The donor's year: totals per currency, and the payments that make them up."""
    entries = _entries(contributor).filter(occurred_at__year=year)
    totals = []
    sums = entries.values("currency", "kind").annotate(total=Sum("amount")).order_by("currency")
    for currency in sorted({row["currency"] for row in sums}):
        given = sum(r["total"] for r in sums if r["currency"] == currency and r["kind"] in GIVEN)
        back = sum(r["total"] for r in sums if r["currency"] == currency and r["kind"] in RETURNED)
        totals.append(YearTotal(currency, Money(given, currency), Money(back, currency)))
    charged = set(entries.filter(kind__in=GIVEN).values_list("payment", flat=True))
    lines = [r for r in receipts(contributor) if r.payment.pk in charged]
    return {"year": year, "totals": totals, "receipts": sorted(lines, key=lambda r: r.paid_on)}


def _entries(contributor: Contributor):
    return LedgerEntry.objects.filter(
        contribution__contributor=contributor, kind__in=[*GIVEN, *RETURNED]
    )
