"""The JSON API the checkout page talks to (described at /api/schema).

No cookies and no session: nothing here acts on ambient authority, so CSRF tokens are not
needed; requests must be JSON, which a cross-site HTML form cannot send.
"""

import json
import logging

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from contributions import breaker, providers, services
from contributions.forms import CheckoutForm
from contributions.models import Contribution
from contributions.providers.base import ProviderError
from readerfund.lib import ratelimit
from readerfund.lib.http import private

log = logging.getLogger(__name__)


def errors(field_errors: dict, status: int = 400) -> JsonResponse:
    return private(JsonResponse({"errors": field_errors}, status=status))


def json_body(request) -> dict | None:
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def checkout(request):
    """Start a contribution: 201 with what the browser needs to save a card, or 400."""
    body = json_body(request)
    if body is None:
        return errors({"__all__": [_("Send a JSON object with Content-Type: application/json.")]})
    limited = ratelimit.checkout_limited(request, body.get("email"))
    if limited:
        return limited
    slowed = breaker.checkout_slowed(request)  # declines are spiking: everyone waits a little
    if slowed:
        return slowed
    form = CheckoutForm(body)
    if not form.is_valid():
        return errors(form.errors)
    data = services.CheckoutData(**form.cleaned_data)
    try:
        contribution, session = services.start_checkout(data)
    except ProviderError as error:
        log.warning("checkout: the provider refused to start: %s", error.code)
        return errors(
            {
                "__all__": [
                    _("Payments are unavailable right now. Please try again in a few minutes.")
                ]
            },
            503,
        )
    breaker.note_checkout()
    return private(
        JsonResponse(
            {
                "contribution": str(contribution.pk),
                "client_secret": session.client_secret,
                "publishable_key": session.publishable_key,
                "action": session.action,
                "reference": session.reference,
                "total": contribution.per_period.amount,
                "currency": contribution.currency,
            },
            status=201,
        )
    )


@csrf_exempt
@require_POST
def complete(request, pk):
    """The browser saved a card: charge the first period. Safe to call twice."""
    limited = ratelimit.complete_limited(request)
    if limited:
        return limited
    body = json_body(request)
    if body is None or not isinstance(body.get("reference"), str):
        return errors({"reference": [_("This field is required.")]})
    contribution = get_object_or_404(Contribution, pk=pk)
    if contribution.status not in (Contribution.Status.PENDING, Contribution.Status.FAILED):
        return private(JsonResponse(_status(contribution)))
    try:
        result = services.complete_checkout(contribution, body["reference"])
    except ProviderError as error:
        return errors({"__all__": [_card_message(error.code)]}, 402)
    contribution.refresh_from_db()
    answer = _status(contribution)
    answer["client_secret"] = result.client_secret if result.status == "requires_action" else None
    if result.status == "failed":
        answer["message"] = _card_message(result.failure_code)
    return private(JsonResponse(answer, status=402 if result.status == "failed" else 200))


def _card_message(code: str | None) -> str:
    if code in ("insufficient_funds", "card_declined", "generic_decline", "do_not_honor"):
        return _("Your bank declined the card. Try another card, or another way to give.")
    if code == "expired_card":
        return _("The card has expired.")
    return _("The payment did not go through. Please try again or use another card.")


@require_GET
def status(request, pk):
    """What the thank-you page shows: no personal data."""
    contribution = get_object_or_404(Contribution, pk=pk)
    return private(JsonResponse(_status(contribution)))


def _status(contribution: Contribution) -> dict:
    first = contribution.payments.filter(period=0).first()
    return {
        "contribution": str(contribution.pk),
        "status": contribution.status,
        "frequency": contribution.frequency,
        "amount": contribution.per_period.amount,
        "currency": contribution.currency,
        "payment": first.status if first else None,
        "next_payment": contribution.next_charge_on.isoformat()
        if contribution.next_charge_on
        else None,
        "receipt_sent": bool(first and first.receipt_sent_at),
    }


@csrf_exempt
@require_POST
def webhook(request, provider_name):
    """Verify, store once, answer at once; a task applies the event."""
    from contributions import tasks
    from contributions.providers.base import InvalidWebhook

    if provider_name not in providers.PROVIDERS:
        return errors({"__all__": ["unknown provider"]}, 404)
    try:
        event = providers.get(provider_name).parse_webhook(request.body, request.headers)
    except InvalidWebhook as error:
        log.warning("webhook %s refused: %s", provider_name, error)
        return errors({"__all__": ["invalid signature or body"]})
    created = services.store_event(provider_name, event)
    if created:
        tasks.request_drain()
    return private(JsonResponse({"received": True, "duplicate": not created}))
