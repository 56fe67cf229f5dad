"""POST /api/appeals/events in OpenAPI 3.1 (its part of /api/schema, see readerfund/api.py)."""

from appeals.events import MAX_BODY
from appeals.services import EVENTS
from readerfund.lib.openapi import common_errors, error, json_body, response, too_many

EVENT_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["appeal", "variant", "event"],
    "properties": {
        "appeal": {"type": "string", "maxLength": 64, "description": "The appeal's slug"},
        "variant": {"type": "string", "maxLength": 20, "description": "The variant's key"},
        "event": {"type": "string", "enum": list(EVENTS)},
    },
    "description": f"At most {MAX_BODY} bytes",
}


def paths() -> dict:
    operation = {
        "operationId": "countAppealEvent",
        "summary": "One more impression, click, dismissal or reminder of an appeal's variant",
        "description": (
            "No identifier, cookie or address is kept: the day's counter of the variant grows "
            "by one. The body is read as JSON whatever its Content-Type (this is the most "
            "frequent request a site gets, answered before Django: appeals/fastpath.py)."
        ),
        "requestBody": json_body(EVENT_REQUEST),
        "responses": {
            "204": response("Counted"),
            "400": error("Not a JSON object with appeal, variant and a known event"),
            "404": error("No active appeal has this slug and variant"),
            "413": error(f"The body is larger than {MAX_BODY} bytes"),
            "429": too_many("Too many events from this address"),
            **common_errors(body=False),
        },
    }
    return {"/api/appeals/events": {"post": operation}}
