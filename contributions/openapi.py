"""The contributions API in OpenAPI 3.1 (its part of /api/schema, put together by
readerfund/api.py): its operations. Written by hand, next to the code it describes
(contributions/api.py): change one, change the other. The bodies' schemas are in schemas.py."""

from contributions import providers
from contributions.providers.base import BasePaymentProvider
from contributions.schemas import (
    AUTHENTICATE_REQUEST,
    CHECKOUT_RESPONSE,
    COMPLETE_REQUEST,
    COMPLETE_RESPONSE,
    CONTRIBUTION_PARAMETER,
    STATUS,
    checkout_request,
)
from readerfund.lib.openapi import (
    ERROR_REF,
    common_errors,
    error,
    json_body,
    response,
    too_many,
)

LIMITS_DOWN = "The rate limits cannot count (the shared cache is down): try again in a minute"
NO_CONTRIBUTION = "No such contribution"


def paths() -> dict:
    return {
        "/api/checkout": {"post": _checkout()},
        "/api/contributions/{id}/complete": {"post": _complete()},
        "/api/contributions/{id}/status": {"get": _status()},
        "/api/payments/authenticate": {"post": _authenticate()},
        "/webhooks/{provider}": {"post": _webhook()},
    }


def components() -> dict:
    return {
        "CheckoutRequest": checkout_request(),
        "CheckoutResponse": CHECKOUT_RESPONSE,
        "Status": STATUS,
        "CompleteResponse": COMPLETE_RESPONSE,
    }


def _checkout() -> dict:
    return {
        "operationId": "startCheckout",
        "summary": "Start a contribution",
        "description": (
            "Validates the gift and the donor's email, stores a pending contribution and asks "
            "the payment provider for what the browser needs to save a card. Bad input creates "
            "nothing. Rate-limited per client address and per email."
        ),
        "requestBody": json_body({"$ref": "#/components/schemas/CheckoutRequest"}),
        "responses": {
            "201": {
                **response(
                    "Started: save the card with Stripe.js, then call /complete",
                    {"$ref": "#/components/schemas/CheckoutResponse"},
                ),
                "links": {
                    "status": {
                        "operationId": "contributionStatus",
                        "parameters": {"id": "$response.body#/contribution"},
                        "description": "The contribution's state",
                    },
                    "complete": {
                        "operationId": "completeCheckout",
                        "parameters": {"id": "$response.body#/contribution"},
                        "requestBody": {"reference": "$response.body#/reference"},
                        "description": "Charge the first period once the card is saved",
                    },
                },
            },
            "400": error("Invalid input, with messages per field; nothing was stored"),
            "429": too_many(
                "Too many attempts from this address or for this email, or checkout is slowed "
                "for everyone because many cards are being declined (the decline-rate breaker)"
            ),
            "503": error(f"The payment provider is unavailable, or: {LIMITS_DOWN}"),
            **common_errors(),
        },
    }


def _complete() -> dict:
    status_link = {
        "status": {
            "operationId": "contributionStatus",
            "parameters": {"id": "$request.path.id"},
        }
    }
    return {
        "operationId": "completeCheckout",
        "summary": "Charge the first period with the saved card",
        "description": "Safe to call twice: the first period is charged once.",
        "parameters": [CONTRIBUTION_PARAMETER],
        "requestBody": json_body(COMPLETE_REQUEST),
        "responses": {
            "200": {
                **response(
                    "Charged, waiting for the donor's authentication, or already settled "
                    "(the state only)",
                    {"$ref": "#/components/schemas/CompleteResponse"},
                ),
                "links": status_link,
            },
            "202": {
                **response(
                    "The provider did not answer: the payment is being checked; calling "
                    "/complete again asks about the same payment and never charges twice",
                    {"$ref": "#/components/schemas/CompleteResponse"},
                ),
                "links": status_link,
            },
            "400": error("No reference in the body, or a body the schema refuses"),
            "402": response(
                "The card was declined, or the provider refused the charge (a card never saved)",
                {"oneOf": [{"$ref": "#/components/schemas/CompleteResponse"}, ERROR_REF]},
            ),
            "404": error(NO_CONTRIBUTION),
            "409": error(
                "The reference is not this contribution's (another's, or one the provider does "
                "not know); nothing is charged"
            ),
            "429": too_many("Too many attempts from this address"),
            "503": error(LIMITS_DOWN),
            **common_errors(),
        },
    }


def _status() -> dict:
    return {
        "operationId": "contributionStatus",
        "summary": "A contribution's state, for the thank-you page",
        "parameters": [CONTRIBUTION_PARAMETER],
        "responses": {
            "200": response("The state", {"$ref": "#/components/schemas/Status"}),
            "404": error(NO_CONTRIBUTION),
            **common_errors(body=False),
        },
    }


def _authenticate() -> dict:
    return {
        "operationId": "authenticatePayment",
        "summary": "What Stripe.js needs to authenticate a renewal (3-D Secure)",
        "requestBody": json_body(AUTHENTICATE_REQUEST),
        "responses": {
            "200": response(
                "Pass client_secret to Stripe.js confirmCardPayment",
                {
                    "type": "object",
                    "required": ["client_secret", "publishable_key"],
                    "properties": {
                        "client_secret": {"type": "string"},
                        "publishable_key": {"type": "string"},
                    },
                },
            ),
            "400": error("A body the schema refuses"),
            "403": error("The token does not verify (made elsewhere, altered) or has expired"),
            "409": error("The payment needs no authentication"),
            "503": error("The payment provider is unavailable"),
            **common_errors(),
        },
    }


def with_webhooks() -> list[str]:
    """The registered providers that receive webhooks."""
    return [
        name
        for name in providers.PROVIDERS
        if type(providers.get(name)).parse_webhook is not BasePaymentProvider.parse_webhook
    ]


def _webhook() -> dict:
    return {
        "operationId": "receiveWebhook",
        "summary": "A payment provider's event",
        "description": (
            "The signature is verified on the raw body (Stripe-Signature for Stripe); the event "
            "is stored once per (provider, event id) and applied later. Any other provider name "
            "answers 404."
        ),
        "parameters": [
            {
                "name": "provider",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "enum": with_webhooks()},
            }
        ],
        "requestBody": json_body({"type": "object", "description": "The provider's event"}),
        "responses": {
            "200": response(
                "Stored (or already stored, or of a type Readerfund ignores)",
                {
                    "type": "object",
                    "required": ["received", "duplicate"],
                    "properties": {
                        "received": {"type": "boolean"},
                        "duplicate": {"type": "boolean"},
                    },
                },
            ),
            "400": error("The signature verifies but the body is not an event; nothing stored"),
            "403": error("The signature is missing, does not verify or is too old; nothing stored"),
            "404": error("Unknown provider, or one without webhooks"),
            **common_errors(),
        },
    }
