"""Asking a provider to charge a claimed payment, and turning its answer into facts."""

import logging
from datetime import timedelta

from django.utils import timezone

from contributions import providers
from contributions.models import Payment
from contributions.providers.base import ChargeResult, Fact, OutcomeUnknown, ProviderError
from contributions.services.facts import apply_fact

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)  # a claim this old was left by a crashed worker
# ChargeResult.status → the fact a webhook would report; "processing": the webhook will tell
FACT_OF_RESULT = {
    "succeeded": "charge",
    "requires_action": "requires_action",
    "failed": "charge_failed",
}


def charge(payment: Payment, *, off_session: bool, look_first: bool = False) -> ChargeResult:
    """Ask the provider to charge a claimed payment and apply what it answers.

    `look_first`: this attempt may have reached the provider already (its outcome was
    unknown): the provider is asked for what it made before it is asked to charge, with the
    same idempotency key. No answer leaves the payment unknown ("unknown" result): never a
    decline, never counted by the breaker."""
    provider = providers.get(payment.contribution.provider)
    try:
        result = provider.find_charge(payment) if look_first or _was_tried(payment) else None
        result = result or provider.charge(
            payment, off_session=off_session, idempotency_key=payment.idempotency_key()
        )
    except OutcomeUnknown as error:
        log.warning("charge of payment %s: no answer (%s)", payment.pk, error.code)
        Payment.objects.filter(pk=payment.pk).mark_unknown()
        return ChargeResult(status="unknown", reference=None, failure_code=error.code)
    except ProviderError as error:
        log.warning("charge of payment %s failed: %s", payment.pk, error.code)
        result = ChargeResult(status="failed", reference=None, failure_code=error.code)
    apply_charge_result(payment, result)
    return result


def _was_tried(payment: Payment) -> bool:
    # A claim older than STALE_CLAIM may have reached the provider before a crash.
    return payment.claimed_at < timezone.now() - STALE_CLAIM


def result_of(payment: Payment) -> ChargeResult:
    """What is known of the payment already, as a provider's answer."""
    return ChargeResult(status=payment.status, reference=payment.provider_reference or None)


def apply_charge_result(payment: Payment, result: ChargeResult) -> None:
    """Turn the provider's synchronous answer into the same fact a webhook would report."""
    if result.reference:
        Payment.objects.filter(pk=payment.pk).set_reference(result.reference)
    kind = FACT_OF_RESULT.get(result.status)
    if kind is not None:
        apply_fact(payment.contribution.provider, _fact(kind, payment, result))


def _fact(kind: str, payment: Payment, result: ChargeResult) -> Fact:
    return Fact(
        kind=kind,
        reference=result.reference or f"attempt:{payment.idempotency_key()}",
        contribution=str(payment.contribution_id),
        payment=str(payment.pk),
        amount=result.amount or payment.money,
        occurred_at=result.occurred_at or timezone.now(),
        failure_code=result.failure_code,
        details={"fee": result.fee.amount} if result.fee else {},
    )
