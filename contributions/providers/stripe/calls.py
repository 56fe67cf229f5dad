"""Calling Stripe: its errors as ours, and what each object we make carries (opaque ids only)."""

import logging
from contextlib import contextmanager

import stripe

from contributions.providers.base import OutcomeUnknown, ProviderError

log = logging.getLogger(__name__)


@contextmanager
def calling_stripe():
    """Stripe's errors, as ProviderError with Stripe's short code (never personal data);
    no answer (a timeout, a dropped connection, a 5xx) as OutcomeUnknown."""
    try:
        yield
    except stripe.APIConnectionError as error:
        log.warning("stripe: no answer (%s)", type(error).__name__)
        raise OutcomeUnknown("Stripe did not answer", code="no_answer") from error
    except stripe.StripeError as error:
        if isinstance(error, stripe.APIError) and (error.http_status or 500) >= 500:
            log.warning("stripe: server error (%s)", error.http_status)
            raise OutcomeUnknown("Stripe answered with an error", code="server_error") from error
        code = error.code or type(error).__name__
        log.warning("stripe: %s (%s)", code, error.http_status)
        raise ProviderError(f"Stripe: {error.user_message or code}", code=code) from error


def metadata(payment, idempotency_key: str | None = None) -> dict:
    # Opaque ids only: Stripe's dashboard must not become a list of our donors.
    data = {
        "contribution": str(payment.contribution.pk),
        "payment": str(payment.pk),
        "period": str(payment.period),
    }
    if idempotency_key:
        data["idempotency_key"] = idempotency_key  # which attempt or refund made this object
    return data


def intent_reference(payment) -> str | None:
    """The PaymentIntent already known for `payment` (Payment.provider_reference), if any."""
    reference = getattr(payment, "provider_reference", "") or ""
    return reference if reference.startswith("pi_") else None
