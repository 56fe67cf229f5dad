"""Emails to donors, sent over real SMTP to a server on loopback (see tests/mail_helpers.py)."""

import email
import email.policy
import logging
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.mail import EmailMessage

from contributions import authentication, emails, notices
from contributions.models import Contribution, Contributor, Delivery, LedgerEntry, Payment
from newsroom.models import NewsroomSettings
from privacy.crypto import email_index
from readerfund.lib.env import ConfigError
from readerfund.lib.mail import OutboxBackend, anymail_settings, smtp_server
from tests import factories

DONOR_EMAIL = "siobhan@example.org"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def newsroom_settings(db):
    factories.make_home("The Test Ledger")
    found = NewsroomSettings.objects.get(site__is_default_site=True)
    found.legal_name = "Test Ledger Media gGmbH"
    found.save()
    return found


def make_contribution(*, name="Siobhán O'Brien", anonymous=False, frequency="monthly"):
    contributor = Contributor.objects.create(
        email=DONOR_EMAIL, email_index=email_index(DONOR_EMAIL), name=name
    )
    return Contribution.objects.create(
        contributor=contributor,
        frequency=frequency,
        amount=1000,
        currency="USD",
        anonymous=anonymous,
        provider="stripe",
        status=Contribution.Status.ACTIVE if frequency != "once" else Contribution.Status.PAID,
        next_charge_on=date(2026, 12, 1) if frequency != "once" else None,
    )


def make_someone_elses_contribution():
    contributor = Contributor.objects.create(
        email="other@example.org", email_index=email_index("other@example.org")
    )
    return Contribution.objects.create(
        contributor=contributor, frequency="once", amount=500, currency="EUR", provider="stripe"
    )


def make_paid_payment(contribution, *, status=Payment.Status.SUCCEEDED) -> Payment:
    payment = Payment.objects.create(
        contribution=contribution,
        period=0,
        due_on=date(2026, 11, 1),
        amount=contribution.per_period.amount,
        currency=contribution.currency,
        status=status,
        provider_reference="pi_1",
    )
    if status == Payment.Status.SUCCEEDED:
        LedgerEntry.objects.create(
            kind=LedgerEntry.Kind.CHARGE,
            contribution=contribution,
            payment=payment,
            amount=payment.amount,
            currency=payment.currency,
            occurred_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
            source="stripe",
            reference="ch_1",
        )
    return payment


@pytest.fixture
def monthly_payment(newsroom_settings):
    return make_paid_payment(make_contribution())


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_receipt_arrives_with_amount_frequency_next_date_and_legal_name(mailbox, monthly_payment):
    emails.send_receipt(monthly_payment)

    [message] = mailbox.wait_for(1)
    assert message["To"] == DONOR_EMAIL
    assert message["From"] == "The Test Ledger <noreply@localhost>"
    assert message["Subject"] == "Your receipt from The Test Ledger"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    for part in (text, html):
        assert "Thank you for supporting The Test Ledger" in part
        assert "$10.00" in part
        assert "every month" in part
        assert "November 2, 2026" in part  # the day the charge was made
        assert "December 1, 2026" in part  # the next payment
        assert "Test Ledger Media gGmbH" in part
        assert f"RF-{monthly_payment.pk:08d}" in part
        assert "http://testserver/support/manage/" in part
        assert "To change or stop this contribution" in part
    assert "Dear Siobhán O'Brien," in text  # the text part is not HTML-escaped
    assert "Dear Siobhán O&#x27;Brien," in html


def test_receipt_html_loads_nothing_and_links_only_to_the_site(mailbox, monthly_payment):
    emails.send_receipt(monthly_payment)

    [message] = mailbox.wait_for(1)
    _, html = parts(message)
    assert "<img" not in html.lower()
    assert "<style" not in html.lower() and "url(" not in html.lower()
    assert all(url.startswith("http://testserver/") for url in URL.findall(html))


def test_receipt_for_a_one_off_gift_has_no_next_payment(mailbox, newsroom_settings):
    payment = make_paid_payment(make_contribution(frequency="once"))

    emails.send_receipt(payment)

    text, _ = parts(mailbox.wait_for(1)[0])
    assert "Frequency: once" in text
    assert "Next payment" not in text


def test_anonymous_contributors_receipt_does_not_name_them(mailbox, newsroom_settings):
    payment = make_paid_payment(make_contribution(name="Ada Reader", anonymous=True))

    emails.send_receipt(payment)

    [message] = mailbox.wait_for(1)
    assert "Ada" not in message.as_string()
    text, html = parts(message)
    assert "Dear reader," in text and "Dear reader," in html


def test_receipt_names_the_site_when_no_newsroom_is_set_up(mailbox, db, settings):
    settings.WAGTAIL_SITE_NAME = "Fallback News"
    payment = make_paid_payment(make_contribution())

    emails.send_receipt(payment)

    [message] = mailbox.wait_for(1)
    assert message["Subject"] == "Your receipt from Fallback News"


def test_site_language_is_used_for_numbers_and_dates(mailbox, monthly_payment, settings):
    settings.LANGUAGE_CODE = "ru"
    monthly_payment.amount = 123456
    monthly_payment.save()

    emails.send_receipt(monthly_payment)

    text, _ = parts(mailbox.wait_for(1)[0])
    assert "1\xa0234,56\xa0$" in text  # CLDR: the sign after the number
    assert "2 ноября 2026" in text


def test_receipt_task_run_twice_sends_one_message(mailbox, monthly_payment):
    assert notices.send_receipt.call(monthly_payment.pk) is True
    assert notices.send_receipt.call(monthly_payment.pk) is False

    # The backend hands a message over before send() returns: nothing is still in flight.
    assert len(mailbox.wait_for(1)) == 1
    monthly_payment.refresh_from_db()
    assert monthly_payment.receipt_sent_at is not None


def test_receipt_task_sends_nothing_for_a_payment_that_has_not_succeeded(
    mailbox, newsroom_settings
):
    payment = make_paid_payment(make_contribution(), status=Payment.Status.FAILED)

    assert notices.send_receipt.call(payment.pk) is False
    assert mailbox.messages == []


def test_lapsed_notice_links_to_the_support_form_filled_in_as_before(mailbox, newsroom_settings):
    contribution = make_contribution(frequency="annual")

    notices.send_lapsed_notice.call(str(contribution.pk))

    [message] = mailbox.wait_for(1)
    assert message["Subject"] == "Your contribution to The Test Ledger has stopped"
    restart = "http://testserver/support/?frequency=annual&amp;amount=10.00&amp;currency=USD"
    text, html = parts(message)
    assert restart.replace("&amp;", "&") in text
    assert f'href="{restart}"' in html
    assert "$10.00 every year" in text


def test_authentication_link_carries_a_token_for_the_payment(mailbox, newsroom_settings):
    payment = make_paid_payment(make_contribution(), status=Payment.Status.REQUIRES_ACTION)

    notices.send_authentication_request.call(payment.pk)

    [message] = mailbox.wait_for(1)
    text, html = parts(message)
    [link] = re.findall(r"http://testserver/support/authenticate/([^/\s]+)/", text)
    assert f"/support/authenticate/{link}/" in html
    assert "$10.00" in text
    assert authentication.payment_from_token(link) == payment


def test_a_tampered_authentication_token_is_refused(newsroom_settings):
    payment = make_paid_payment(make_contribution(), status=Payment.Status.REQUIRES_ACTION)
    other = make_paid_payment(make_someone_elses_contribution())
    token = authentication.authentication_token(payment)
    value, signature = token.rsplit(":", 1)

    forged = authentication.authentication_token(other).rsplit(":", 1)[0] + ":" + signature
    assert authentication.payment_from_token(forged) is None
    assert authentication.payment_from_token(f"{value}:{signature[::-1]}") is None
    assert authentication.payment_from_token("not-a-token") is None


def test_an_authentication_token_expires_after_a_week(newsroom_settings):
    payment = make_paid_payment(make_contribution(), status=Payment.Status.REQUIRES_ACTION)
    with time_machine.travel(datetime(2026, 11, 2, 12, 0, tzinfo=UTC), tick=False):
        token = authentication.authentication_token(payment)
    with time_machine.travel(datetime(2026, 11, 9, 11, 0, tzinfo=UTC), tick=False):
        assert authentication.payment_from_token(token) == payment
    with time_machine.travel(datetime(2026, 11, 9, 13, 0, tzinfo=UTC), tick=False):
        assert authentication.payment_from_token(token) is None


def test_a_late_token_for_a_deleted_payment_is_refused(newsroom_settings):
    payment = make_paid_payment(make_contribution(), status=Payment.Status.REQUIRES_ACTION)
    token = authentication.authentication_token(payment)
    payment.delete()

    assert authentication.payment_from_token(token) is None


def test_no_authentication_request_once_the_payment_went_through(mailbox, monthly_payment):
    notices.send_authentication_request.call(monthly_payment.pk)

    assert mailbox.messages == []


def test_links_in_every_email_stay_on_the_site(mailbox, newsroom_settings):
    contribution = make_contribution()
    payment = make_paid_payment(contribution)
    emails.send_receipt(payment)
    emails.send_lapsed_notice(contribution)
    emails.send_authentication_request(payment)

    for message in mailbox.wait_for(3):
        assert message["Auto-Submitted"] == "auto-generated"
        for part in parts(message):
            assert "<img" not in part.lower()
            assert all(url.startswith("http://testserver/") for url in URL.findall(part))


def test_outbox_keeps_a_readable_eml_and_logs_no_recipient(
    newsroom_settings, monthly_payment, settings, tmp_path, caplog
):
    settings.EMAIL_BACKEND = "readerfund.lib.mail.OutboxBackend"
    settings.DATA_DIR = tmp_path
    caplog.set_level(logging.INFO, logger="readerfund.lib.mail")

    emails.send_receipt(monthly_payment)

    [path] = (tmp_path / "outbox").iterdir()
    assert re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.eml", path.name)
    assert path.stat().st_mode & 0o077 == 0  # donors' addresses: the owner's eyes only
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == DONOR_EMAIL
    assert "$10.00" in message.get_body(preferencelist=("plain",)).get_content()
    assert [r.getMessage() for r in caplog.records] == [f"mail written to outbox/{path.name}"]
    assert "siobhan" not in caplog.text


def test_outbox_writes_one_file_per_message(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    messages = [EmailMessage("Hello", "Body", to=[f"r{i}@example.org"]) for i in range(3)]

    assert OutboxBackend().send_messages(messages) == 3

    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 3
    assert not list((tmp_path / "outbox").glob(".*"))  # no half-written files left


def test_smtp_url_with_starttls_gives_host_port_and_login():
    server = smtp_server("smtp://news%40example.org:p%40ss@mail.example.org:2525?tls=1")

    assert (server.host, server.port) == ("mail.example.org", 2525)
    assert (server.user, server.password) == ("news@example.org", "p@ss")
    assert server.use_tls and not server.use_ssl


def test_smtps_url_uses_tls_from_the_start_on_port_465():
    server = smtp_server("smtps://user:secret@mail.example.org")

    assert server.port == 465
    assert server.use_ssl and not server.use_tls


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@mail.example.org",
        "smtp://user:secret@:25",
        "smtp://user:secret@mail.example.org:port",
        "smtp://user:secret@mail.example.org?tls=maybe",
        "smtp://user:secret@mail.example.org?ssl=1",
        "smtps://user:secret@mail.example.org?tls=1",
    ],
)
def test_a_bad_smtp_url_stops_the_start_without_showing_the_password(url):
    with pytest.raises(ConfigError) as error:
        smtp_server(url)

    assert "READERFUND_SMTP_URL" in str(error.value)
    assert "secret" not in str(error.value)


def test_anymail_settings_come_from_prefixed_variables_with_tracking_off(monkeypatch, tmp_path):
    (tmp_path / "key").write_text("key-from-file\n")
    monkeypatch.setenv("READERFUND_ANYMAIL_MAILGUN_API_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("READERFUND_ANYMAIL_MAILGUN_API_URL", "https://api.eu.mailgun.net/v3")

    found = anymail_settings()

    assert found["MAILGUN_API_KEY"] == "key-from-file"
    assert found["MAILGUN_API_URL"] == "https://api.eu.mailgun.net/v3"
    assert found["SEND_DEFAULTS"] == {"track_clicks": False, "track_opens": False}


def test_a_receipt_that_could_not_be_sent_is_sent_by_the_next_sweep(
    mailbox, monthly_payment, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from contributions.notices import resend_missing_receipts

    working_port, settings.EMAIL_PORT = (
        settings.EMAIL_PORT,
        9,
    )  # nothing listens there: the mail server is down
    with pytest.raises(OSError):
        notices.send_receipt.call(monthly_payment.pk)
    monthly_payment.refresh_from_db()
    assert monthly_payment.receipt_sent_at is None
    settings.EMAIL_PORT = working_port
    with time_machine.travel(timezone.now() + timedelta(minutes=15), tick=False):
        assert resend_missing_receipts() == 1
    assert len(mailbox.wait_for(1)) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=30), tick=False):
        assert resend_missing_receipts() == 0


def test_a_batch_of_receipts_goes_over_one_smtp_session_and_a_failure_stops_none(
    mailbox, newsroom_settings, monkeypatch
):
    from django.core.mail.backends.smtp import EmailBackend

    from tests.contributions.factories import make_contribution as contribution_of
    from tests.contributions.factories import make_contributor, make_payment

    payments = [
        make_payment(
            contribution_of(make_contributor(f"donor{n}@example.org"), status="active"),
            status="succeeded",
            reference=f"pi_{n}",
        )
        for n in range(4)
    ]
    # The server refuses the third donor's address: that receipt fails, alone.
    Contributor.objects.filter(pk=payments[2].contribution.contributor_id).update(
        email="donor2@refused.example"
    )
    sessions = []
    real_open = EmailBackend.open
    # A spy, not a mock: the real SMTP session is opened; we only count them.
    monkeypatch.setattr(
        EmailBackend, "open", lambda self: sessions.append(real_open(self)) or sessions[-1]
    )

    assert notices.send_receipts.call([p.pk for p in payments]) == 3
    assert len(mailbox.wait_for(3)) == 3
    # One SMTP session for the batch, and a fresh one after the failure (the old one may be
    # dead): two, not four.
    assert sessions.count(True) == 2
    # The third was refused for good: recorded with a reason code, never tried again.
    refused = Delivery.objects.get(kind="receipt", key=str(payments[2].pk))
    assert (refused.status, refused.reason) == ("refused", "recipient_refused")
    assert notices.send_receipts.call([p.pk for p in payments]) == 0  # never twice


def test_emails_come_from_the_newsroom_by_name_unless_the_sender_is_named(
    mailbox, monthly_payment, settings
):
    settings.DEFAULT_FROM_EMAIL = "giving@ledger.example"
    emails.send_receipt(monthly_payment)
    settings.DEFAULT_FROM_EMAIL = "Ledger Giving <giving@ledger.example>"
    emails.send_receipt(monthly_payment)
    first, second = mailbox.wait_for(2)
    assert first["From"] == "The Test Ledger <giving@ledger.example>"
    assert second["From"] == "Ledger Giving <giving@ledger.example>"


def test_receipt_says_that_the_card_fee_the_donor_covered_is_included(mailbox, newsroom_settings):
    contribution = make_contribution()
    Contribution.objects.filter(pk=contribution.pk).update(fee_amount=59)
    contribution.refresh_from_db()
    emails.send_receipt(make_paid_payment(contribution))
    for part in parts(mailbox.wait_for(1)[0]):
        assert "$10.59" in part
        assert "including $0.59 you added to cover the card fee" in part


def test_receipt_names_the_card_by_brand_and_last_four_digits(mailbox, newsroom_settings):
    contribution = make_contribution()
    Contribution.objects.filter(pk=contribution.pk).update(card_brand="Visa", card_last4="4242")
    contribution.refresh_from_db()
    emails.send_receipt(make_paid_payment(contribution))
    for part in parts(mailbox.wait_for(1)[0]):
        assert "Visa card ending in 4242" in part


def test_each_donor_is_written_to_in_the_language_they_gave_in(mailbox, newsroom_settings):
    """One install, two donors: the Russian one's receipt is in Russian, the English one's in
    English, whatever the site speaks when the worker sends them."""
    russian = make_contribution()
    russian.language = "ru"
    russian.save()
    english = make_someone_elses_contribution()
    english.language = "en"
    english.save()

    emails.send_receipt(make_paid_payment(russian))
    english_payment = make_paid_payment(english, status=Payment.Status.CLAIMED)
    english_payment.provider_reference = "pi_2"
    english_payment.save()
    emails.send_receipt(english_payment)

    by_address = {m["To"].addresses[0].addr_spec: m for m in mailbox.wait_for(2)}
    russian_text, _ = parts(by_address[DONOR_EMAIL])
    english_text, _ = parts(by_address["other@example.org"])
    assert "Спасибо, что поддерживаете" in russian_text and "10,00\xa0$" in russian_text
    assert "Thank you for supporting" in english_text and "€5.00" in english_text
    assert "Спасибо" not in english_text


def test_a_language_the_site_no_longer_speaks_falls_back_to_the_sites(settings):
    contribution = Contribution(language="de")
    assert emails.language_of(contribution) == settings.LANGUAGE_CODE
    assert emails.language_of(Contribution(language="")) == settings.LANGUAGE_CODE
    assert emails.language_of(Contribution(language="ru")) == "ru"
    assert emails.language_of(None) == settings.LANGUAGE_CODE
