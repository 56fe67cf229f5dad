"""The provider seam, proven: a provider the application has never heard of, registered
from the test suite, takes gifts once and monthly through checkout, charging, the ledger
and receipts, with no other module changed."""

import json
import re
from datetime import datetime, time
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from contributions import providers
from contributions.models import Contribution, LedgerEntry
from contributions.services.renewals import charge_due
from tests.contributions.fake_provider import FakeProvider


@pytest.fixture
def fake_provider(monkeypatch):
    monkeypatch.setitem(
        providers.PROVIDERS, "fake", "tests.contributions.fake_provider.FakeProvider"
    )
    providers.get.cache_clear()
    FakeProvider.charges = {}
    yield
    providers.get.cache_clear()


def give(client, capture, frequency: str) -> Contribution:
    """Checkout, then the browser's "card saved": the first period is charged at once."""
    gift = {"frequency": frequency, "amount": 1500, "currency": "USD",
            "email": "reader@example.org", "provider": "fake"}  # fmt: skip
    with capture(execute=True):
        started = client.post("/api/checkout", json.dumps(gift), content_type="application/json")
        assert started.status_code == 201, started.content
        body = started.json()
        done = client.post(
            f"/api/contributions/{body['contribution']}/complete",
            json.dumps({"reference": body["reference"]}),
            content_type="application/json",
        )
    assert done.status_code == 200, done.content
    return Contribution.objects.get(pk=body["contribution"])


def test_a_provider_registered_from_the_tests_takes_a_one_off_gift_to_the_ledger_and_receipt(
    client, db, fake_provider, mailbox, django_capture_on_commit_callbacks
):
    contribution = give(client, django_capture_on_commit_callbacks, "once")
    assert contribution.status == Contribution.Status.PAID
    [entry] = LedgerEntry.objects.all()
    assert (entry.source, entry.kind, entry.amount) == ("fake", "charge", 1500)
    [receipt] = mailbox.wait_for(1)
    assert receipt["To"] == "reader@example.org"


def test_a_provider_registered_from_the_tests_takes_monthly_gifts_and_their_renewals(
    client, db, fake_provider, mailbox, django_capture_on_commit_callbacks
):
    contribution = give(client, django_capture_on_commit_callbacks, "monthly")
    assert contribution.status == Contribution.Status.ACTIVE
    renewal_day = contribution.next_charge_on
    assert renewal_day > timezone.localdate()
    morning = timezone.make_aware(datetime.combine(renewal_day, time(9)))
    with time_machine.travel(morning, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert charge_due()["succeeded"] == 1
    charges = LedgerEntry.objects.filter(kind="charge", source="fake")
    assert sorted(charges.values_list("payment__period", flat=True)) == [0, 1]
    assert len(mailbox.wait_for(2)) == 2


# Where checkout, the ledger, funding and the appeals live: a provider that needs any of them
# to name it has broken the seam. (import-linter keeps every other module from importing a
# provider's package: pyproject.toml, "Nothing outside a provider's package imports it".)
SEAM = [
    "contributions/api.py",
    "contributions/forms.py",
    "contributions/choice.py",
    "contributions/views.py",
    "contributions/ledger.py",
    "contributions/services/checkout.py",
    "contributions/services/charging.py",
    "contributions/services/facts.py",
    "contributions/templates/contributions/checkout.html",
    "contributions/templates/contributions/thanks.html",
    "contributions/templates/contributions/includes",
    "funding",
    "appeals",
]
NAMED = re.compile(r"btcpay|greenfield|[\"']bank[\"']|providers\.bank\b", re.IGNORECASE)


@pytest.mark.parametrize("provider", ["btcpay", "bank"])
def test_btcpay_and_bank_transfer_touch_no_checkout_ledger_funding_or_appeals_code(provider):
    root = Path(__file__).resolve().parents[2]
    files = []
    for place in SEAM:
        path = root / place
        files += [path] if path.is_file() else [*path.rglob("*.py"), *path.rglob("*.html")]
    assert len(files) > 20
    named = [str(f.relative_to(root)) for f in files if NAMED.search(f.read_text())]
    assert named == [], f"{provider}: named outside its package in {named}"
    # Registering is one line: its dotted path, as text.
    assert providers.PROVIDERS[provider].startswith(f"contributions.providers.{provider}.")
