"""POST /api/reminders in OpenAPI 3.1 (its part of /api/schema, see readerfund/api.py). The
request schema is what reminders/views.py checks a body against: the days that may be chosen
and each currency's bounds come from today's date and the database, as the form's do."""

from datetime import timedelta

from django.utils import timezone

from contributions.choice import TRACKING_ID
from contributions.forms import currency_options
from contributions.schemas import amount_bounds
from readerfund.lib.openapi import EMAIL, common_errors, error, json_body, response, too_many
from reminders import dates

TRACKING = {"type": "string", "pattern": f"^{TRACKING_ID.pattern}$"}


def reminder_request() -> dict:
    today = timezone.localdate()
    options = currency_options()
    span = (dates.latest(today) - today).days
    days = [(today + timedelta(days=n)).isoformat() for n in range(1, span + 1)]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["email", "remind_on"],
        "dependentRequired": {"amount": ["currency"]},
        "properties": {
            "email": EMAIL,
            "remind_on": {
                "type": "string",
                "format": "date",
                "enum": days,
                "description": "A day after today, within a year (in the newsroom's time zone)",
            },
            "frequency": {"type": "string", "enum": ["once", "monthly", "annual"]},
            "amount": {
                "type": "integer",
                "minimum": min((option.minimum for option in options.values()), default=1),
                "maximum": max((option.maximum for option in options.values()), default=1),
                "description": "Minor units, within the currency's bounds (stated in allOf)",
            },
            "currency": {"type": "string", "enum": list(options)},
            "appeal": TRACKING,
            "variant": TRACKING,
        },
        **amount_bounds(options.values()),
    }


def paths() -> dict:
    operation = {
        "operationId": "createReminder",
        "summary": "Remind me later: one email on the chosen day",
        "description": (
            "The same email and day twice make one reminder, and the answer does not tell "
            "whether the address had signed up before. The reminder is stored unconfirmed and "
            "the address gets one email (at most one a week) with a link to confirm it; only a "
            "confirmed reminder is sent, and an unconfirmed one is erased after 48 hours."
        ),
        "requestBody": json_body({"$ref": "#/components/schemas/ReminderRequest"}),
        "responses": {
            "201": response(
                "Stored, waiting for confirmation",
                {
                    "type": "object",
                    "required": ["remind_on", "status"],
                    "properties": {
                        "remind_on": {"type": "string", "format": "date"},
                        "status": {"type": "string", "enum": ["unconfirmed"]},
                    },
                },
            ),
            "400": error("Bad input: nothing was stored"),
            "429": too_many("Too many attempts from this address or for this email"),
            "503": error("The rate limits cannot count (the shared cache is down)"),
            **common_errors(),
        },
    }
    return {"/api/reminders": {"post": operation}}


def components() -> dict:
    return {"ReminderRequest": reminder_request()}
