"""POST /api/appeals/events: daily aggregate counters, no identifiers, 400 on bad input."""

import json
from datetime import date

import pytest

from appeals import services
from appeals.models import AppealCount
from appeals.views import EVENTS_LIMIT

pytestmark = pytest.mark.django_db
URL = "/api/appeals/events"


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def counts(appeal):
    return {
        (row.variant, row.impressions, row.clicks, row.dismissals, row.reminders)
        for row in AppealCount.objects.filter(appeal=appeal)
    }


def test_each_event_adds_one_to_the_days_counter_of_its_variant(client, frozen, modal):
    for event in ("impression", "impression", "click", "dismiss", "reminder"):
        response = post(client, {"appeal": modal.slug, "variant": "a", "event": event})
        assert response.status_code == 204
    post(client, {"appeal": modal.slug, "variant": "b", "event": "impression"})

    assert counts(modal) == {("a", 2, 1, 1, 1), ("b", 1, 0, 0, 0)}
    assert AppealCount.objects.get(variant="a").day == date(2026, 11, 15)


def test_counts_of_another_day_go_to_their_own_row(modal):
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 1))
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 2))
    services.record_event(modal.slug, "a", "impression", day=date(2026, 11, 2))
    assert sorted(AppealCount.objects.values_list("day", "impressions")) == [
        (date(2026, 11, 1), 1),
        (date(2026, 11, 2), 2),
    ]


def test_a_count_row_created_meanwhile_by_another_request_is_added_to(modal):
    # The other request won the race to create the row: ours updates it instead.
    day = date(2026, 11, 3)
    AppealCount.objects.create(appeal=modal, variant="a", day=day, impressions=5)
    services.record_event(modal.slug, "a", "impression", day=day)
    assert AppealCount.objects.get(day=day).impressions == 6


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe",
        "[]",
        "null",
        {"appeal": "ad-free-modal", "variant": "a"},
        {"appeal": "ad-free-modal", "variant": "a", "event": "purchase"},
        {"appeal": "ad-free-modal", "variant": "zz", "event": "click"},
        {"appeal": "nope", "variant": "a", "event": "click"},
        {"appeal": ["ad-free-modal"], "variant": "a", "event": "click"},
        {"appeal": "ad-free-modal", "variant": 1, "event": "click"},
        {"appeal": "ad-free-modal", "variant": "a", "event": "click", "pad": "x" * 2000},
    ],
)
def test_bad_input_is_a_400_that_counts_nothing(client, modal, body):
    response = post(client, body)
    assert response.status_code == 400
    assert "errors" in response.json()
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
    assert AppealCount.objects.get().impressions == EVENTS_LIMIT + 1
