"""Plain factories for the money side: contributors, contributions, payments."""

from datetime import date

from contributions.models import Contribution, Contributor, Payment
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
