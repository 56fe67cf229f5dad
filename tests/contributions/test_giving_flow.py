"""Money moving for real: services ↔ the Stripe SDK ↔ localstripe over loopback."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from contributions import providers
from contributions.models import Contribution, LedgerEntry, Payment
from contributions.services import renewals
from contributions.services.charging import STALE_CLAIM
from contributions.services.checkout import complete_checkout
from contributions.services.renewals import _claim_due, charge_due
from tests.concurrency import at_once, needs_server_database
from tests.contributions.stripe_helpers import (
    DECLINED_WHEN_CHARGED,
    NEEDS_AUTHENTICATION,
    give,
    save_card,
    stripe_client,
)


def charges(contribution):
    return list(
        LedgerEntry.objects.filter(contribution=contribution, kind="charge").values_list(
            "amount", flat=True
        )
    )


def intents_for(contribution):
    """What the emulator holds for this contribution: every PaymentIntent ever created."""
    ours = str(contribution.pk)
    with stripe_client() as client:
        # Every page: the emulator serves the whole session, and other tests (the API
        # fuzzer's checkouts) leave more than one page of intents before this one runs.
        listed = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
        return [i for i in listed if i.to_dict().get("metadata", {}).get("contribution") == ours]


@pytest.fixture
def stripe_ready(stripe_settings, db):
    return providers.get("stripe")


def test_a_one_off_gift_is_charged_once_and_recorded(stripe_ready):
    contribution, result = give("once", 2500)
    assert result.status == "succeeded"
    assert contribution.status == Contribution.Status.PAID
    assert charges(contribution) == [2500]
    assert (contribution.card_brand, contribution.card_last4) == ("Visa", "4242")  # receipts
    # A double click on "Give" changes nothing.
    again = complete_checkout(contribution, "seti_ignored")
    assert again.status == "succeeded"
    assert charges(contribution) == [2500]
    assert len(intents_for(contribution)) == 1


def test_the_provider_gets_no_personal_data(stripe_ready):
    contribution, _ = give("once", 2500, email="secret.person@example.org", name="Secret Name")
    (intent,) = intents_for(contribution)
    assert set(intent.to_dict()["metadata"]) <= {
        "contribution",
        "payment",
        "period",
        "idempotency_key",
    }
    with stripe_client() as client:
        customer = client.v1.customers.retrieve(intent.customer)
    text = str(intent) + str(customer)
    assert "secret.person" not in text and "Secret Name" not in text


def test_covering_the_fee_charges_the_gift_plus_the_estimate(stripe_ready):
    contribution, _ = give("once", 1000, cover_fee=True, fee_amount=61)
    assert contribution.per_period.amount == 1061
    assert charges(contribution) == [1061]


def test_a_monthly_gift_renews_next_month_exactly_once(stripe_ready):
    contribution, _ = give("monthly", 1000)
    assert contribution.status == Contribution.Status.ACTIVE
    due = contribution.next_charge_on
    assert due == contribution.period_after(timezone.localdate())
    with time_machine.travel(timezone.now() + timedelta(days=32), tick=False):
        first = charge_due()
        second = charge_due()
    assert first["succeeded"] == 1 and second["claimed"] == 0
    assert charges(contribution) == [1000, 1000]
    contribution.refresh_from_db()
    assert contribution.next_charge_on == contribution.period_after(due)


def test_a_declined_first_payment_fails_and_records_nothing(stripe_ready):
    contribution, result = give("monthly", 1000, card=DECLINED_WHEN_CHARGED)
    assert result.status == "failed" and result.failure_code
    assert contribution.status == Contribution.Status.FAILED
    assert charges(contribution) == []


def test_a_first_payment_needing_3d_secure_waits_for_the_donor(stripe_ready):
    contribution, result = give("once", 1000, card=NEEDS_AUTHENTICATION)
    assert result.status == "requires_action" and result.client_secret
    payment = contribution.payments.get()
    assert payment.status == Payment.Status.REQUIRES_ACTION
    assert charges(contribution) == []


def test_a_failing_renewal_is_retried_after_1_3_and_7_days_then_lapses(stripe_ready):
    contribution, _ = give("monthly", 1000)
    # The donor's card stops working: attach one that is declined on every charge.
    session = providers.get("stripe").begin(contribution)
    Contribution.objects.filter(pk=contribution.pk).update(
        payment_method=save_card(session.reference, number=DECLINED_WHEN_CHARGED)
    )
    start = timezone.now() + timedelta(days=32)
    attempts = []
    for day in (0, 1, 1 + 3, 1 + 3 + 7):
        with time_machine.travel(start + timedelta(days=day, hours=1), tick=False):
            attempts.append(charge_due()["failed"])
    assert attempts == [1, 1, 1, 1]
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.LAPSED
    assert contribution.next_charge_on is None
    renewal = contribution.payments.get(period=1)
    assert (renewal.status, renewal.attempts) == (Payment.Status.FAILED, 4)
    with time_machine.travel(start + timedelta(days=60), tick=False):
        assert charge_due()["claimed"] == 0


def test_a_renewal_run_that_crashed_after_claiming_charges_the_period_once(stripe_ready):
    contribution, _ = give("monthly", 1000)
    renewal_day = timezone.now() + timedelta(days=32)
    with time_machine.travel(renewal_day, tick=False):
        (claimed,) = _claim_due(timezone.localdate(), 10)  # then the worker dies
    with time_machine.travel(renewal_day + STALE_CLAIM * 2, tick=False):
        assert charge_due()["succeeded"] == 1
        assert charge_due()["claimed"] == 0
    assert charges(contribution) == [1000, 1000]


class WorkerKilled(BaseException):
    """What the run sees of its process being killed: nothing after it runs."""


def test_a_renewal_run_killed_mid_way_leaves_only_its_charge_in_flight_claimed(
    stripe_ready, monkeypatch
):
    given = [give("monthly", 1000, email=f"reader{n}@example.org")[0] for n in range(3)]
    real_charge, calls = renewals.charge, []

    def dies_on_the_second(payment, **options):
        calls.append(payment.pk)
        if len(calls) == 2:
            raise WorkerKilled
        return real_charge(payment, **options)

    renewal_day = timezone.now() + timedelta(days=32)
    with time_machine.travel(renewal_day, tick=False):
        monkeypatch.setattr(renewals, "charge", dies_on_the_second)
        with pytest.raises(WorkerKilled):
            charge_due()
        monkeypatch.setattr(renewals, "charge", real_charge)
        claimed = Payment.objects.filter(status=Payment.Status.CLAIMED)
        assert list(claimed.values_list("pk", flat=True)) == [calls[1]]  # the one in flight
        # The next run, minutes later (another worker's): the third period is still due.
        assert charge_due()["succeeded"] == 1
    with time_machine.travel(renewal_day + STALE_CLAIM * 2, tick=False):
        assert charge_due()["succeeded"] == 1  # the one in flight, once stale
    assert [charges(contribution) for contribution in given] == [[1000, 1000]] * 3


def test_a_renewal_run_that_crashed_after_charging_does_not_charge_again(stripe_ready):
    contribution, _ = give("monthly", 1000)
    renewal_day = timezone.now() + timedelta(days=32)
    with time_machine.travel(renewal_day, tick=False):
        (claimed,) = _claim_due(timezone.localdate(), 10)
        # The provider charged, then the worker died before recording anything.
        providers.get("stripe").charge(
            claimed, off_session=True, idempotency_key=claimed.idempotency_key()
        )
    assert len(intents_for(contribution)) == 2
    with time_machine.travel(renewal_day + STALE_CLAIM * 2, tick=False):
        charge_due()
    assert len(intents_for(contribution)) == 2
    assert charges(contribution) == [1000, 1000]


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_charge_each_period_once(stripe_settings):
    givers = [give("monthly", 500 + n, email=f"r{n}@example.org")[0] for n in range(4)]
    renewal_day = timezone.now() + timedelta(days=32)

    def worker():
        with time_machine.travel(renewal_day, tick=False):
            return charge_due()

    results = at_once(worker)
    assert sum(result["claimed"] for result in results) == 4
    for contribution in givers:
        assert len(charges(contribution)) == 2
        assert len(intents_for(contribution)) == 2


def test_asking_again_while_3d_secure_is_pending_gives_the_browser_the_secret_again(
    stripe_ready,
):
    contribution, first = give("once", 1000, card=NEEDS_AUTHENTICATION)
    again = complete_checkout(contribution, "seti_ignored")
    assert again.status == "requires_action"
    assert again.client_secret == first.client_secret
    assert len(intents_for(contribution)) == 1
