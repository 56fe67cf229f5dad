"""Erasure reaches everything: the customer and saved card at the provider, the outbox's
messages, emails still queued, and contributors who never paid (issue 13, item 4)."""

import io
from datetime import timedelta

import pytest
import stripe
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from contributions.manage import erase_abandoned
from contributions.models import Contributor
from contributions.notices import send_receipt
from privacy import erasure
from privacy.crypto import email_index
from tests.contributions.factories import make_contribution, make_contributor
from tests.contributions.stripe_helpers import give, stripe_client

DONOR = "vera@example.org"


def test_erasure_deletes_the_donors_customers_and_cards_at_the_provider(
    stripe_settings, db, django_capture_on_commit_callbacks
):
    once, _ = give("once", 1000, email=DONOR)
    monthly, _ = give("monthly", 1000, email=DONOR)
    customers = [once.provider_customer, monthly.provider_customer]

    with django_capture_on_commit_callbacks(execute=True):
        counts = erasure.erase_email(DONOR)

    assert counts["provider_customers"] == 2
    with stripe_client() as client:
        for customer in customers:
            found = _customer_or_none(client, customer)
            assert found is None or found.get("deleted") is True
    monthly.refresh_from_db()
    assert (monthly.provider_customer, monthly.payment_method, monthly.name) == ("", "", None)


def _customer_or_none(client, customer):
    try:
        return client.v1.customers.retrieve(customer).to_dict()
    except stripe.InvalidRequestError:
        return None


def test_erasure_deletes_the_donors_outbox_messages_and_leaves_others(settings, db):
    settings.EMAIL_BACKEND = "readerfund.lib.mail.OutboxBackend"
    mail.EmailMessage("Receipt", "Thanks", to=[f"Vera <{DONOR.upper()}>"]).send()
    mail.EmailMessage("Receipt", "Thanks", to=["someone@example.org"]).send()
    outbox = settings.DATA_DIR / "outbox"
    before = set(outbox.glob("*.eml"))

    counts = erasure.erase_email(DONOR)

    assert counts["outbox_messages"] == 1
    left = set(outbox.glob("*.eml"))
    assert len(before - left) == 1
    assert all(DONOR not in path.read_text().lower() for path in left)


def test_an_email_queued_before_the_erasure_is_never_sent(stripe_settings, db, mailbox):
    contribution, _ = give("once", 1000, email=DONOR)  # its receipt waits (no commit here)
    payment = contribution.payments.get()

    erasure.erase_email(DONOR)
    send_receipt.call(payment.pk)

    assert mailbox.messages == []


def test_contributors_who_never_paid_are_erased_a_week_after_their_last_checkout(db):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=8)):
        abandoned = make_contributor(email="gone@example.org", name="Gone")
        make_contribution(abandoned, status="pending")
        came_back = make_contributor(email="back@example.org", name="Back")
        make_contribution(came_back, status="failed")
        paid = make_contributor(email="paid@example.org", name="Paid")
        make_contribution(paid, status="paid").payments.create(
            period=0, due_on=now.date(), amount=1000, currency="USD", status="succeeded"
        )
    make_contribution(came_back, status="pending")  # a checkout today
    fresh = make_contributor(email="fresh@example.org", name="Fresh")

    assert erase_abandoned(now) == 1
    assert erase_abandoned(now) == 0

    def erased(contributor):
        contributor.refresh_from_db()
        return contributor.is_erased and contributor.name is None

    assert erased(abandoned)
    assert not any(erased(c) for c in (came_back, paid, fresh))
    assert not Contributor.objects.filter(email_index=email_index("gone@example.org")).exists()


def test_erase_donor_reads_the_address_from_standard_input_never_the_command_line(db, monkeypatch):
    make_contributor(email=DONOR)
    with pytest.raises(CommandError):
        call_command("erase-donor", DONOR)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"  {DONOR}\n"))
    out = io.StringIO()
    call_command("erase-donor", stdout=out)
    assert "contributors: 1" in out.getvalue() and DONOR not in out.getvalue()
