"""Pieces every part of the JSON API's description shares (OpenAPI 3.1). Each app describes
its own endpoints next to their code (contributions/openapi.py, reminders/openapi.py,
appeals/openapi.py); readerfund/api.py puts them together at /api/schema.

A request schema here is also what the server checks a body against
(readerfund/lib/jsonbody.py), so the description cannot promise less than is enforced."""

ERROR_REF = {"$ref": "#/components/schemas/Errors"}
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
# Text a form field accepts: Django refuses the NUL character in any text.
TEXT = {"type": "string", "pattern": "^[^\\u0000]*$"}
EMAIL = {
    "type": "string",
    "format": "email",
    "maxLength": 254,
    "description": "An address Django's EmailValidator accepts: a dot-atom before the @ and a "
    "domain name with a dot after it (or an IP literal)",
}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def json_body(schema: dict) -> dict:
    """A required JSON request body."""
    return {"required": True, "content": json_content(schema)}


def response(description: str, schema: dict | None = None, headers: dict | None = None) -> dict:
    answer = {"description": description}
    if schema is not None:
        answer["content"] = json_content(schema)
    if headers:
        answer["headers"] = headers
    return answer


def error(description: str) -> dict:
    """An answer whose body is the Errors object."""
    return response(description, ERROR_REF)


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}


def too_many(description: str) -> dict:
    return response(description, ERROR_REF, RETRY_AFTER)


def common_errors(*, body: bool = True) -> dict:
    """What any operation of the API may answer besides its own outcomes: JSON, never an
    HTML page (readerfund/lib/apierrors.py)."""
    answers = {
        "405": response(
            "The method is not allowed: `Allow` lists those that are",
            ERROR_REF,
            {"Allow": {"required": True, "schema": {"type": "string"}}},
        ),
    }
    if body:
        answers["413"] = error("The body is too large")
        answers["415"] = error("The body is not sent as application/json")
    return answers
