"""A reader gives: the contribution is stored, the provider collects a payment method, and
the first period is charged while the reader waits."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from contributions import providers
from contributions.models import Contribution, Contributor, Payment
from contributions.providers.base import ChargeResult
from contributions.services.charging import apply_charge_result, charge, result_of
from privacy.crypto import email_index


@dataclass
class CheckoutData:
    """Validated checkout input (see forms.CheckoutForm)."""

    frequency: str
    amount: int
    currency: str
    email: str
    provider: str
    name: str = ""
    anonymous: bool = False
    cover_fee: bool = False
    fee_amount: int = 0
    appeal: str = ""
    variant: str = ""
    language: str = ""  # the page's: the donor's emails are written in it


@transaction.atomic
def start_checkout(data: CheckoutData):
    """Store the contributor and a pending contribution and ask the provider for a session.

    Everything is in one transaction: if the provider fails, nothing is left behind.
    Returns (contribution, session).
    """
    contributor = contributor_for(data.email) if data.email else anonymous_contributor()
    name = None if data.anonymous else (data.name or "").strip() or None
    contribution = Contribution.objects.create(
        contributor=contributor,
        name=name,
        frequency=data.frequency,
        amount=data.amount,
        fee_amount=data.fee_amount if data.cover_fee else 0,
        currency=data.currency,
        anonymous=data.anonymous,
        provider=data.provider,
        appeal=data.appeal,
        variant=data.variant,
        language=data.language,
    )
    session = providers.get(data.provider).begin(contribution)
    return contribution, session


ANONYMOUS_PREFIX = "anonymous-"  # the email_index of a donor who gave no address: random


def anonymous_contributor() -> Contributor:
    """A donor who left no address (a provider with `email_optional`): a contributor of their
    own, with nothing to find them by, whom no email ever reaches."""
    return Contributor.objects.create(
        email="", email_index=ANONYMOUS_PREFIX + secrets.token_hex(24)
    )


def contributor_for(email: str) -> Contributor:
    """The contributor with this address (locked), made if new. Nothing of an existing one
    changes: the name given at checkout belongs to the contribution until it is paid
    (services.facts). Call inside a transaction."""
    index = email_index(email)
    contributor = Contributor.objects.select_for_update().filter(email_index=index).first()
    if contributor is not None:
        return contributor
    try:
        with transaction.atomic():
            return Contributor.objects.create(email=email.strip(), email_index=index)
    except IntegrityError:  # the same person, at the same moment, in another request
        return Contributor.objects.select_for_update().get(email_index=index)


def complete_checkout(contribution: Contribution, reference: str) -> ChargeResult:
    """The browser saved a payment method: charge the first period, on session.

    Safe to call twice (a double click, a retry): the first payment is claimed once.
    """
    provider = providers.get(contribution.provider)
    if not contribution.payment_method:
        method = provider.saved_payment_method(contribution, reference)
        Contribution.objects.filter(pk=contribution.pk).save_payment_method(method)
        contribution.refresh_from_db()
        _remember_card(provider, contribution)
    payment, claimed, unknown = _claim_first_payment(contribution)
    if claimed:
        return charge(payment, off_session=False, look_first=unknown)
    if payment.status == Payment.Status.REQUIRES_ACTION:
        return _after_authentication(payment)
    return result_of(payment)


def _remember_card(provider, contribution: Contribution) -> None:
    """The saved card's brand and last four digits, for the receipts."""
    card = provider.card_of(contribution) if contribution.payment_method else None
    if card:
        contribution.card_brand, contribution.card_last4 = card
        Contribution.objects.filter(pk=contribution.pk, card_last4="").update(
            card_brand=card[0], card_last4=card[1]
        )


def _after_authentication(payment: Payment) -> ChargeResult:
    """The donor was asked to authenticate: what does the provider say now? Applied at once,
    so the thank-you page need not wait for the webhook."""
    provider = providers.get(payment.contribution.provider)
    result = provider.find_charge(payment)
    if result is None:
        return result_of(payment)
    apply_charge_result(payment, result)
    if result.status == "requires_action" and not result.client_secret and result.reference:
        result.client_secret = provider.fetch_client_secret(result.reference)
    return result


def _claim_first_payment(contribution: Contribution) -> tuple[Payment, bool, bool]:
    """(payment, claimed by this call, its last outcome unknown)."""
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                contribution=contribution,
                period=0,
                due_on=timezone.localdate(),
                amount=contribution.per_period.amount,
                currency=contribution.currency,
            )
        return payment, True, False
    except IntegrityError:
        payment = Payment.objects.get(contribution=contribution, period=0)
    # An unknown outcome is settled first, with the same attempt (and idempotency key).
    unknown = bool(Payment.objects.filter(pk=payment.pk).claim_unknown())
    # A failed first payment may be tried again by the donor (another card, say).
    retried = unknown or bool(Payment.objects.filter(pk=payment.pk).claim_again())
    payment.refresh_from_db()
    return payment, retried, unknown
