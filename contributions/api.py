"""The JSON API the checkout page talks to (described at /api/schema).

No cookies and no session: nothing here acts on ambient authority, so CSRF tokens are not
needed; requests must be JSON, which a cross-site HTML form cannot send.
"""

import contextlib
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from contributions import breaker, openapi, providers, tasks
from contributions.forms import CheckoutForm
from contributions.models import Contribution
from contributions.providers.base import (
    InvalidSignature,
    InvalidWebhook,
    ProviderError,
    ReferenceMismatch,
    Unsupported,
)
from contributions.services import checkout as checkouts
from contributions.services.facts import store_event
from readerfund.lib import jsonbody, ratelimit
from readerfund.lib.http import json_object, private

log = logging.getLogger(__name__)


def errors(field_errors: dict, status: int = 400) -> JsonResponse:
    return private(JsonResponse({"errors": field_errors}, status=status))


def speaking(language) -> contextlib.AbstractContextManager:
    """Answer in an edition's language (the page's, which the body or the gift names): the
    API is one for every edition, its messages are shown on the page."""
    if isinstance(language, str) and language in dict(settings.LANGUAGES):
        return translation.override(language)
    return contextlib.nullcontext()


def _body_language(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body.get("language") if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def checkout(request):
    """Start a contribution: 201 with what the browser needs to save a card, or 400 (415
    when the body is not JSON), in the language the body names."""
    with speaking(_body_language(request)):
        return _checkout(request)


def _checkout(request):
    refused = jsonbody.not_json(request)
    body = None if refused else json_object(request)
    if body is None:
        return ratelimit.invalid_checkout_limited(request, None) or refused or _not_an_object()
    form, invalid = jsonbody.check(body, openapi.checkout_request(), CheckoutForm)
    if invalid:
        # Counted on their own: junk spends neither the valid checkouts' limits nor the
        # breaker's budget, which belong to readers who can actually give.
        return ratelimit.invalid_checkout_limited(request, body.get("email")) or errors(invalid)
    limited = ratelimit.checkout_limited(request, form.cleaned_data["email"])
    if limited:
        return limited
    slowed = breaker.checkout_slowed(request)  # declines are spiking: everyone waits a little
    if slowed:
        return slowed
    data = checkouts.CheckoutData(**form.cleaned_data)
    try:
        contribution, session = checkouts.start_checkout(data)
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
    refused = jsonbody.not_json(request)
    if refused:
        return refused
    body = json_object(request)
    if body is None:
        return _not_an_object()
    invalid = jsonbody.field_errors(body, openapi.COMPLETE_REQUEST)
    if invalid:
        return errors(invalid)
    contribution = get_object_or_404(Contribution, pk=pk)
    if contribution.status not in (Contribution.Status.PENDING, Contribution.Status.FAILED):
        return private(JsonResponse(_status(contribution)))
    with speaking(contribution.language):  # the edition it was given from
        return _complete(contribution, body)


def _complete(contribution: Contribution, body: dict):
    try:
        result = checkouts.complete_checkout(contribution, body["reference"])
    except ReferenceMismatch:
        message = _("This reference belongs to another contribution.")
        return errors({"reference": [message]}, 409)
    except ProviderError as error:
        log.warning("complete: the provider refused: %s", error.code)
        return errors({"__all__": [_card_message(error.code)]}, 402)
    contribution.refresh_from_db()
    answer = _status(contribution)
    answer["client_secret"] = result.client_secret if result.status == "requires_action" else None
    if result.status == "failed":
        answer["message"] = _card_message(result.failure_code)
    if result.status == "unknown":
        # No answer from the provider: not a decline. Give again asks about this same
        # payment (same idempotency key), so it can never charge twice.
        answer["message"] = _(
            "We are checking your payment with the payment provider. Please wait a minute "
            "and press Give again: you will not be charged twice."
        )
    return private(JsonResponse(answer, status=COMPLETE_STATUS.get(result.status, 200)))


COMPLETE_STATUS = {"failed": 402, "unknown": 202}


def _not_an_object() -> JsonResponse:
    return errors({"__all__": [_("Send a JSON object with Content-Type: application/json.")]})


def _card_message(code: str | None) -> str:
    if code in ("insufficient_funds", "card_declined", "generic_decline", "do_not_honor"):
        return _("Your bank declined the card. Try another card, or another way to give.")
    if code == "expired_card":
        return _("The card has expired.")
    return _("The payment did not go through. Please try again or use another card.")


@csrf_exempt  # nothing to forge; an undeclared method gets 405, not a CSRF page
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
    """Verify, store once, answer at once; a task applies the event. 404 for a provider
    that is not registered or has no webhooks."""
    if provider_name not in providers.PROVIDERS:
        return errors({"__all__": ["unknown provider"]}, 404)
    refused = jsonbody.not_json(request)
    if refused:
        return refused
    try:
        event = providers.get(provider_name).parse_webhook(request.body, request.headers)
    except Unsupported:
        return errors({"__all__": ["this provider has no webhooks"]}, 404)
    except InvalidSignature as error:
        log.warning("webhook %s refused: %s", provider_name, error)
        return errors({"__all__": ["invalid signature"]}, 403)
    except InvalidWebhook as error:
        log.warning("webhook %s refused: %s", provider_name, error)
        return errors({"__all__": ["invalid body"]})
    event = providers.get(provider_name).minimise(event)
    if event is None:  # a type Readerfund ignores: nothing of it is kept
        return private(JsonResponse({"received": True, "duplicate": False}))
    created = store_event(provider_name, event)
    if created:
        tasks.request_drain()
    return private(JsonResponse({"received": True, "duplicate": not created}))
