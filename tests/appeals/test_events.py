"""POST /api/appeals/events: daily aggregate counters, no identifiers, 400 on bad input.

Counts are buffered in the process (appeals/counting.py): the tests write them with
counting.flush(), which the flusher thread does every few seconds in a server."""

import itertools
import json
import os
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals import counting, services
from appeals.events import EVENTS_LIMIT
from appeals.models import AppealCount
from tests.appeals.conftest import make_appeal
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db
URL = "/api/appeals/events"


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def counts(appeal):
    counting.flush()
    return {
        (row.variant, row.impressions, row.clicks, row.dismissals, row.reminders)
        for row in AppealCount.objects.filter(appeal=appeal)
    }


def test_each_event_adds_one_to_the_days_counter_of_its_variant(client, frozen, modal):
    for event in ("impression", "impression", "click", "dismiss", "reminder"):
        response = post(client, {"appeal": modal.slug, "variant": "a", "event": event})
        assert response.status_code == 204
    post(client, {"appeal": modal.slug, "variant": "b", "event": "impression"})
    assert not AppealCount.objects.exists()  # not yet: counted in memory until the flush

    assert counts(modal) == {("a", 2, 1, 1, 1), ("b", 1, 0, 0, 0)}
    assert AppealCount.objects.get(variant="a").day == date(2026, 11, 15)


def test_counts_of_another_day_go_to_their_own_row(modal):
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 1))
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 2))
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 2))
    assert counting.flush() == 3
    assert sorted(AppealCount.objects.values_list("day", "impressions")) == [
        (date(2026, 11, 1), 1),
        (date(2026, 11, 2), 2),
    ]


def test_a_flush_adds_to_a_days_row_that_another_process_wrote_first(modal):
    day = date(2026, 11, 3)
    AppealCount.objects.create(appeal=modal, variant="a", day=day, impressions=5, clicks=1)
    services.record_event(modal.slug, "a", "impression", day=day)
    services.record_event(modal.slug, "a", "impression", day=day)
    counting.flush()
    row = AppealCount.objects.get(day=day)
    assert (row.impressions, row.clicks) == (7, 1)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("not json", 400),
        (b"\xff\xfe", 400),
        ("[]", 400),
        ("null", 400),
        ({"appeal": "ad-free-modal", "variant": "a"}, 400),
        ({"appeal": "ad-free-modal", "variant": "a", "event": "purchase"}, 400),
        ({"appeal": "ad-free-modal", "variant": "zz", "event": "click"}, 404),
        ({"appeal": "nope", "variant": "a", "event": "click"}, 404),
        ({"appeal": ["ad-free-modal"], "variant": "a", "event": "click"}, 400),
        ({"appeal": "ad-free-modal", "variant": 1, "event": "click"}, 400),
        ({"appeal": "ad-free-modal", "variant": "a", "event": "click", "extra": 1}, 400),
        ({"appeal": "ad-free-modal", "variant": "a", "event": "click", "pad": "x" * 2000}, 413),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_counts_nothing(client, modal, body, status):
    """400 for what /api/schema refuses, 404 for an appeal or variant that does not exist,
    413 for a body larger than an event can be."""
    response = post(client, body)
    assert response.status_code == status
    assert "errors" in response.json()
    assert counting.flush() == 0
    assert not AppealCount.objects.exists()


def test_only_post_is_accepted(client, modal):
    assert client.get(URL).status_code == 405


def test_events_need_no_csrf_token_and_set_no_cookie(modal):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = post(client, {"appeal": modal.slug, "variant": "a", "event": "click"})
    assert response.status_code == 204
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_nothing_about_the_reader_is_stored(client, modal):
    post(
        client,
        {"appeal": modal.slug, "variant": "a", "event": "click"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Reader/1",
    )
    counting.flush()
    row = AppealCount.objects.values().get()
    assert set(row) == {
        "id", "day", "appeal_id", "variant", "impressions", "clicks", "dismissals", "reminders"
    }  # fmt: skip
    assert "203.0.113.7" not in str(row)


def test_an_address_sending_too_many_events_is_told_to_wait(client, modal):
    body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
    for _ in range(EVENTS_LIMIT):
        assert post(client, body, REMOTE_ADDR="198.51.100.1").status_code == 204
    refused = post(client, body, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert post(client, body, REMOTE_ADDR="198.51.100.2").status_code == 204
    counting.flush()
    assert AppealCount.objects.get().impressions == EVENTS_LIMIT + 1


def test_an_address_may_send_events_again_in_the_next_window(client, modal):
    body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
    with time_machine.travel(date(2026, 11, 15), tick=False) as traveller:
        for _ in range(EVENTS_LIMIT):
            post(client, body, REMOTE_ADDR="198.51.100.1")
        assert post(client, body, REMOTE_ADDR="198.51.100.1").status_code == 429
        traveller.shift(300)
        assert post(client, body, REMOTE_ADDR="198.51.100.1").status_code == 204


def test_counts_are_exact_after_a_flush(client, modal):
    for n in range(250):
        event = ("impression", "click", "dismiss", "reminder")[n % 4]
        body = {"appeal": modal.slug, "variant": "ab"[n % 2], "event": event}
        post(client, body, REMOTE_ADDR=f"10.0.{n // 100}.{n % 100}")
    assert counting.pending() == 250
    assert counting.flush() == 250
    assert counting.pending() == 0
    assert counts(modal) == {("a", 63, 0, 62, 0), ("b", 0, 63, 0, 62)}


def test_a_second_flush_writes_nothing_twice(modal):
    services.record_event(modal.slug, "a", "click")
    assert counting.flush() == 1
    assert counting.flush() == 0
    assert AppealCount.objects.get().clicks == 1


def test_counts_that_could_not_be_written_are_kept_for_the_next_flush(modal):
    services.record_event(modal.slug, "a", "click")
    with connection.execute_wrapper(_refuse_writes_to_counts), pytest.raises(RuntimeError):
        counting.flush()
    assert counting.pending() == 1
    assert counting.flush() == 1
    assert AppealCount.objects.get().clicks == 1


def _refuse_writes_to_counts(execute, sql, params, many, context):
    # Stands in for a database that went away mid-flush (it cannot be unplugged in a test).
    if sql.startswith("INSERT INTO") and "appealcount" in sql:
        raise RuntimeError("the database is away")
    return execute(sql, params, many, context)


def test_counts_of_an_appeal_deleted_before_the_flush_are_dropped(modal, letter):
    services.record_event(modal.slug, "a", "click")
    services.record_event(letter.slug, "a", "click")
    modal.delete()
    assert counting.flush() == 2
    assert list(AppealCount.objects.values_list("appeal__slug", "clicks")) == [(letter.slug, 1)]


def test_concurrent_posts_from_threads_lose_nothing(modal):
    from django.test import Client

    post(Client(), {"appeal": modal.slug, "variant": "a", "event": "click"})  # loads the map
    readers = itertools.count()

    def reader():
        client, address = Client(), f"10.1.0.{next(readers)}"
        for _ in range(50):
            body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
            assert post(client, body, REMOTE_ADDR=address).status_code == 204

    at_once(reader, times=8)
    assert counts(modal) == {("a", 400, 1, 0, 0)}


def test_an_events_flood_from_many_addresses_leaves_the_shared_cache_untouched(client, modal):
    cache.set("breaker:state", "tripped")  # what the flood must not evict
    before = _cache_files()
    for n in range(2000):
        body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
        assert post(client, body, REMOTE_ADDR=f"10.2.{n // 250}.{n % 250}").status_code == 204
    post(client, {"appeal": "made-up", "variant": "a", "event": "click"}, REMOTE_ADDR="10.3.0.1")
    assert _cache_files() == before
    assert cache.get("breaker:state") == "tripped"
    assert counting.flush() == 2000


def _cache_files() -> dict:
    # The tests' shared cache is the file cache: one file per key, rewritten on each write.
    location = settings.CACHES["default"]["LOCATION"]
    return {
        name: os.stat(os.path.join(location, name)).st_mtime_ns
        for name in sorted(os.listdir(location))
    }


def test_unknown_appeals_cost_one_query_a_second_at_most(client, modal):
    body = {"appeal": "made-up", "variant": "a", "event": "click"}
    with time_machine.travel(date(2026, 11, 15), tick=False) as traveller:
        assert post(client, body).status_code == 404  # loads the map
        with CaptureQueriesContext(connection) as queries:
            for n in range(100):
                body["appeal"] = f"made-up-{n}"
                assert post(client, body).status_code == 404
        assert len(queries) == 0
        traveller.shift(1.5)
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                assert post(client, body).status_code == 404
        assert len(queries) == 1


def test_known_appeals_cost_no_query_per_event(client, modal):
    body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
    post(client, body)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            assert post(client, body).status_code == 204
    assert len(queries) == 0


def test_an_appeal_created_a_moment_ago_is_counted_once_the_map_refreshes(client, modal):
    with time_machine.travel(date(2026, 11, 15), tick=False) as traveller:
        post(client, {"appeal": modal.slug, "variant": "a", "event": "click"})
        make_appeal("new-header", variants=("x",))
        body = {"appeal": "new-header", "variant": "x", "event": "impression"}
        assert post(client, body).status_code == 404  # the map was loaded this second
        traveller.shift(1.1)
        assert post(client, body).status_code == 204
    counting.flush()
    assert AppealCount.objects.get(appeal__slug="new-header").impressions == 1


def test_a_renamed_appeal_stops_being_counted_under_its_old_slug_within_seconds(client, modal):
    body = {"appeal": modal.slug, "variant": "a", "event": "impression"}
    with time_machine.travel(date(2026, 11, 15), tick=False) as traveller:
        assert post(client, body).status_code == 204
        modal.slug = "renamed"
        modal.save()
        assert post(client, body).status_code == 204  # the map is a second old
        traveller.shift(counting.MAP_MAX_AGE)
        assert post(client, body).status_code == 404
