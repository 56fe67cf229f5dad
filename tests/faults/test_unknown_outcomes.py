"""A provider that does not answer: the payment or refund is unknown, never a decline, and
is settled by asking again with the same idempotency key. Real localstripe behind a real
TCP proxy that swallows, cuts or replaces its answers (tests/faults/proxy_helpers.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from contributions import breaker
from contributions.models import Contribution, LedgerEntry, Payment, Refund
from contributions.services import reconcile, refunds
from contributions.services.checkout import CheckoutData, complete_checkout, start_checkout
from contributions.services.renewals import charge_due
from tests.contributions.stripe_helpers import give, save_card
from tests.faults.drill_helpers import emulator_intents, emulator_refunds, staff_user

POST_CHARGE = b"POST /v1/payment_intents "
POST_REFUND = b"POST /v1/refunds "


@pytest.fixture
def stripe_down_the_wire(faulty_stripe, db):
    return faulty_stripe


def _checkout(frequency="once", amount=1500):
    data = CheckoutData(
        frequency=frequency, amount=amount, currency="USD", email="r@example.org", provider="stripe"
    )
    contribution, session = start_checkout(data)
    save_card(session.reference)
    return contribution, session


def _first(contribution) -> Payment:
    return Payment.objects.get(contribution=contribution, period=0)


def _charges(contribution) -> list[int]:
    rows = LedgerEntry.objects.filter(contribution=contribution, kind="charge")
    return list(rows.values_list("amount", flat=True))


def test_a_charge_without_an_answer_is_unknown_and_give_again_charges_once(
    stripe_down_the_wire, client
):
    contribution, session = _checkout()
    stripe_down_the_wire.fail(
        "hang", times=1, when=POST_CHARGE
    )  # the charge is made; its answer never comes
    url = f"/api/contributions/{contribution.pk}/complete"
    answer = client.post(url, {"reference": session.reference}, content_type="application/json")
    assert answer.status_code == 202
    assert "checking your payment" in answer.json()["message"]
    assert _first(contribution).status == Payment.Status.UNKNOWN
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    assert breaker.state()["declines"] == 0
    assert [i["status"] for i in emulator_intents(contribution)] == ["succeeded"]

    again = client.post(url, {"reference": session.reference}, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["status"] == "paid"
    assert _charges(contribution) == [1500]
    assert len(emulator_intents(contribution)) == 1  # found, not charged again
    assert _first(contribution).attempts == 1


def test_a_provider_500_is_unknown_and_the_retry_uses_the_same_key(stripe_down_the_wire):
    contribution, session = _checkout()
    stripe_down_the_wire.fail(
        "http500", times=1, when=POST_CHARGE
    )  # the request never reached the provider
    assert complete_checkout(contribution, session.reference).status == "unknown"
    key = _first(contribution).idempotency_key()
    assert emulator_intents(contribution) == []
    assert complete_checkout(contribution, session.reference).status == "succeeded"
    (intent,) = emulator_intents(contribution)
    assert intent["metadata"]["idempotency_key"] == key
    assert _charges(contribution) == [1500]
    assert breaker.state()["declines"] == 0


def test_reconcile_settles_an_unknown_charge_the_provider_made(stripe_down_the_wire):
    contribution, session = _checkout()
    stripe_down_the_wire.fail("drop", times=1, when=POST_CHARGE)
    assert complete_checkout(contribution, session.reference).status == "unknown"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        counts = reconcile.reconcile()
    assert counts["repaired"] == 1
    assert _first(contribution).status == Payment.Status.SUCCEEDED
    assert _charges(contribution) == [1500]


def test_reconcile_releases_an_unknown_charge_the_provider_never_made(stripe_down_the_wire):
    contribution, session = _checkout()
    stripe_down_the_wire.fail("http500", times=1, when=POST_CHARGE)
    assert complete_checkout(contribution, session.reference).status == "unknown"
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert reconcile.reconcile()["released"] == 1
    payment = _first(contribution)
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, "no_answer")
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.FAILED
    assert breaker.state()["declines"] == 0  # not a decline


def test_a_renewal_without_an_answer_is_settled_by_the_next_run(stripe_down_the_wire):
    contribution, _ = give("monthly", 1000)
    due = contribution.next_charge_on
    with time_machine.travel(timezone.now() + (due - timezone.localdate()) + timedelta(hours=1)):
        stripe_down_the_wire.fail("drop", times=1, when=POST_CHARGE)
        assert charge_due(due)["unknown"] == 1
        renewal = Payment.objects.get(contribution=contribution, period=1)
        assert renewal.status == Payment.Status.UNKNOWN
        assert charge_due(due)["succeeded"] == 1
    renewal.refresh_from_db()
    assert (renewal.status, renewal.attempts) == (Payment.Status.SUCCEEDED, 1)
    assert _charges(contribution) == [1000, 1000]
    assert len(emulator_intents(contribution)) == 2


def test_a_refund_without_an_answer_waits_for_the_provider(stripe_down_the_wire):
    contribution, _ = give("once", 2000)
    payment = _first(contribution)
    stripe_down_the_wire.fail("hang", times=1, when=POST_REFUND)
    refund = refunds.refund_payment(payment, 500, staff_user())
    assert refund.status == Refund.Status.REQUESTED
    assert refund.get_status_display() == "Waiting for the provider"
    assert refunds.refundable(payment) == 1500  # the requested refund is not offered twice
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert reconcile.reconcile_refunds()["refunds_finished"] == 1
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DONE
    refunded = LedgerEntry.objects.filter(contribution=contribution, kind="refund")
    assert list(refunded.values_list("amount", flat=True)) == [-500]
    assert [r["amount"] for r in emulator_refunds(contribution)] == [500]
