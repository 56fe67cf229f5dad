"""Reminders are confirmed: one confirmation email per address per week whatever is
submitted, only confirmed reminders are sent, unconfirmed ones are erased after 48 hours.
Real SMTP (aiosmtpd); the tasks run on commit."""

import re
from datetime import date, timedelta

import pytest
import time_machine

from reminders import services
from reminders.models import ConfirmationAsked, Reminder
from tests.reminders.conftest import NOW

DAY = date(2026, 12, 1)
LINK = re.compile(r"https?://[^\s\"'<>]*/reminders/confirm/[A-Za-z0-9_-]+")


@pytest.fixture
def signups(mailbox, transactional_db, newsroom):
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock, mailbox


def signup(client, email="reader@example.org", day=DAY, address="192.0.2.1"):
    return client.post(
        "/reminders/new/", {"email": email, "remind_on": day.isoformat()}, REMOTE_ADDR=address
    )


def confirm_link(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(0)


def test_a_new_reminder_waits_for_its_reader_to_confirm_it(signups, client):
    clock, mailbox = signups
    assert signup(client).status_code == 200
    reminder = Reminder.objects.get()
    assert reminder.confirmed_at is None
    (asked,) = mailbox.wait_for(1)
    assert str(asked["To"]) == "reader@example.org"
    assert "List-Unsubscribe" not in asked  # nothing to unsubscribe from yet
    clock.move_to(NOW.replace(day=1, month=12) + timedelta(hours=1))
    assert services.send_due(DAY)["sent"] == 0  # never sent unconfirmed
    assert len(mailbox.messages) == 1


def test_confirming_asks_on_get_and_acts_on_post(signups, client):
    _, mailbox = signups
    signup(client)
    path = confirm_link(mailbox.wait_for(1)[0]).split("testserver", 1)[-1]
    assert client.get(path).status_code == 200  # a mail scanner following the link
    assert Reminder.objects.get().confirmed_at is None
    assert "Reminder confirmed" in client.post(path).content.decode()
    assert Reminder.objects.get().confirmed_at is not None
    assert "Nothing to confirm" in client.post(path).content.decode()  # used


def test_an_address_gets_one_confirmation_a_week_whatever_is_submitted(signups, client):
    clock, mailbox = signups
    for n, day in enumerate([DAY, date(2026, 12, 2), date(2027, 1, 5)]):
        signup(client, "target@example.org", day, address=f"192.0.2.{n + 1}")
        signup(client, "Target@Example.org", day, address=f"198.51.100.{n + 1}")
    assert len(mailbox.wait_for(1)) == 1
    assert Reminder.objects.count() == 3
    clock.shift(timedelta(days=3))
    signup(client, "target@example.org", date(2027, 2, 1))
    assert len(mailbox.messages) == 1  # still within the week
    clock.shift(timedelta(days=5))
    signup(client, "target@example.org", date(2027, 3, 1))
    assert len(mailbox.wait_for(2)) == 2


def test_confirming_one_link_confirms_the_address_s_waiting_reminders(signups, client):
    _, mailbox = signups
    signup(client, day=DAY)
    signup(client, day=date(2026, 12, 2))
    path = confirm_link(mailbox.wait_for(1)[0]).split("testserver", 1)[-1]
    client.post(path)
    assert Reminder.objects.filter(confirmed_at__isnull=True).count() == 0


def test_unconfirmed_reminders_are_erased_after_48_hours(signups, client):
    clock, mailbox = signups
    signup(client)
    clock.shift(timedelta(hours=47))
    assert services.erase_expired() == 0
    clock.shift(timedelta(hours=2))
    assert services.erase_expired() == 1
    assert not Reminder.objects.exists()
    path = confirm_link(mailbox.wait_for(1)[0]).split("testserver", 1)[-1]
    assert "Nothing to confirm" in client.post(path).content.decode()
    clock.shift(timedelta(days=6))
    services.erase_expired()
    assert not ConfirmationAsked.objects.exists()  # the week is over: forgotten too


def test_the_confirmation_is_asked_in_the_language_of_the_signup_page(signups, client, settings):
    _, mailbox = signups
    settings.LANGUAGE_CODE = "ru"  # the page the reader signs up on speaks Russian
    assert signup(client).status_code == 200
    settings.LANGUAGE_CODE = "en"  # and the site speaks English by the time the mail goes
    assert Reminder.objects.get().language == "ru"
    (asked,) = mailbox.wait_for(1)
    assert asked["Subject"].strip().startswith("Пожалуйста, подтвердите напоминание")
