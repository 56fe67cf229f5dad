"""Asking for a reminder: the JSON API and the plain form page."""

import json
from datetime import date

import pytest

from privacy.crypto import email_index
from reminders import dates
from reminders.models import Reminder, ReminderDate
from tests.page_helpers import assert_no_appeals
from tests.reminders.conftest import READER

pytestmark = pytest.mark.usefixtures("frozen_now")


def post_api(client, **fields):
    body = {"email": READER, "remind_on": "2026-12-01", **fields}
    return client.post("/api/reminders", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_reminder_asked_through_the_api_is_stored_encrypted_and_found_by_keyed_hash(client):
    response = post_api(
        client, frequency="monthly", amount=1000, currency="USD", appeal="end-of-article"
    )
    assert response.status_code == 201
    assert response.json() == {"remind_on": "2026-12-01", "status": "unconfirmed"}
    reminder = Reminder.objects.get(email_index=email_index("reader.one@EXAMPLE.org"))
    assert reminder.email == READER
    assert (reminder.frequency, reminder.amount, reminder.currency) == ("monthly", 1000, "USD")
    assert reminder.appeal == "end-of-article" and reminder.status == "scheduled"
    assert len(reminder.code) >= 32
    raw = Reminder.objects.extra(select={"raw": "email"}).values_list("raw", flat=True).get()
    assert READER.lower() not in raw.lower()
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"remind_on": "2026-11-27"}, "remind_on"),
        ({"remind_on": "2026-11-28"}, "remind_on"),  # today is not "later"
        ({"remind_on": "2027-11-29"}, "remind_on"),  # more than a year ahead
        ({"remind_on": "1 December"}, "remind_on"),
        ({"amount": 1000, "currency": "XXX"}, "currency"),
        ({"amount": 1000}, "currency"),
        ({"amount": 1, "currency": "USD"}, "amount"),
        ({"frequency": "weekly"}, "frequency"),
        ({"appeal": "<script>"}, "appeal"),
    ],
)
def test_bad_input_is_a_400_with_a_message_for_the_field_and_stores_nothing(client, fields, field):
    response = post_api(client, **fields)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert response.json()["errors"][field][0]
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_day_exactly_a_year_ahead_is_accepted(client):
    assert post_api(client, remind_on="2027-11-28").status_code == 201


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_415(client):
    response = client.post("/api/reminders", {"email": READER})
    assert response.status_code == 415 and "__all__" in response.json()["errors"]


@pytest.mark.django_db
def test_the_same_email_and_day_twice_make_one_reminder_and_the_same_answer(client):
    first = post_api(client, frequency="monthly", amount=1000, currency="USD")
    second = post_api(client, email="  READER.one@example.org ", frequency="once")
    assert (first.status_code, first.json()) == (second.status_code, second.json())
    assert Reminder.objects.get().frequency == "monthly"  # the first one stands
    post_api(client, remind_on="2027-02-28")
    assert Reminder.objects.count() == 2


@pytest.mark.django_db
def test_signups_are_rate_limited_per_email(client):
    for day in range(1, 6):
        assert post_api(client, remind_on=f"2026-12-0{day}").status_code == 201
    response = post_api(client, remind_on="2026-12-09")
    assert response.status_code == 429 and response["Retry-After"]
    assert Reminder.objects.count() == 5


@pytest.mark.django_db
def test_signups_are_rate_limited_per_client_address(client):
    codes = [post_api(client, email=f"r{n}@example.org").status_code for n in range(21)]
    assert codes == [201] * 20 + [429]


# Choosing the day ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 11, 19), date(2026, 12, 1)),
        (date(2026, 11, 20), date(2027, 1, 1)),
        (date(2026, 12, 28), date(2027, 2, 1)),
    ],
)
def test_next_month_is_the_first_of_next_month_or_from_the_20th_of_the_month_after(today, expected):
    assert dates.next_month(today) == expected


def test_in_three_months_keeps_the_day_or_takes_the_month_end():
    assert dates.add_months(date(2026, 11, 28), 3) == date(2027, 2, 28)
    assert dates.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.django_db
def test_the_form_offers_next_month_three_months_and_staff_named_days_within_a_year():
    ReminderDate.objects.create(label="Giving Tuesday", date=date(2026, 12, 1))
    ReminderDate.objects.create(label="Last year", date=date(2025, 12, 2))
    ReminderDate.objects.create(label="Too far", date=date(2028, 1, 1))
    offered = [(o.label, o.day) for o in dates.options(date(2026, 11, 28))]
    assert offered == [
        ("Giving Tuesday", date(2026, 12, 1)),
        ("Next month", date(2027, 1, 1)),
        ("In 3 months", date(2027, 2, 28)),
    ]


# The page without JavaScript -----------------------------------------------------------------


LINK = "/reminders/new/?appeal=end-of-article&variant=b&frequency=monthly&amount=10&currency=USD"


@pytest.mark.django_db
def test_the_page_is_prefilled_from_the_link_and_sets_no_cookie(client):
    response = client.get(LINK)
    assert response.status_code == 200
    html = response.content.decode()
    for name, value in [
        ("appeal", "end-of-article"),
        ("variant", "b"),
        ("frequency", "monthly"),
        ("amount", "1000"),
        ("currency", "USD"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    assert "$10.00 monthly" in html
    assert 'value="2027-01-01" checked' in html  # next month, from the 20th on
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_page_drops_what_is_not_valid_in_the_link(client):
    html = client.get("/reminders/new/?frequency=weekly&amount=abc&currency=USD&appeal=<x>")
    html = html.content.decode()
    assert 'name="frequency"' not in html and 'name="amount"' not in html
    assert 'name="appeal"' not in html and 'name="currency" value="USD"' in html


@pytest.mark.django_db
def test_the_form_posts_without_a_token_and_confirms_the_day(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/reminders/new/",
        {"email": READER, "remind_on": "2027-01-01", "frequency": "monthly", "amount": "1000",
         "currency": "USD", "appeal": "end-of-article", "variant": "b"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "January 1, 2027" in response.content.decode()
    assert READER not in response.content.decode()
    assert not response.cookies and "no-store" in response["Cache-Control"]
    assert_no_appeals(response.content.decode())
    reminder = Reminder.objects.get()
    assert (reminder.remind_on, reminder.amount, reminder.variant) == (date(2027, 1, 1), 1000, "b")


@pytest.mark.django_db
def test_the_form_shows_a_bad_email_next_to_its_field_and_keeps_the_choice(client):
    response = client.post(
        "/reminders/new/", {"email": "nope", "remind_on": "2027-01-01", "frequency": "annual"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="reminder-email-error"' in html and 'aria-invalid="true"' in html
    assert '<input type="hidden" name="frequency" value="annual">' in html
    assert 'value="2027-01-01" checked' in html
    assert not Reminder.objects.exists()
