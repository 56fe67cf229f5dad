"""Requests over real WSGI, for the tests of what runs before Django (the page cache, the
appeal events' fast path)."""

import contextlib
import io
from wsgiref.util import setup_testing_defaults

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections


class CountingApp:
    """The real Django application, counting how often a request reaches it."""

    def __init__(self):
        self.django = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@contextlib.contextmanager
def connections_kept():
    """Django closes the database connection at the start and end of each request; a test's
    own transaction lives on it (on PostgreSQL). Django's test client keeps it; so does this."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def request(app, path, method="GET", body=b"", environ=None, **headers):
    """(status, headers, body) of `app`'s answer; `environ` adds to the WSGI environ
    (REMOTE_ADDR, say), `headers` are request headers (X_Forwarded_For=…)."""
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": method,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        **({"CONTENT_TYPE": "application/json"} if body else {}),
        **(environ or {}),
    }
    if "?" in path:
        environ["PATH_INFO"], environ["QUERY_STRING"] = path.split("?", 1)
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return int(seen["status"].split()[0]), seen["headers"], body
