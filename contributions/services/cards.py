"""A donor saves another card for a recurring contribution from their manage page.

The browser saves it with the provider's script (Stripe.js `confirmCardSetup`) on a session
`begin_card_update` opens; `finish_card_update` then asks the provider which card was saved
(never the browser), makes it the contribution's, and retries at once a renewal that is in
dunning (failed, with a retry still to come): claimed like any period (a conditional UPDATE,
so a renewals run at the same moment cannot charge it too) and charged through
services.charging, with a new attempt's idempotency key.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from contributions import providers
from contributions.models import Contribution, Contributor, Payment
from contributions.providers.base import ChargeResult, Session
from contributions.services.charging import charge
from privacy import audit

log = logging.getLogger(__name__)


class NotUpdatable(Exception):
    """Not one of the donor's active recurring contributions."""


@dataclass
class CardUpdate:
    saved: bool
    retried: list[ChargeResult]


def updatable(contributor: Contributor, contribution_pk) -> Contribution:
    contribution = Contribution.objects.filter(pk=contribution_pk, contributor=contributor).first()
    active = contribution is not None and contribution.status == Contribution.Status.ACTIVE
    if not active or not contribution.is_recurring or contributor.is_erased:
        raise NotUpdatable()
    return contribution


def begin_card_update(contributor: Contributor, contribution_pk) -> Session:
    """What the browser needs to save a new card. Raises NotUpdatable, ProviderError."""
    contribution = updatable(contributor, contribution_pk)
    return providers.get(contribution.provider).begin_card_update(contribution)


def finish_card_update(contributor: Contributor, contribution_pk, reference: str) -> CardUpdate:
    """Make the card saved in `reference` the contribution's, then retry its renewals in
    dunning. Raises NotUpdatable, ProviderError (nothing saved: nothing changed)."""
    contribution = updatable(contributor, contribution_pk)
    provider = providers.get(contribution.provider)
    method = provider.saved_payment_method(contribution, reference)
    contribution.payment_method = method
    brand, last4 = provider.card_of(contribution) or ("", "")
    with transaction.atomic():
        rows = Contribution.objects.filter(pk=contribution.pk)
        if not rows.replace_payment_method(method, brand, last4):
            raise NotUpdatable()
        audit.record(
            audit.Action.CARD, via=audit.Via.DONOR, target=f"contribution:{contribution.pk}"
        )
    log.info("contribution %s has a new card", contribution.pk)
    return CardUpdate(saved=True, retried=retry_dunning(contribution))


def retry_dunning(contribution: Contribution) -> list[ChargeResult]:
    """Charge now the contribution's renewals that failed and wait for a retry."""
    waiting = Payment.objects.filter(
        contribution=contribution,
        status=Payment.Status.FAILED,
        next_attempt_at__isnull=False,
        period__gt=0,
    )
    results = []
    for payment in waiting.order_by("period"):
        if not Payment.objects.filter(pk=payment.pk).claim_again():
            continue  # a renewals run claimed it first
        payment.refresh_from_db()
        results.append(charge(payment, off_session=True))  # a provider error is a result
    return results
