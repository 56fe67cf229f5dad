"""The decline-rate breaker: when first payments are declined in bulk, checkout slows down
for everyone, for a while, and staff are told why."""

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache

from contributions import breaker
from contributions.models import Contribution, Contributor, Payment
from tests.contributions.factories import failure, make_contribution, make_contributor, make_payment

NOW = datetime(2026, 11, 30, 12, 0, 30, tzinfo=UTC)
GOOD = {"frequency": "monthly", "amount": 1000, "currency": "USD", "email": "reader@example.org"}
SLOWED = "Many payments are failing right now, so we are slowing checkout down."


@pytest.fixture
def clock():
    """Time stands still until a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def attempts(checkouts: int, declines: int) -> None:
    for _ in range(checkouts):
        breaker.note_checkout()
    for _ in range(declines):
        breaker.note_decline()


@pytest.fixture
def tripped(clock):
    attempts(checkouts=25, declines=20)
    assert breaker.state()["tripped"]
    return clock


def checkout(client, address="192.0.2.1", **change):
    return client.post(
        "/api/checkout",
        data=json.dumps({**GOOD, **change}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


# Counting and tripping ---------------------------------------------------------------------


def test_checkouts_and_declines_are_counted_over_the_last_ten_minutes(clock):
    attempts(checkouts=3, declines=1)
    clock.shift(timedelta(minutes=5))
    attempts(checkouts=2, declines=1)
    state = breaker.state()
    assert (state["checkouts"], state["declines"], state["tripped"]) == (5, 2, False)
    assert state["until"] is None
    clock.shift(timedelta(minutes=5))  # the first minute's counts have left the window
    assert (breaker.state()["checkouts"], breaker.state()["declines"]) == (2, 1)
    clock.shift(timedelta(minutes=5))
    assert (breaker.state()["checkouts"], breaker.state()["declines"]) == (0, 0)


def test_counts_outlive_a_quiet_spell_inside_the_window(clock):
    attempts(checkouts=4, declines=2)
    clock.shift(timedelta(minutes=9))
    assert (breaker.state()["checkouts"], breaker.state()["declines"]) == (4, 2)


def test_the_breaker_trips_when_enough_declines_are_half_the_checkouts(clock):
    attempts(checkouts=40, declines=19)
    assert not breaker.state()["tripped"]  # under the minimum count
    breaker.note_decline()  # 20 of 40: both the minimum and 50 %
    state = breaker.state()
    assert state["tripped"]
    assert state["since"] == NOW
    assert state["until"] == NOW + timedelta(minutes=15)
    assert (state["tripped_at_declines"], state["tripped_at_checkouts"]) == (20, 40)


def test_many_checkouts_with_few_declines_never_trip(clock):
    for _ in range(10):
        attempts(checkouts=100, declines=40)  # 400 declines, but 40 %
        assert not breaker.state()["tripped"]
        clock.shift(timedelta(seconds=50))


def test_a_few_declines_never_trip_even_when_every_checkout_fails(clock):
    attempts(checkouts=19, declines=19)
    assert not breaker.state()["tripped"]


def test_the_thresholds_come_from_settings(clock, settings):
    settings.READERFUND_BREAKER_MIN_DECLINES = 3
    settings.READERFUND_BREAKER_DECLINE_PERCENT = 75
    attempts(checkouts=4, declines=2)
    assert not breaker.state()["tripped"]
    breaker.note_decline()
    assert breaker.state()["tripped"]


def test_the_breaker_stays_tripped_until_the_cooldown_after_declines_last_spiked(tripped):
    tripped.shift(timedelta(minutes=5))
    breaker.note_decline()  # still spiking: the cool-down starts again
    state = breaker.state()
    assert state["since"] == NOW
    assert state["until"] == NOW + timedelta(minutes=20)
    tripped.shift(timedelta(minutes=14, seconds=59))
    assert breaker.state()["tripped"]
    tripped.shift(timedelta(seconds=2))
    state = breaker.state()
    assert not state["tripped"]
    assert state["since"] is None and state["until"] is None


def test_a_decline_after_the_window_has_calmed_down_does_not_extend_the_cooldown(tripped):
    tripped.shift(timedelta(minutes=11))  # the spike has left the window
    breaker.note_decline()
    assert breaker.state()["until"] == NOW + timedelta(minutes=15)


def test_the_cooldown_comes_from_settings(clock, settings):
    settings.READERFUND_BREAKER_COOLDOWN = 120
    attempts(checkouts=20, declines=20)
    clock.shift(timedelta(seconds=121))
    assert not breaker.state()["tripped"]


def test_a_trip_is_logged_once_with_figures_only(clock, caplog):
    with caplog.at_level(logging.WARNING, logger="contributions.breaker"):
        attempts(checkouts=30, declines=28)
    (record,) = [r for r in caplog.records if r.name == "contributions.breaker"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("breaker tripped: 20 of 30 first payments declined")


def test_a_cache_failure_while_counting_is_logged_and_swallowed(clock, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("redis://:hunter2@cache.internal:6379 is unreachable")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)
    with caplog.at_level(logging.WARNING, logger="contributions.breaker"):
        assert breaker.note_decline() is None
        assert breaker.note_checkout() is None
    messages = [r.getMessage() for r in caplog.records if r.name == "contributions.breaker"]
    assert messages == [
        "breaker: a decline was not counted (ConnectionError)",
        "breaker: a checkout was not counted (ConnectionError)",
    ]


# Checkout while tripped --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tripped_breaker_answers_429_beyond_the_budget_and_creates_nothing(
    tripped, client, settings, stripe_settings
):
    settings.READERFUND_BREAKER_BUDGET = 2
    assert checkout(client, "192.0.2.1", email="first@example.org").status_code == 201
    assert checkout(client, "192.0.2.2", email="second@example.org").status_code == 201
    response = checkout(client, "192.0.2.3", email="third@example.org")
    assert response.status_code == 429
    assert response.json()["errors"]["__all__"][0].startswith(SLOWED)
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "private, no-store"
    assert (Contribution.objects.count(), Contributor.objects.count()) == (2, 2)
    tripped.shift(timedelta(minutes=1))  # a new minute, a new budget
    assert checkout(client, "192.0.2.3", email="third@example.org").status_code == 201


@pytest.mark.django_db
def test_while_tripped_one_address_gets_a_much_tighter_limit(tripped, client, stripe_settings):
    for n in range(breaker.SLOWED_LIMIT):
        assert checkout(client, "192.0.2.7", email=f"r{n}@example.org").status_code == 201
    response = checkout(client, "192.0.2.7", email="another@example.org")
    assert response.status_code == 429
    assert response.json()["errors"]["__all__"][0].startswith(SLOWED)
    assert 0 < int(response["Retry-After"]) <= breaker.SLOWED_WINDOW
    assert checkout(client, "192.0.2.8").status_code == 201  # another reader
    assert Contribution.objects.count() == breaker.SLOWED_LIMIT + 1


@pytest.mark.django_db
def test_junk_from_many_addresses_spends_none_of_the_budget(
    tripped, client, settings, stripe_settings
):
    settings.READERFUND_BREAKER_BUDGET = 2
    for n in range(40):  # invalid JSON and invalid forms, each from its own address
        junk = client.post(
            "/api/checkout", data="{", content_type="application/json", REMOTE_ADDR=f"10.9.0.{n}"
        )
        assert junk.status_code == 400
        junk_form = checkout(client, f"10.9.1.{n}", amount=1, email=f"j{n}@example.org")
        assert junk_form.status_code == 400
    assert checkout(client, "192.0.2.1", email="first@example.org").status_code == 201
    assert checkout(client, "192.0.2.2", email="second@example.org").status_code == 201


@pytest.mark.django_db
def test_invalid_checkouts_have_a_limit_of_their_own(clock, client, stripe_settings):
    for _ in range(10):
        assert checkout(client, "192.0.2.9", amount=1).status_code == 400
    assert checkout(client, "192.0.2.9", amount=1).status_code == 429
    # A valid checkout from the same address is not refused for the junk before it.
    assert checkout(client, "192.0.2.9", email="real@example.org").status_code == 201


@pytest.mark.django_db
def test_checkout_is_untouched_and_counted_when_the_breaker_is_not_tripped(
    clock, client, settings, stripe_settings
):
    settings.READERFUND_BREAKER_BUDGET = 1
    for n in range(3):
        response = checkout(client, f"192.0.2.{n + 1}", email=f"reader{n}@example.org")
        assert response.status_code == 201
        assert response.json()["client_secret"]
    assert breaker.state()["checkouts"] == 3
    assert Contribution.objects.count() == 3


@pytest.mark.django_db
def test_a_refused_checkout_is_not_counted(clock, client):
    checkout(client, amount=1)
    assert breaker.state()["checkouts"] == 0


# Staff -------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("finance", "f@example.org", "pw")
    client.force_login(user)
    return client


def test_staff_see_why_checkout_is_slowed_on_the_admin_home(tripped, staff_client):
    page = staff_client.get("/admin/").content.decode()
    assert "Checkout is slowed down" in page
    assert "because 20 of 25 first payments were declined within 10 minutes" in page
    assert "10 checkouts a minute in all" in page


def test_the_admin_home_shows_no_warning_when_checkout_runs_normally(clock, staff_client):
    attempts(checkouts=25, declines=19)
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert "Checkout is slowed down" not in response.content.decode()


def test_editors_who_cannot_see_contributions_get_no_warning(tripped, client, db):
    from django.contrib.auth.models import Group

    editor = get_user_model().objects.create_user("editor", "e@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))  # Wagtail's: pages, not money
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Checkout is slowed down" not in response.content.decode()


# What counts as a decline ------------------------------------------------------------------


def test_a_declined_first_payment_counts_once_however_often_it_is_reported(
    db, clock, django_capture_on_commit_callbacks
):
    from contributions.services.facts import apply_fact

    contribution = make_contribution()
    payment = make_payment(contribution)
    renewing = make_contribution(make_contributor("renews@example.org"), status="active")
    renewal = make_payment(renewing, period=2)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the charge's own answer, then the webhook, then a replay
            apply_fact("stripe", failure(contribution, payment))
        apply_fact("stripe", failure(renewing, renewal))  # not a checkout
    assert breaker.state()["declines"] == 1

    # The donor tries the same checkout again and is declined again: still one.
    payment.refresh_from_db()
    Payment.objects.filter(pk=payment.pk).update(status="claimed", attempts=2)
    with django_capture_on_commit_callbacks(execute=True):
        apply_fact("stripe", failure(contribution, payment))
    assert breaker.state()["declines"] == 1


@pytest.mark.django_db
def test_checkout_records_the_language_of_the_page_the_donor_gave_from(
    client, settings, stripe_settings
):
    settings.LANGUAGE_CODE = "ru"
    assert checkout(client, email="russian@example.org").status_code == 201
    settings.LANGUAGE_CODE = "en"
    assert checkout(client, "192.0.2.9", email="english@example.org").status_code == 201
    assert sorted(Contribution.objects.values_list("language", flat=True)) == ["en", "ru"]
