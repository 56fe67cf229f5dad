"""Appeal events answered before Django (appeals/fastpath.py): counted without the rest of
the stack, with the same answer Django's own view gives, and anything else handed to it."""

import json

import pytest
from django.conf import settings

from appeals import counting, events
from appeals.fastpath import EventsFastPath
from appeals.models import AppealCount
from tests.wsgi import CountingApp, connections_kept, request

pytestmark = pytest.mark.django_db
URL = "/api/appeals/events"
VOLATILE = {"Date", "Server", "Content-Length"}


@pytest.fixture(autouse=True)
def _connection_kept():
    with connections_kept():
        yield


@pytest.fixture
def django_app():
    return CountingApp()


@pytest.fixture
def app(django_app):
    return EventsFastPath(django_app)


def send(app, body, address="198.51.100.1", environ_extra=None, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    environ = {"REMOTE_ADDR": address, **(environ_extra or {})}
    return request(app, URL, "POST", body=data, environ=environ, **headers)


def impression(appeal, variant="a"):
    return {"appeal": appeal.slug, "variant": variant, "event": "impression"}


def test_a_counted_event_never_reaches_django(app, django_app, modal):
    for _ in range(3):
        status, _, body = send(app, impression(modal))
        assert (status, body) == (204, b"")
    assert django_app.calls == 0
    counting.flush()
    assert AppealCount.objects.get(variant="a").impressions == 3


def test_both_doors_answer_a_counted_event_alike(app, django_app, modal):
    fast = send(app, impression(modal), address="198.51.100.1")
    slow = send(django_app, impression(modal), address="198.51.100.2")
    assert fast[0] == slow[0] == 204
    assert without(fast[1], VOLATILE) == without(slow[1], VOLATILE)
    assert "Content-Security-Policy" in fast[1] and fast[1]["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_answers_kept_for_http_are_not_given_over_https_nor_the_other_way(settings, modal, scheme):
    settings.SECURE_HSTS_SECONDS = 3600  # Django sends HSTS over HTTPS only
    django_app = CountingApp()
    app = EventsFastPath(django_app)
    other = "https" if scheme == "http" else "http"
    send(app, impression(modal), environ_extra={"wsgi.url_scheme": other})  # kept first
    fast = send(app, impression(modal), environ_extra={"wsgi.url_scheme": scheme})
    slow = send(django_app, impression(modal), environ_extra={"wsgi.url_scheme": scheme})
    assert without(fast[1], VOLATILE) == without(slow[1], VOLATILE)
    assert ("Strict-Transport-Security" in fast[1]) == (scheme == "https")


def test_both_doors_refuse_an_address_over_the_limit_alike(app, django_app, modal):
    for _ in range(events.EVENTS_LIMIT):
        assert send(app, impression(modal))[0] == 204
    fast = send(app, impression(modal))
    slow = send(django_app, impression(modal))  # the same address, counted in the same limiter
    assert fast[0] == slow[0] == 429
    assert without(fast[1], VOLATILE) == without(slow[1], VOLATILE)
    assert fast[2] == slow[2] and fast[1]["Retry-After"] == str(events.EVENTS_WINDOW)
    assert django_app.calls == 1  # only the request sent to it


@pytest.mark.parametrize(
    ("body", "expected", "message"),
    [
        (b"{not json", 400, "Send a JSON object with appeal, variant and event."),
        (b"[1, 2]", 400, "Send a JSON object with appeal, variant and event."),
        (json.dumps({"appeal": "nope", "variant": "a", "event": "click"}).encode(), 404,
         "Unknown appeal or variant."),
    ],
)  # fmt: skip
def test_a_bad_event_is_answered_by_django_and_counted_against_the_limit_once(
    app, django_app, modal, body, expected, message
):
    status, headers, answer = send(app, body)
    assert status == expected and json.loads(answer)["errors"]["__all__"] == [message]
    assert django_app.calls == 1
    for _ in range(events.EVENTS_LIMIT - 1):  # the bad one took one of the address's events
        assert send(app, impression(modal))[0] == 204
    assert send(app, impression(modal))[0] == 429


def test_a_body_too_large_to_read_here_goes_to_django(app, django_app, modal):
    status, _, answer = send(app, b"{" + b" " * events.MAX_BODY + b"}")
    assert status == 413 and b"too large" in answer
    assert django_app.calls == 1


def test_other_methods_and_paths_go_to_django(app, django_app, modal):
    assert request(app, URL)[0] == 405
    assert request(app, URL + "/", "POST", body=b"{}")[0] == 404  # JSON, no CSRF page
    assert django_app.calls == 2


def test_a_forged_header_cannot_pass_an_outcome_to_django(app, django_app, modal):
    # The outcome travels in the WSGI environ under a key no request header can make.
    status, _, _ = send(django_app, b"{not json", Readerfund_Appeals_Event_Outcome="counted")
    assert status == 400


def test_the_fast_path_runs_the_header_middleware_django_runs():
    from appeals.fastpath import HEADER_MIDDLEWARE

    assert [path for path in settings.MIDDLEWARE if path in HEADER_MIDDLEWARE] == HEADER_MIDDLEWARE


def without(headers: dict, names: set) -> dict:
    return {name: value for name, value in headers.items() if name not in names}
