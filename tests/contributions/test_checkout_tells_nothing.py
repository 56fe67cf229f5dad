"""Checkout under someone else's address: an unpaid checkout changes nothing of theirs, and
the provider is asked the same for a known address as for a new one (issue 13, item 5)."""

import logging
import re

import pytest

from contributions.models import Contributor
from contributions.services.checkout import CheckoutData, start_checkout
from privacy.crypto import email_index
from tests.contributions.stripe_helpers import give

VICTIM = "ada@example.org"
THREAT = "Ada - your card was suspended, see evil.example"


@pytest.fixture
def known_donor(stripe_settings, db, mailbox):
    contribution, result = give("monthly", 1000, email=VICTIM, name="Ada Lovelace")
    assert result.status == "succeeded"
    return contribution


def checkout(email, name="", frequency="once"):
    data = CheckoutData(
        frequency=frequency, amount=1500, currency="USD", email=email, provider="stripe", name=name
    )
    return start_checkout(data)


def victim() -> Contributor:
    return Contributor.objects.get(email_index=email_index(VICTIM))


def test_a_paid_gift_gives_its_name_to_the_donor(known_donor):
    assert victim().name == "Ada Lovelace"


def test_an_unpaid_checkout_with_someones_address_leaves_their_name_alone(
    known_donor, mailbox, django_capture_on_commit_callbacks
):
    contribution, _ = checkout(VICTIM, name=THREAT)

    assert victim().name == "Ada Lovelace"
    assert contribution.name == THREAT  # kept with the unpaid gift only
    # Their next genuine receipt still greets them by their own name.
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        give("once", 2000, email=VICTIM)
    (receipt,) = mailbox.wait_for(1)
    text = receipt.get_body(preferencelist=("plain",)).get_content()
    assert "Ada Lovelace" in text and "evil.example" not in text


def test_a_new_name_becomes_the_donors_once_its_gift_is_paid(known_donor):
    give("once", 2000, email=VICTIM, name="Ada King")
    assert victim().name == "Ada King"


IDS = r"/(cus|seti|pi|pm|re|ch)_[A-Za-z0-9]+"


def _stripe_calls(caplog) -> list[str]:
    """The requests made to Stripe, ids left out: 'post /v1/customers', …"""
    calls = []
    for record in caplog.records:
        found = re.search(r"Request to Stripe api' method=(\w+) url=\S+?(/v1/[^?\s]*)", record.msg)
        if record.name == "stripe" and found:
            method, path = found.groups()
            calls.append(
                f"{method} {re.sub(r'/(cus|seti|pi|pm|re|ch)_[A-Za-z0-9]+', '/<id>', path)}"
            )
    return calls


def test_checkout_asks_the_provider_the_same_for_a_known_and_a_new_address(known_donor, caplog):
    caplog.set_level(logging.INFO, logger="stripe")
    caplog.clear()
    checkout(VICTIM, frequency="monthly")
    known = _stripe_calls(caplog)
    caplog.clear()
    checkout("someone.new@example.org", frequency="monthly")
    new = _stripe_calls(caplog)

    assert known == new == ["post /v1/customers", "post /v1/setup_intents"]
