"""POST /api/appeals/events answered before Django's URL routing and most of its middleware.

Each page view sends one to three events, so they are the most frequent request a site gets
and the cheapest to flood. Through the whole stack an event costs about a millisecond of
CPU, almost all of it sessions, CSRF, authentication, messages, redirects and routing, none of
which an event uses. Here it costs the event itself (events.take) and the middleware that sets
response headers, the same classes Django runs (HEADER_MIDDLEWARE), so that both doors answer
alike (tests/appeals/test_fastpath.py compares them).

Only the two answers a flood needs fast are given here: counted (204) and over the limit
(429). Anything else (a bad body, an unknown appeal, a body too large to read here) goes on
to Django's view with the outcome found, so each event is taken, and rate-limited, once.
"""

import io

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.module_loading import import_string

from appeals import events
from readerfund.lib.http import private
from readerfund.lib.ratelimit import client_address, too_many

PATH = "/api/appeals/events"
# Set in the WSGI environ for Django's view: no request header can make it (those are HTTP_*).
OUTCOME = "readerfund.appeals.event_outcome"
# Django's settings.MIDDLEWARE that set headers on a response, in the same order.
HEADER_MIDDLEWARE = [
    "readerfund.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ANSWERED_HERE = (events.Outcome.COUNTED, events.Outcome.LIMITED)


class EventsFastPath:
    def __init__(self, app):
        self.app = app
        respond = _prepared_response
        for path in reversed(HEADER_MIDDLEWARE):
            respond = import_string(path)(respond)
        self.respond = respond
        self.answers = {}  # (outcome, HTTPS?) → (status, headers, body)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        length = _length(environ)
        if length is None:  # chunked, malformed or too large: Django reads it and answers
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        request = WSGIRequest(environ | {"wsgi.input": io.BytesIO(body)})
        outcome = events.take(client_address(request), body)
        if outcome not in ANSWERED_HERE:
            environ.update({OUTCOME: outcome, "wsgi.input": io.BytesIO(body)})
            return self.app(environ, start_response)
        key = (outcome, request.is_secure())
        answer = self.answers.get(key) or self._answer(request, outcome, key)
        status, headers, content = answer
        start_response(status, headers)
        return [content] if content else []

    def _answer(self, request, outcome: events.Outcome, key: tuple) -> tuple:
        """The answer for `outcome` through the header middleware; kept for requests alike
        (the headers depend on the outcome and on HTTPS alone, see tests/appeals/
        test_fastpath.py), unless the middleware answered in its stead (an HTTPS redirect)."""
        prepared = request.readerfund_response = _response(outcome)
        response = self.respond(request)
        status = f"{response.status_code} {response.reason_phrase}"
        answer = (status, [*response.items()], response.content)
        if response is prepared:
            self.answers[key] = answer
        return answer


def _length(environ) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if 0 <= length <= events.MAX_BODY else None


def _response(outcome: events.Outcome) -> HttpResponse:
    if outcome is events.Outcome.COUNTED:
        return private(HttpResponse(status=204))
    return too_many(events.EVENTS_WINDOW)


def _prepared_response(request) -> HttpResponse:
    return request.readerfund_response
