"""The JSON API as one: its description at /api/schema (OpenAPI 3.1), put together from each
app's part (contributions/openapi.py, reminders/openapi.py, appeals/openapi.py), and the
answer for any other path under /api/ or /webhooks/: JSON, never the site's HTML page.

tests/readerfund/test_api_fuzz.py runs Schemathesis against this description and a live
server: every constraint it states is enforced, every answer the server gives is in it."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from appeals import openapi as appeals_api
from contributions import openapi as contributions_api
from readerfund.lib.http import make_public, private
from readerfund.lib.openapi import ERRORS
from reminders import openapi as reminders_api

SCHEMA_MAX_AGE = 60  # the currencies and the days a reminder may be set for come from today


def schema_document() -> dict:
    """The whole API, described in OpenAPI 3.1."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Readerfund API",
            "version": "1",
            "description": (
                "What the checkout page, the appeals script and the reminder form use, and "
                "where payment providers report. Requests are JSON (Content-Type: "
                "application/json); no cookies or sessions are used. Every error is JSON: "
                '`{"errors": {field: [message]}}`.'
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            **contributions_api.paths(),
            **reminders_api.paths(),
            **appeals_api.paths(),
        },
        "components": {
            "schemas": {
                "Errors": ERRORS,
                **contributions_api.components(),
                **reminders_api.components(),
            }
        },
    }


@csrf_exempt  # no cookie is read: an undeclared method gets 405, not a CSRF page
@require_GET
def schema(request):
    return make_public(
        JsonResponse(schema_document(), json_dumps_params={"indent": 1}), SCHEMA_MAX_AGE
    )


@csrf_exempt
def not_found(request, rest=""):
    """Any other path under /api/ or /webhooks/."""
    message = _("There is nothing at this address.")
    return private(JsonResponse({"errors": {"__all__": [message]}}, status=404))
