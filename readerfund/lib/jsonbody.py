"""A JSON request body checked against the schema /api/schema publishes for it, so that what
the description promises and what the server accepts are one thing: a body the schema refuses
is refused (a 400 with messages per field), whatever a form would have made of it (`{}` is
not text, `"10"` is not a whole number, `"usd"` is not a currency code).

The apps' forms then check what only the database knows; their messages, more precise, win
for the fields they speak of."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

from readerfund.lib.http import private

ALL = "__all__"


def field_errors(body: dict, schema: dict) -> dict[str, list[str]]:
    """Messages per field for what in `body` the JSON `schema` refuses; {} when it is valid."""
    errors: dict[str, list[str]] = {}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for problem in validator.iter_errors(body):
        for field, message in _explain(problem, schema):
            messages = errors.setdefault(field, [])
            if message not in messages:
                messages.append(message)
    return errors


def check(body: dict, schema: dict, form_class):
    """(form, errors): `body` checked against `schema`, then by `form_class` for what only
    the database knows. A field whose value is not of the schema's JSON type is kept from
    the form (which would make text of `{}`, or fail on a list) and gets the schema's
    message; for the others the form's messages, more precise, win."""
    properties = schema.get("properties", {})
    mistyped = {
        name
        for name, value in body.items()
        if name in properties and not _of_type(value, properties[name].get("type"))
    }
    form = form_class({name: value for name, value in body.items() if name not in mistyped})
    form.is_valid()
    errors = field_errors(body, schema)
    for field, messages in form.errors.items():
        if field not in mistyped:
            errors[field] = list(messages)
    return form, errors


def _of_type(value, expected) -> bool:
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        integral = isinstance(value, float) and value.is_integer()
        return integral or (isinstance(value, int) and not isinstance(value, bool))
    if expected == "boolean":
        return isinstance(value, bool)
    return True


def _explain(problem, schema: dict):
    """(field, message) pairs for one of jsonschema's errors, in the reader's words."""
    if problem.validator == "required" and not problem.path:
        for name in problem.validator_value:
            if isinstance(problem.instance, dict) and name not in problem.instance:
                yield name, _("This field is required.")
        return
    if problem.validator == "dependentRequired" and not problem.path:
        for needs in problem.validator_value.values():
            for name in needs:
                if name not in problem.instance:
                    yield name, _("This field is required.")
        return
    if problem.validator == "additionalProperties" and not problem.path:
        known = set(schema.get("properties", {}))
        for name in problem.instance:
            if name not in known:
                yield name, _("This field is not accepted.")
        return
    field = str(problem.path[0]) if problem.path else ALL
    yield field, _message(problem)


def _message(problem) -> str:
    kind = problem.validator
    if kind == "type" and problem.instance is None:
        return _("This field is required.")  # null is a value not given, as for the forms
    if kind == "type":
        expected = problem.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        if "integer" in expected:
            return _("Enter a whole number.")
        if "boolean" in expected:
            return _("Enter true or false.")
        if "object" in expected:
            return _("Send a JSON object.")
        return _("Enter text.")
    if kind in ("enum", "const"):
        return _("Select a valid choice.")
    if kind == "format" and problem.validator_value == "email":
        return _("Enter a valid email address.")
    if kind == "format" and problem.validator_value == "date":
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "maxLength":
        return _("Ensure this value has at most %(max)d characters.") % {
            "max": problem.validator_value
        }
    if kind == "minLength":
        return _("This field is required.")
    if kind == "minimum":
        return _("The smallest value is %(min)d.") % {"min": problem.validator_value}
    if kind == "maximum":
        return _("The largest value is %(max)d.") % {"max": problem.validator_value}
    return _("This value is not valid.")


def not_json(request):
    """415 when the body is not sent as application/json (a cross-site HTML form cannot send
    it, and /api/schema promises nothing else); None when it is."""
    if request.content_type == "application/json":
        return None
    message = _("Send a JSON object with Content-Type: application/json.")
    return private(JsonResponse({"errors": {ALL: [message]}}, status=415))
