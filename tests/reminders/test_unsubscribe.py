"""One-click unsubscribe: a GET asks, a POST (a person's or a mail client's) erases."""

from datetime import date

import pytest
from django.test import Client

from privacy.crypto import email_index
from reminders.models import Reminder
from tests.page_helpers import assert_no_appeals
from tests.reminders.conftest import READER, make_reminder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def reminders():
    """Two reminders of one reader (typed differently) and one of someone else."""
    return (
        make_reminder(remind_on=date(2026, 12, 1)),
        make_reminder(email="READER.ONE@example.org", remind_on=date(2027, 2, 28)),
        make_reminder(email="someone.else@example.org"),
    )


def url(reminder):
    return f"/reminders/unsubscribe/{reminder.code}"


def test_the_link_carries_only_a_random_code(reminders):
    first, second, _ = reminders
    assert first.code != second.code
    assert "reader" not in first.code.lower() and email_index(READER)[:8] not in first.code


def test_following_the_link_asks_first_and_changes_nothing(reminders):
    response = Client().get(url(reminders[0]))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert Reminder.objects.count() == 3
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"] and not response.cookies
    assert_no_appeals(response.content.decode())


def test_confirming_erases_every_reminder_of_the_address_and_nothing_else(reminders):
    response = Client(enforce_csrf_checks=True).post(url(reminders[0]))
    assert response.status_code == 200
    assert "erased" in response.content.decode()
    assert list(Reminder.objects.values_list("email_index", flat=True)) == [
        email_index("someone.else@example.org")
    ]


def test_the_one_click_post_of_a_mail_client_erases_without_a_token(reminders):
    response = Client(enforce_csrf_checks=True).post(
        url(reminders[1]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Reminder.objects.filter(email_index=email_index(READER)).exists()


def test_a_used_or_unknown_code_answers_that_there_is_nothing_to_cancel(reminders):
    client = Client()
    client.post(url(reminders[0]))
    assert client.post(url(reminders[0])).status_code == 200  # a second click
    response = client.get(url(reminders[1]))
    assert "Nothing to cancel" in response.content.decode()
    assert client.get("/reminders/unsubscribe/not-a-code").status_code == 200
    assert client.get("/reminders/unsubscribe/a@b.org").status_code == 404


def test_staff_see_counts_and_never_an_address(reminders, admin_client):
    response = admin_client.get("/admin/reminders/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scheduled" in html and "<td>3</td>" in html
    assert "example.org" not in html and reminders[0].code not in html
