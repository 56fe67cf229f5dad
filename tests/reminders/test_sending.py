"""Sending: on the day, once, through a real SMTP server on loopback (tests/mail_helpers.py)."""

import logging
import re
import socket
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from reminders import services
from reminders.models import Reminder, ReminderSettings
from tests import factories
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.reminders.conftest import NOW, READER, at, make_reminder

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 1)
ON_THE_DAY = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def newsroom_home(db):
    return factories.make_home("The Test Ledger")


@pytest.fixture
def reminder(frozen_now, newsroom_home):
    return make_reminder(
        frequency="monthly", amount=1500, currency="USD", appeal="end-of-article", variant="b"
    )


def test_a_reminder_is_sent_on_its_day_once_with_one_click_unsubscribe(reminder, mailbox):
    with at(ON_THE_DAY - timedelta(minutes=1)):
        assert services.send_due()["sent"] == 0  # before 08:00 on the day
    with at(ON_THE_DAY):
        assert services.send_due()["sent"] == 1
        assert services.send_due()["sent"] == 0
    (message,) = mailbox.wait_for(1)
    assert message["To"] == READER
    assert message["Subject"] == "Your reminder to support The Test Ledger"
    assert message["From"] == "The Test Ledger <noreply@localhost>"
    assert message["Auto-Submitted"] == "auto-generated"
    unsubscribe = f"http://testserver/reminders/unsubscribe/{reminder.code}"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # may be folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith(f"<reminder.{reminder.pk}.")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Give $15.00 monthly" in text and "Give $15.00 monthly" in html
    assert re.search(r'<a href="[^"]+" style="[^"]*background-color:#8c1c13;', html)
    links = set(URL.findall(text))
    assert unsubscribe in links and f'href="{unsubscribe}"' in html
    (support,) = [link for link in links if "/support/" in link]
    assert urlsplit(support).path == "/support/"
    assert parse_qs(urlsplit(support).query) == {
        "frequency": ["monthly"],
        "amount": ["15.00"],
        "currency": ["USD"],
        "appeal": ["end-of-article"],
        "variant": ["b"],
    }
    assert READER.lower() not in support.lower()
    reminder.refresh_from_db()
    assert reminder.status == "sent" and reminder.email is None  # the address is dropped


def test_the_link_in_the_reminder_opens_the_support_form_prefilled(reminder, mailbox, client):
    with at(ON_THE_DAY):
        services.send_due()
    (message,) = mailbox.wait_for(1)
    support = next(u for u in URL.findall(message.get_body(("plain",)).get_content()) if "/su" in u)
    html = client.get(support.removeprefix("http://testserver")).content.decode()
    assert re.search(r'value="monthly"[^>]*checked', html)
    assert 'value="end-of-article"' in html and 'value="b"' in html


def test_a_reminder_without_a_choice_links_to_the_plain_support_page(frozen_now, mailbox):
    make_reminder()
    with at(ON_THE_DAY):
        services.send_due()
    text = mailbox.wait_for(1)[0].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Support us:\nhttp://testserver/support/\n" in text


def test_staff_can_write_the_letter(reminder, mailbox, newsroom_home):
    settings = ReminderSettings.for_site(newsroom_home.get_site())
    settings.letter = "Winter is hard for us.\n\nPlease help & stay safe."
    settings.save()
    with at(ON_THE_DAY):
        services.send_due()
    message = mailbox.wait_for(1)[0]
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Winter is hard for us.\n\nPlease help & stay safe." in text
    assert "Please help &amp; stay safe." in message.get_body(("html",)).get_content()


def test_the_command_sends_what_is_due_on_the_date_it_is_given(frozen_now, mailbox):
    make_reminder(remind_on=DAY)
    make_reminder(remind_on=date(2026, 12, 2))
    call_command("send-reminders", "--date", "2026-12-01")
    assert len(mailbox.wait_for(1)) == 1
    assert list(Reminder.objects.order_by("remind_on").values_list("status", flat=True)) == [
        "sent",
        "scheduled",
    ]


def test_a_late_run_catches_up_on_the_days_it_missed(frozen_now, mailbox):
    make_reminder(remind_on=DAY)
    make_reminder(remind_on=date(2026, 12, 2))
    with at(datetime(2026, 12, 5, 12, 0, tzinfo=UTC)):
        assert services.send_due()["sent"] == 2


# Readers who gave ------------------------------------------------------------------------------


def give(email, status="succeeded"):
    contribution = make_contribution(make_contributor(email), status="active")
    make_payment(contribution, status=status)
    return contribution


def test_a_reader_who_gave_after_asking_is_not_reminded(reminder, mailbox):
    give("reader.one@EXAMPLE.org")  # the same person, typed differently
    with at(ON_THE_DAY):
        counts = services.send_due()
    assert (counts["sent"], counts["cancelled"]) == (0, 1)
    assert mailbox.messages == []
    reminder.refresh_from_db()
    assert reminder.status == "cancelled" and reminder.email is None


def test_a_gift_that_failed_or_came_before_asking_does_not_cancel_the_reminder(
    newsroom_home, mailbox
):
    with at(NOW - timedelta(days=3)):
        give(READER)  # an old gift: the reader asked to be reminded since
    with at(NOW):
        make_reminder()
        give("other@example.org")
        contribution = make_contribution(make_contributor("x@example.org"), status="active")
        make_payment(contribution, status="failed")
        make_reminder(email="x@example.org")
    with at(ON_THE_DAY):
        assert services.send_due()["sent"] == 2


# Failures and crashes --------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_leaves_every_reminder_for_a_later_run(
    frozen_now, mailbox, settings
):
    for n in range(3):
        make_reminder(email=f"r{n}@example.org")
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port()
    with at(ON_THE_DAY), pytest.raises(services.MailServerUnavailable):
        services.send_due()
    assert set(Reminder.objects.values_list("status", "claimed_by", "attempts")) == {
        ("scheduled", "", 0)
    }
    settings.EMAIL_PORT = port
    with at(ON_THE_DAY + timedelta(minutes=1)):
        assert services.send_due()["sent"] == 3
    assert len(mailbox.wait_for(3)) == 3


class Picky:
    """An SMTP server that refuses one address for good and asks another to try later."""

    def __init__(self):
        self.accepted = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("gone@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos[0].startswith("busy@"):
            return "451 4.3.0 try again later"
        self.accepted.append(envelope.rcpt_tos[0])
        return "250 OK"


@pytest.fixture
def picky_server(mailbox, settings):
    from aiosmtpd.controller import Controller

    from tests.processes import free_port

    handler = Picky()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), server_hostname="localhost"
    )
    controller.start()
    settings.EMAIL_PORT = controller.port
    yield handler
    controller.stop()


def test_a_refused_address_fails_and_a_busy_server_is_tried_again_later(frozen_now, picky_server):
    for name in ("a", "gone", "busy", "b"):
        make_reminder(email=f"{name}@example.org")
    with at(ON_THE_DAY), pytest.raises(services.MailServerUnavailable):
        services.send_due()
    assert picky_server.accepted == ["a@example.org"]
    statuses = dict(Reminder.objects.values_list("pk", "status"))
    assert sorted(statuses.values()) == ["failed", "scheduled", "scheduled", "sent"]
    with at(ON_THE_DAY + timedelta(minutes=1)):
        assert services.send_due()["sent"] == 1  # "b"; "busy" waits 10 minutes
    assert picky_server.accepted == ["a@example.org", "b@example.org"]
    busy = Reminder.objects.get(status="scheduled")
    assert busy.next_attempt_at == ON_THE_DAY + services.RETRY_AFTER[0]
    with at(ON_THE_DAY + timedelta(minutes=11)), pytest.raises(services.MailServerUnavailable):
        services.send_due()
    busy.refresh_from_db()
    assert busy.attempts == 2 and busy.next_attempt_at > ON_THE_DAY + timedelta(hours=1)


def abandon_claim(run="dead-run"):
    """What a run killed right after claiming leaves behind."""
    return services.claim(DAY, run, 100)


def test_a_claim_left_by_a_dead_run_is_taken_over_after_ten_minutes(frozen_now, mailbox):
    make_reminder()
    with at(ON_THE_DAY):
        assert len(abandon_claim()) == 1
        assert services.send_due()["sent"] == 0  # the claim may be a live run's
    with at(ON_THE_DAY + services.RECLAIM_AFTER + timedelta(seconds=1)):
        assert services.send_due()["sent"] == 1
    assert len(mailbox.wait_for(1)) == 1


def test_a_stalled_run_does_not_send_what_another_run_took_over(frozen_now, mailbox):
    make_reminder(email="first@example.org")
    make_reminder(email="second@example.org")
    with at(ON_THE_DAY):
        stalled = abandon_claim("stalled-run")
    with at(ON_THE_DAY + timedelta(minutes=11)):
        assert services.send_due()["sent"] == 2
        # The stalled run wakes up and goes on with its batch: none of it is its own now.
        counts = Counter()
        services._send_batch(stalled, "stalled-run", mail.get_connection(), counts)
    assert counts == {"taken over": 2}
    assert len(mailbox.wait_for(2)) == 2
    time.sleep(0.2)
    assert len(mailbox.messages) == 2


def test_a_reminder_that_kills_every_run_stops_after_five_attempts(frozen_now, mailbox):
    reminder = make_reminder()
    moment = ON_THE_DAY
    for _ in range(services.MAX_ATTEMPTS):
        with at(moment):
            abandon_claim()
        moment += timedelta(minutes=11)
    with at(moment):
        counts = services.send_due()
    assert (counts["sent"], counts["failed"]) == (0, 1)
    reminder.refresh_from_db()
    assert reminder.status == "failed" and reminder.email is None


# Retention and logs ----------------------------------------------------------------------------


def test_sent_and_cancelled_reminders_are_erased_after_thirty_days(frozen_now, mailbox):
    make_reminder(email="sent@example.org")
    make_reminder(email="cancelled@example.org")
    give("cancelled@example.org")
    make_reminder(email="later@example.org", remind_on=date(2027, 2, 1))
    with at(ON_THE_DAY):
        services.send_due()
    with at(ON_THE_DAY + timedelta(days=30)):
        assert services.erase_expired() == 0
    with at(ON_THE_DAY + timedelta(days=30, minutes=1)):
        assert services.run_daily()["erased"] == 2
    assert list(Reminder.objects.values_list("remind_on", flat=True)) == [date(2027, 2, 1)]


def test_sending_logs_nothing_about_the_reader(reminder, mailbox, caplog):
    caplog.set_level(logging.DEBUG)
    with at(ON_THE_DAY):
        call_command("send-reminders")
    mailbox.wait_for(1)
    text = caplog.text.lower()
    assert "reader.one" not in text and reminder.code not in caplog.text


def test_each_reader_is_reminded_in_the_language_they_signed_up_in(newsroom_home, mailbox):
    """One run, two readers: the one who signed up on a Russian page gets Russian, the other
    English (the site's), each letter rendered once per language."""
    with at(NOW):
        choice = {"frequency": "monthly", "amount": 1000, "currency": "USD"}
        russian = make_reminder("russian@example.org", **choice)
        Reminder.objects.filter(pk=russian.pk).update(language="ru")
        make_reminder("english@example.org", **choice)
    with at(ON_THE_DAY):
        assert services.send_due()["sent"] == 2
    by_address = {message["To"]: message for message in mailbox.wait_for(2)}
    russian_mail, english_mail = (
        by_address["russian@example.org"],
        by_address["english@example.org"],
    )
    assert russian_mail["Subject"].strip() == "Напоминание о поддержке редакции The Test Ledger"
    assert "10,00\xa0$" in russian_mail.get_body(("plain",)).get_content()
    assert english_mail["Subject"] == "Your reminder to support The Test Ledger"
    assert "Give $10.00 monthly" in english_mail.get_body(("plain",)).get_content()
