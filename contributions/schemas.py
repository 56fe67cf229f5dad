"""The shapes of the contributions API's bodies, in OpenAPI 3.1's JSON Schema (the operations
that use them are in openapi.py). The request schemas are built from the database's
currencies and are what the server checks bodies against (readerfund/lib/jsonbody.py), so the
bounds the schema states are the ones enforced."""

from django.conf import settings

from contributions import providers
from contributions.forms import currency_options
from readerfund.lib.openapi import EMAIL, TEXT

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
