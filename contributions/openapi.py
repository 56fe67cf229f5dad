"""The JSON API in OpenAPI 3.1, served at /api/schema. Written by hand, next to the code it
describes (contributions/api.py): change one, change the other."""

ERRORS = {
    "type": "object",
    "description": "Messages per field; `__all__` holds those about the request as a whole.",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
    "example": {"errors": {"amount": ["The smallest amount is $2.00."]}},
}

FREQUENCY = {"type": "string", "enum": ["once", "monthly", "annual"]}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code"}
MINOR_UNITS = {"type": "integer", "minimum": 0, "description": "minor units (cents, pence)"}
CONTRIBUTION_ID = {"type": "string", "format": "uuid"}

CHECKOUT_REQUEST = {
    "type": "object",
    "required": ["frequency", "amount", "currency", "email"],
    "properties": {
        "frequency": FREQUENCY,
        "amount": {
            **MINOR_UNITS,
            "description": "The gift in minor units, within the currency's minimum and maximum",
        },
        "currency": CURRENCY,
        "email": {"type": "string", "format": "email", "maxLength": 254},
        "name": {"type": "string", "maxLength": 200},
        "anonymous": {"type": "boolean", "description": "Store no name"},
        "cover_fee": {"type": "boolean", "description": "Add the processing fee estimate"},
        "appeal": {"type": "string", "maxLength": 64},
        "variant": {"type": "string", "maxLength": 64},
    },
    "example": {
        "frequency": "monthly",
        "amount": 1000,
        "currency": "USD",
        "email": "reader@example.org",
        "cover_fee": True,
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
        "action": {"type": "string", "enum": ["save_card", "pay"]},
        "reference": {
            "type": "string",
            "description": "The provider's id of what the browser confirms; send it to /complete",
        },
        "total": {**MINOR_UNITS, "description": "Charged each period, fee cover included"},
        "currency": CURRENCY,
    },
}

STATUS = {
    "type": "object",
    "description": "A contribution's state, with no personal data.",
    "required": ["contribution", "status", "frequency", "amount", "currency", "payment"],
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
            "enum": ["claimed", "requires_action", "failed", "succeeded", None],
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
                "message": {"type": "string", "description": "Why the card was declined"},
            },
        },
    ]
}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _response(description: str, schema: dict | None = None) -> dict:
    answer = {"description": description}
    if schema is not None:
        answer["content"] = _json(schema)
    return answer


def _too_many(description: str) -> dict:
    return {
        **_response(description, ERROR_REF),
        "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        },
    }


ERROR_REF = {"$ref": "#/components/schemas/Errors"}
CONTRIBUTION_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": CONTRIBUTION_ID,
    "description": "The contribution's id from POST /api/checkout",
}

SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": "Readerfund contributions API",
        "version": "1",
        "description": (
            "What the checkout page uses to start and complete a contribution. Requests are "
            "JSON (Content-Type: application/json); no cookies or sessions are used."
        ),
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/checkout": {
            "post": {
                "operationId": "startCheckout",
                "summary": "Start a contribution",
                "description": (
                    "Validates the gift and the donor's email, stores a pending contribution "
                    "and asks the payment provider for what the browser needs to save a card. "
                    "Bad input creates nothing. Rate-limited per client address and per email."
                ),
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/CheckoutRequest"}),
                },
                "responses": {
                    "201": _response(
                        "Started: save the card with Stripe.js, then call /complete",
                        {"$ref": "#/components/schemas/CheckoutResponse"},
                    ),
                    "400": _response("Invalid input, with messages per field", ERROR_REF),
                    "429": _too_many(
                        "Too many attempts from this address or for this email, or checkout is "
                        "slowed for everyone because many cards are being declined (the "
                        "decline-rate breaker)"
                    ),
                    "503": _response("The payment provider is unavailable", ERROR_REF),
                },
            }
        },
        "/api/contributions/{id}/complete": {
            "post": {
                "operationId": "completeCheckout",
                "summary": "Charge the first period with the saved card",
                "description": "Safe to call twice: the first period is charged once.",
                "parameters": [CONTRIBUTION_PARAMETER],
                "requestBody": {
                    "required": True,
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["reference"],
                            "properties": {
                                "reference": {
                                    "type": "string",
                                    "description": "`reference` from POST /api/checkout",
                                }
                            },
                        }
                    ),
                },
                "responses": {
                    "200": _response(
                        "Charged, or waiting for the donor's authentication",
                        {"$ref": "#/components/schemas/CompleteResponse"},
                    ),
                    "400": _response("No reference in the body", ERROR_REF),
                    "402": _response(
                        "The card was declined",
                        {
                            "oneOf": [
                                {"$ref": "#/components/schemas/CompleteResponse"},
                                ERROR_REF,
                            ]
                        },
                    ),
                    "404": _response("No such contribution"),
                    "429": _too_many("Too many attempts from this address"),
                },
            }
        },
        "/api/contributions/{id}/status": {
            "get": {
                "operationId": "contributionStatus",
                "summary": "A contribution's state, for the thank-you page",
                "parameters": [CONTRIBUTION_PARAMETER],
                "responses": {
                    "200": _response("The state", {"$ref": "#/components/schemas/Status"}),
                    "404": _response("No such contribution"),
                },
            }
        },
        "/api/payments/authenticate": {
            "post": {
                "operationId": "authenticatePayment",
                "summary": "What Stripe.js needs to authenticate a renewal (3-D Secure)",
                "requestBody": {
                    "required": True,
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["token"],
                            "properties": {
                                "token": {
                                    "type": "string",
                                    "description": "The signed token from the emailed link",
                                }
                            },
                        }
                    ),
                },
                "responses": {
                    "200": _response(
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
                    "400": _response("The token is invalid or has expired", ERROR_REF),
                    "409": _response("The payment needs no authentication", ERROR_REF),
                    "503": _response("The payment provider is unavailable", ERROR_REF),
                },
            }
        },
        "/api/reminders": {
            "post": {
                "operationId": "createReminder",
                "summary": "Remind me later: one email on the chosen day",
                "description": (
                    "The same email and day twice make one reminder, and the answer does not "
                    "tell whether the address had signed up before."
                ),
                "requestBody": {
                    "required": True,
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["email", "remind_on"],
                            "properties": {
                                "email": {"type": "string", "format": "email"},
                                "remind_on": {
                                    "type": "string",
                                    "format": "date",
                                    "description": "After today, within a year",
                                },
                                "frequency": {"enum": ["once", "monthly", "annual"]},
                                "amount": {"type": "integer", "minimum": 1},
                                "currency": {"type": "string", "minLength": 3, "maxLength": 3},
                                "appeal": {"type": "string"},
                                "variant": {"type": "string"},
                            },
                        }
                    ),
                },
                "responses": {
                    "201": _response("Scheduled", {"type": "object"}),
                    "400": _response("Bad input: nothing was stored", ERROR_REF),
                    "429": _response("Too many attempts", ERROR_REF),
                },
            }
        },
        "/webhooks/{provider}": {
            "post": {
                "operationId": "receiveWebhook",
                "summary": "A payment provider's event",
                "description": (
                    "The signature is verified on the raw body (Stripe-Signature for Stripe); "
                    "the event is stored once per (provider, event id) and applied later."
                ),
                "parameters": [
                    {
                        "name": "provider",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "examples": ["stripe"]},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": _json({"type": "object", "description": "The provider's event"}),
                },
                "responses": {
                    "200": _response(
                        "Stored (or already stored)",
                        {
                            "type": "object",
                            "required": ["received", "duplicate"],
                            "properties": {
                                "received": {"type": "boolean"},
                                "duplicate": {"type": "boolean"},
                            },
                        },
                    ),
                    "400": _response("Invalid signature or body; nothing stored", ERROR_REF),
                    "404": _response("Unknown provider", ERROR_REF),
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Errors": ERRORS,
            "CheckoutRequest": CHECKOUT_REQUEST,
            "CheckoutResponse": CHECKOUT_RESPONSE,
            "Status": STATUS,
            "CompleteResponse": COMPLETE_RESPONSE,
        }
    },
}
