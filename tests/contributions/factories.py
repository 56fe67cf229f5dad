"""Plain factories for the money side: contributors, contributions, payments."""

from datetime import UTC, date, datetime

from contributions import ledger
from contributions.models import Contribution, Contributor, LedgerEntry, Payment
from contributions.providers.base import Fact
from privacy.crypto import email_index


def make_contributor(email="reader@example.org", name="Ada Reader") -> Contributor:
    return Contributor.objects.create(email=email, email_index=email_index(email), name=name)


def make_contribution(
    contributor=None,
    *,
    frequency="monthly",
    amount=1000,
    currency="USD",
    status="pending",
    provider="stripe",
    payment_method="",
    next_charge_on=None,
    anonymous=False,
) -> Contribution:
    return Contribution.objects.create(
        contributor=contributor or make_contributor(),
        frequency=frequency,
        amount=amount,
        currency=currency,
        status=status,
        provider=provider,
        payment_method=payment_method,
        next_charge_on=next_charge_on,
        anonymous=anonymous,
    )


def make_payment(contribution, *, period=0, status="claimed", reference="", due_on=None):
    return Payment.objects.create(
        contribution=contribution,
        period=period,
        due_on=due_on or date(2026, 11, 1),
        amount=contribution.per_period.amount,
        currency=contribution.currency,
        status=status,
        provider_reference=reference,
    )


def record_entry(
    *, contribution, kind, amount, occurred_at, source, reference, payment=None, staff_user=None
) -> LedgerEntry | None:
    """One ledger entry written straight to the ledger (as `services.facts` writes them), for
    tests of the ledger and the rollups that need entries a fact would not make; None when
    (source, reference, kind) is already there."""
    entry = LedgerEntry(
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
    written = ledger.record_many([entry])
    return written[0] if written else None


def failure(contribution, payment, reference="pi_1"):
    """A provider's report that the card was declined."""
    return Fact(
        kind="charge_failed",
        reference=reference,
        contribution=str(contribution.pk),
        payment=str(payment.pk),
        failure_code="card_declined",
        occurred_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
    )
