"""The contributions API in OpenAPI 3.1 (its part of /api/schema, put together by
readerfund/api.py). Written by hand, next to the code it describes (contributions/api.py):
change one, change the other. The request schemas are built from the database's currencies
and are what the server checks bodies against (readerfund/lib/jsonbody.py), so the bounds
the schema states are the ones enforced."""

from django.conf import settings

from contributions import providers
from contributions.forms import currency_options
from contributions.providers.base import BasePaymentProvider
from readerfund.lib.openapi import (
    EMAIL,
    ERROR_REF,
    TEXT,
    common_errors,
    error,
    json_body,
    response,
    too_many,
)

FREQUENCY = {"type": "string", "enum": ["once", "monthly", "annual"]}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}
MINOR_UNITS = {"type": "integer", "minimum": 0, "description": "minor units (cents, pence)"}
CONTRIBUTION_ID = {"type": "string", "format": "uuid"}
TRACKING = {**TEXT, "maxLength": 64}


def checkout_request() -> dict:
    """POST /api/checkout's body: the currencies offered, each with its own bounds."""
    options = currency_options()
    smallest = min((option.minimum for option in options.values()), default=0)
    largest = max((option.maximum for option in options.values()), default=0)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["frequency", "amount", "currency", "email"],
        "properties": {
            "frequency": FREQUENCY,
            "amount": {
                "type": "integer",
                "minimum": smallest,
                "maximum": largest,
                "description": "The gift in minor units, within the currency's minimum and "
                "maximum (each currency's are stated below, in allOf)",
            },
            "currency": {
                "type": "string",
                "enum": list(options),
                "description": "ISO 4217 code of a currency the newsroom accepts",
            },
            "email": EMAIL,
            "name": {**TEXT, "maxLength": 200},
            "anonymous": {"type": "boolean", "description": "Store no name"},
            "cover_fee": {"type": "boolean", "description": "Add the processing fee estimate"},
            "appeal": TRACKING,
            "variant": TRACKING,
            "language": {
                "type": "string",
                "enum": [code for code, _ in settings.LANGUAGES],
                "description": "The edition the donor gives from (the checkout page's "
                "language): receipts and notices are written in it. By default the site's",
            },
            "provider": {
                "type": "string",
                "enum": [
                    name
                    for name in providers.at_checkout_names()
                    if providers.takes(name) and providers.get(name).is_configured()
                ],
                "description": "The way to give; by default the first one offered. Each "
                "currency's ways are stated below, in allOf",
            },
        },
        **amount_bounds(options.values()),
        "example": {
            "frequency": "monthly",
            "amount": 1000,
            "currency": "USD",
            "email": "reader@example.org",
            "cover_fee": True,
        },
    }


def amount_bounds(options) -> dict:
    """Each currency's minimum and maximum for `amount` and the ways to give it
    (`provider`), as `allOf` if/then conditions; none when no currency is offered (an empty
    allOf is not allowed)."""
    conditions = [_bounds(option) for option in options]
    return {"allOf": conditions} if conditions else {}


def _bounds(option) -> dict:
    return {
        "if": {"properties": {"currency": {"const": option.code}}, "required": ["currency"]},
        "then": {
            "properties": {
                "amount": {"minimum": option.minimum, "maximum": option.maximum},
                "provider": {
                    "enum": [
                        name
                        for name in providers.at_checkout_names()
                        if providers.takes(name, option.code)
                    ]
                },
            }
        },
    }


COMPLETE_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reference"],
    "properties": {
        "reference": {
            **TEXT,
            "minLength": 1,
            "maxLength": 255,
            "description": "`reference` from POST /api/checkout",
        }
    },
}

AUTHENTICATE_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["token"],
    "properties": {
        "token": {
            **TEXT,
            "maxLength": 1000,
            "description": "The signed token from the emailed link",
        }
    },
}

CHECKOUT_RESPONSE = {
    "type": "object",
    "required": [
        "contribution",
        "client_secret",
        "publishable_key",
        "action",
        "reference",
        "total",
        "currency",
    ],
    "properties": {
        "contribution": CONTRIBUTION_ID,
        "client_secret": {
            "type": ["string", "null"],
            "description": "For Stripe.js confirmCardSetup",
        },
        "publishable_key": {"type": ["string", "null"]},
        "action": {
            "type": "string",
            "enum": ["save_card", "pay", "pay_elsewhere"],
            "description": "save_card, pay: Stripe.js confirms; pay_elsewhere: a way with no "
            "card form (an invoice, a transfer): call /complete, then follow the thank-you page",
        },
        "reference": {
            "type": "string",
            "description": "The provider's id of what the browser confirms (empty for a way "
            "with no card form); send it to /complete",
        },
        "total": {**MINOR_UNITS, "description": "Charged each period, fee cover included"},
        "currency": CURRENCY,
    },
}

STATUS = {
    "type": "object",
    "description": "A contribution's state, with no personal data.",
    "required": [
        "contribution",
        "status",
        "frequency",
        "amount",
        "currency",
        "payment",
        "next_payment",
        "receipt_sent",
    ],
    "properties": {
        "contribution": CONTRIBUTION_ID,
        "status": {
            "type": "string",
            "enum": ["pending", "active", "paid", "failed", "lapsed", "cancelled"],
        },
        "frequency": FREQUENCY,
        "amount": {**MINOR_UNITS, "description": "Charged each period"},
        "currency": CURRENCY,
        "payment": {
            "type": ["string", "null"],
            "enum": ["claimed", "unknown", "requires_action", "failed", "succeeded", None],
            "description": "The first payment's state; null before it is attempted",
        },
        "next_payment": {"type": ["string", "null"], "format": "date"},
        "receipt_sent": {"type": "boolean"},
    },
}

COMPLETE_RESPONSE = {
    "allOf": [
        {"$ref": "#/components/schemas/Status"},
        {
            "type": "object",
            "properties": {
                "client_secret": {
                    "type": ["string", "null"],
                    "description": "Set when the bank asks the donor to authenticate: pass it "
                    "to Stripe.js confirmCardPayment, then call /complete again",
                },
                "message": {
                    "type": "string",
                    "description": "Why the card was declined, or that the payment is "
                    "being checked",
                },
            },
        },
    ]
}

CONTRIBUTION_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": CONTRIBUTION_ID,
    "description": "The contribution's id from POST /api/checkout",
}
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
