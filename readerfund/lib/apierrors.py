"""Errors on the JSON API's paths are JSON, never Django's HTML pages.

The API's views answer their own errors in JSON. What reaches a client otherwise (a 405 from
`require_POST`, which has no body; a 404 from routing; a 413 when a body is larger than
DATA_UPLOAD_MAX_MEMORY_SIZE; a CSRF refusal) is turned here into the same
`{"errors": {"__all__": [message]}}` that /api/schema promises, with its headers (`Allow`,
`Retry-After`) kept."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware

API_PREFIXES = ("/api/", "/webhooks/")
KEPT_HEADERS = ("Allow", "Retry-After")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def _messages() -> dict[int, str]:
    return {
        400: _("The request is not valid."),
        403: _("This request is not allowed."),
        404: _("There is nothing at this address."),
        405: _("This method is not allowed here."),
        413: _("The body is too large."),
        415: _("Send a JSON object with Content-Type: application/json."),
    }


def json_error(status: int, message: str | None = None) -> JsonResponse:
    message = message or _messages().get(status) or _("The request could not be answered.")
    response = JsonResponse({"errors": {"__all__": [message]}}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        answer = json_error(response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer

    def process_exception(self, request, exception):
        if is_api(request) and isinstance(exception, RequestDataTooBig):
            return json_error(413)
        return None


class SiteRedirectMiddleware(WagtailRedirectMiddleware):
    """Wagtail's redirects (staff's "Redirects"), for the site's pages only: a 404 of the API
    (an unknown appeal, contribution or path) is an answer, and looking it up among the
    redirects would cost two queries per request, which a flood of made-up slugs must not."""

    def process_response(self, request, response):
        if is_api(request):
            return response
        return super().process_response(request, response)
