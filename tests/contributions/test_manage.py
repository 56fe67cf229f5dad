"""/support/manage/: donors see, stop and erase their giving through a signed link by email."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from contributions.manage import manage_token
from contributions.models import Contribution, Contributor, LedgerEntry, Payment
from contributions.services.facts import apply_fact
from contributions.services.renewals import charge_due
from privacy import crypto
from privacy.crypto import email_index
from reminders import services as reminders
from reminders.models import Reminder
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.contributions.manage_helpers import PAGE, link_path, post, signed_in
from tests.page_helpers import assert_no_appeals

pytestmark = pytest.mark.django_db

DONOR = "Donor.One@example.org"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
MANAGE_LINK = re.compile(r"https?://[^\s\"'<>]+/support/manage/[^\s\"'<>/]+/")
SAME_ANSWER = "If we have contributions under this address, we have sent a link to it."


@pytest.fixture
def monthly_donor():
    """A donor with an active monthly contribution, one paid period in the ledger, and a
    reminder under the same address."""
    contributor = make_contributor(email=DONOR, name="Ana Donor")
    contributor.provider_customers = {"stripe": "cus_123"}
    contributor.save()
    contribution = make_contribution(
        contributor,
        status="active",
        payment_method="pm_123",
        next_charge_on=date(2026, 12, 1),
    )
    Contribution.objects.filter(pk=contribution.pk).update(card_brand="Visa", card_last4="4242")
    payment = make_payment(contribution, status="succeeded", reference="pi_1")
    LedgerEntry.objects.create(
        kind=LedgerEntry.Kind.CHARGE,
        contribution=contribution,
        payment=payment,
        amount=payment.amount,
        currency=payment.currency,
        occurred_at=datetime(2026, 11, 1, 10, 0, tzinfo=UTC),
        source="stripe",
        reference="ch_1",
    )
    reminders.sign_up({"email": "donor.one@example.org", "remind_on": date(2026, 12, 24)})
    return contributor


def ask_for_link(email, client=None):
    return (client or Client()).post("/support/manage/", {"email": email})


def test_the_form_page_is_private_and_sets_no_cookie(db):
    response = Client().get("/support/manage/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies
    assert 'name="email"' in response.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_and_only_one_email(mailbox, monthly_donor):
    known = ask_for_link("  donor.one@EXAMPLE.org ")
    unknown = ask_for_link("stranger@example.org")
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.content.decode()
    assert known.content == unknown.content
    [message] = mailbox.wait_for(1)
    assert message["To"] == DONOR
    assert not known.cookies and "no-store" in known["Cache-Control"]


def test_the_link_in_the_email_opens_the_contributions(mailbox, monthly_donor, settings):
    ask_for_link(DONOR)
    [message] = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    [link] = MANAGE_LINK.findall(text)
    assert "donor" not in link.lower() and "@" not in link
    assert link.startswith(settings.SITE_URL)
    client = Client()
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 303 and opened["Location"] == f"{PAGE}?opened"
    response = client.get(opened["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop this contribution" in page
    assert "Dec. 1, 2026" in page or "1 December 2026" in page or "December 1, 2026" in page
    assert DONOR not in page and "Ana Donor" not in page
    assert "no-store" in response["Cache-Control"] and not response.cookies
    assert response["Referrer-Policy"] == opened["Referrer-Policy"] == "no-referrer"


def test_stopping_asks_first_and_changes_nothing_until_confirmed(monthly_donor):
    contribution = monthly_donor.contributions.get()
    client = signed_in(monthly_donor)
    page = client.get(PAGE).content.decode()
    assert f'href="/support/manage/stop/{contribution.pk}/"' in page
    response = client.get(f"/support/manage/stop/{contribution.pk}/")
    assert response.status_code == 200
    confirm = response.content.decode()
    assert "Stop this contribution?" in confirm and "$10.00 · Monthly" in confirm
    assert "Yes, stop it" in confirm and "Keep it" in confirm
    assert "no-store" in response["Cache-Control"]
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACTIVE


def test_stopping_redirects_to_the_page_so_a_reload_posts_nothing(
    monthly_donor, mailbox, django_capture_on_commit_callbacks
):
    contribution = monthly_donor.contributions.get()
    client = signed_in(monthly_donor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"/support/manage/stop/{contribution.pk}/")
    assert response.status_code == 303
    assert response["Location"] == f"{PAGE}?stopped={contribution.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Your contribution is stopped" in page
    [message] = mailbox.wait_for(1)
    assert message["To"] == DONOR
    assert "stopped" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "$10.00 every month" in text and "Nothing more will be charged" in text


def test_stopping_what_is_not_active_says_so_and_sends_nothing(
    monthly_donor, mailbox, django_capture_on_commit_callbacks
):
    contribution = monthly_donor.contributions.get()
    Contribution.objects.filter(pk=contribution.pk).update(status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        url = f"/support/manage/stop/{contribution.pk}/"
        response = post(signed_in(monthly_donor), url, follow=True)
    assert "there was nothing to stop" in response.content.decode()
    assert mailbox.messages == []


def test_stopping_a_monthly_contribution_cancels_it_and_renewals_skip_it(monthly_donor):
    contribution = monthly_donor.contributions.get()
    url = f"/support/manage/stop/{contribution.pk}/"
    response = post(signed_in(monthly_donor), url, follow=True)
    assert response.status_code == 200
    assert "Your contribution is stopped" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.CANCELLED
    assert contribution.next_charge_on is None
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), tick=False):
        counts = charge_due()
    assert counts["claimed"] == 0
    assert Payment.objects.filter(contribution=contribution).count() == 1
    assert LedgerEntry.objects.filter(contribution=contribution).count() == 1


def test_a_link_cannot_stop_someone_elses_contribution(monthly_donor):
    other = make_contribution(
        make_contributor(email="other@example.org"),
        status="active",
        next_charge_on=date(2026, 12, 1),
    )
    response = post(signed_in(monthly_donor), f"/support/manage/stop/{other.pk}/", follow=True)
    assert "there was nothing to stop" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Contribution.Status.ACTIVE


def test_an_expired_link_shows_the_form_again(monthly_donor):
    with time_machine.travel(NOW, tick=False):
        url = link_path(monthly_donor)
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False):
        response = Client().get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and 'name="email"' in page
    assert "no-store" in response["Cache-Control"]


def test_a_link_younger_than_a_day_still_works(monthly_donor):
    with time_machine.travel(NOW, tick=False):
        url = link_path(monthly_donor)
    with time_machine.travel(NOW + timedelta(hours=23), tick=False):
        assert Client().get(url).status_code == 303


@pytest.mark.parametrize("change", ["tamper", "garbage", "other-salt"])
def test_a_tampered_link_shows_the_expired_page_not_an_error(monthly_donor, change):
    from django.core import signing

    token = manage_token(monthly_donor)
    bad = {
        "tamper": token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        "garbage": "nothing-here",
        "other-salt": signing.dumps({"contributor": monthly_donor.pk}, salt="readerfund.other"),
    }[change]
    contribution = monthly_donor.contributions.get()
    response = Client().get(f"/support/manage/{bad}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not response.cookies.get("manage") or not response.cookies["manage"].value
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACTIVE


def raw_contributor_fields(contributor):
    """The stored tokens, decrypted: what a database dump would reveal."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    row = Contributor.objects.filter(pk=contributor.pk).annotate(
        raw_email=Cast("email", TextField()), raw_name=Cast("name", TextField())
    )
    raw_email, raw_name = row.values_list("raw_email", "raw_name").get()
    return crypto.decrypt(raw_email), raw_name and crypto.decrypt(raw_name)


def test_erasing_needs_the_box_ticked(monthly_donor):
    response = post(signed_in(monthly_donor), "/support/manage/erase/")
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert raw_contributor_fields(monthly_donor) == (DONOR, "Ana Donor")


def test_erasing_removes_personal_data_and_keeps_the_ledger(monthly_donor):
    ledger_before = list(LedgerEntry.objects.values_list("pk", "amount", "reference"))
    response = post(signed_in(monthly_donor), "/support/manage/erase/", {"confirm": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "What we keep, and why" in page and "1 reminder." in page
    assert "no-store" in response["Cache-Control"]

    contributor = Contributor.objects.get(pk=monthly_donor.pk)
    assert raw_contributor_fields(contributor) == ("", None)
    assert contributor.email_index != email_index(DONOR)
    assert not Contributor.objects.filter(email_index=email_index(DONOR)).exists()
    assert contributor.provider_customers == {}
    assert not Reminder.objects.filter(email_index=email_index(DONOR)).exists()
    contribution = contributor.contributions.get()
    assert contribution.status == Contribution.Status.CANCELLED
    assert contribution.payment_method == ""
    assert (contribution.card_brand, contribution.card_last4) == ("", "")
    assert list(LedgerEntry.objects.values_list("pk", "amount", "reference")) == ledger_before
    assert Payment.objects.filter(contribution=contribution).count() == 1


def test_erasing_twice_is_harmless(monthly_donor):
    client = signed_in(monthly_donor)
    post(client, "/support/manage/erase/", {"confirm": "yes"})
    erased_index = Contributor.objects.get(pk=monthly_donor.pk).email_index
    again = post(client, "/support/manage/erase/", {"confirm": "yes"})
    assert again.status_code == 200
    assert Contributor.objects.get(pk=monthly_donor.pk).email_index == erased_index
    assert LedgerEntry.objects.count() == 1
    assert client.get(PAGE).status_code == 200  # the page shows contributions, no data


def test_an_erased_donor_is_sent_no_link(mailbox, monthly_donor):
    post(signed_in(monthly_donor), "/support/manage/erase/", {"confirm": "yes"})
    assert SAME_ANSWER in ask_for_link(DONOR).content.decode()
    assert mailbox.messages == []


def test_erase_donor_command_prints_counts_and_never_the_address(
    monthly_donor, capsys, caplog, monkeypatch
):
    caplog.set_level("DEBUG")
    monkeypatch.setattr("sys.stdin", io.StringIO("DONOR.ONE@example.org\n"))
    call_command("erase-donor")
    first = capsys.readouterr().out
    assert "contributors: 1" in first
    assert "contributions stopped: 1" in first
    assert "reminders: 1" in first
    monkeypatch.setattr("sys.stdin", io.StringIO(DONOR + "\n"))
    call_command("erase-donor")
    second = capsys.readouterr().out
    assert "contributors: 0" in second and "reminders: 0" in second
    for text in (first, second, caplog.text):
        assert "donor.one" not in text.lower() and "Ana Donor" not in text
    assert raw_contributor_fields(monthly_donor) == ("", None)


def test_too_many_link_requests_get_a_429_page(mailbox, monthly_donor):
    client = Client()
    answers = [ask_for_link(DONOR, client).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    response = ask_for_link(DONOR, client)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert len(mailbox.wait_for(5)) == 5


def test_one_client_asking_for_many_addresses_is_limited(db):
    client = Client()
    answers = [ask_for_link(f"reader{n}@example.org", client).status_code for n in range(21)]
    assert answers[:20] == [200] * 20 and answers[20] == 429


def test_an_invalid_address_is_a_form_error(db):
    response = ask_for_link("not an address")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_receipts_manage_link_opens_the_form(mailbox, monthly_donor, settings):
    from contributions import emails

    payment = Payment.objects.get(contribution__contributor=monthly_donor)
    emails.send_receipt(payment)
    [message] = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert f"{settings.SITE_URL}/support/manage/" in text
    response = Client().get("/support/manage/")
    assert response.status_code == 200 and 'name="email"' in response.content.decode()


def test_a_card_reported_saved_after_erasure_is_not_brought_back(monthly_donor):
    from contributions.providers.base import Fact

    post(signed_in(monthly_donor), "/support/manage/erase/", {"confirm": "yes"})
    contribution = Contribution.objects.get(contributor=monthly_donor)
    late = Fact(
        kind="card_saved",
        reference="seti_late",
        contribution=str(contribution.pk),
        payment_method="pm_late",
    )
    apply_fact("stripe", late)
    contribution.refresh_from_db()
    assert contribution.payment_method == ""


def test_donor_pages_carry_no_appeal(monthly_donor):
    contribution = monthly_donor.contributions.get()
    client = signed_in(monthly_donor)
    for url in ["/support/manage/", PAGE, f"/support/manage/stop/{contribution.pk}/",
                f"/support/thanks/{contribution.pk}/"]:  # fmt: skip
        assert_no_appeals(client.get(url).content.decode())
