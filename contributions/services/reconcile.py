"""Repairing what missed webhooks and crashes left behind, by asking the providers."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from contributions import providers
from contributions.models import Contribution, Payment, Refund
from contributions.providers.base import ProviderError, Unsupported
from contributions.services import refunds
from contributions.services.charging import STALE_CLAIM, apply_charge_result

log = logging.getLogger(__name__)


def reconcile(*, older_than: timedelta = timedelta(minutes=5)) -> dict:
    """Ask providers about payments still waiting for a webhook or whose charge got no
    answer, and apply what they say."""
    cutoff = timezone.now() - older_than
    waiting = Payment.objects.filter(
        status__in=[Payment.Status.CLAIMED, Payment.Status.REQUIRES_ACTION, Payment.Status.UNKNOWN],
        claimed_at__lt=cutoff,
    ).select_related("contribution")
    counts = {"checked": 0, "repaired": 0, "released": 0}
    for payment in waiting.iterator():
        counts["checked"] += 1
        provider = providers.get(payment.contribution.provider)
        try:
            result = provider.find_charge(payment)
        except ProviderError as error:
            log.warning("reconcile: payment %s: %s", payment.pk, error.code)
            continue
        if result and result.status != payment.status:
            apply_charge_result(payment, result)
            counts["repaired"] += 1
        elif result is None and _release_unanswered(payment):
            counts["released"] += 1
    return counts


def _release_unanswered(payment: Payment) -> bool:
    """A first payment whose charge got no answer, and that the provider never made: the
    checkout failed without a decline (not counted by the breaker), so the donor may try
    again. (An unknown renewal is charged again, with the same key, by the next run.)"""
    if payment.status != Payment.Status.UNKNOWN or payment.period != 0:
        return False
    if payment.claimed_at >= timezone.now() - STALE_CLAIM:
        return False  # the request may still be on its way
    with transaction.atomic():
        released = Payment.objects.filter(pk=payment.pk, status=Payment.Status.UNKNOWN).mark_failed(
            "no_answer", None
        )
        if released:
            Contribution.objects.filter(pk=payment.contribution_id).fail_first()
    return bool(released)


def reconcile_refunds(*, older_than: timedelta = STALE_CLAIM) -> dict:
    """Refunds claimed and never finished: finished if the provider made them, else
    released (see refunds.finish_unanswered). Refunds staff only recorded have no provider
    to ask and are never left unfinished."""
    counts = {"refunds_finished": 0, "refunds_released": 0}
    stale = Refund.objects.filter(
        status=Refund.Status.REQUESTED, created_at__lt=timezone.now() - older_than
    ).select_related("payment__contribution", "staff_user")
    for refund in stale:
        try:
            outcome = refunds.finish_unanswered(refund)
        except Unsupported:
            continue
        except ProviderError as error:
            log.warning("reconcile: refund %s: %s", refund.pk, error.code)
            continue
        if outcome:
            counts[f"refunds_{outcome}"] += 1
    return counts
