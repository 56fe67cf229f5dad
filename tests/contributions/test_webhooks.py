"""POST /webhooks/stripe with payloads signed by the real secret, applied by the task.

localstripe never emits charge.refunded or disputes, so those events are built here and
signed exactly as Stripe signs them; the verification path runs for every one."""

import itertools
from datetime import date, timedelta

import pytest
import time_machine

from contributions import breaker
from contributions.models import Contribution, LedgerEntry, Payment, ProviderEvent
from contributions.services.renewals import charge_due
from tests.concurrency import at_once, needs_server_database
from tests.contributions.factories import make_contribution, make_contributor, make_payment
from tests.contributions.stripe_helpers import signed_webhook

CREATED = 1_795_000_000  # 2026-11-18


def event(event_id, type_, obj):
    return {
        "id": event_id,
        "object": "event",
        "type": type_,
        "created": CREATED,
        "data": {"object": obj},
    }


def intent(contribution, payment, status="succeeded", amount=1000, error=None):
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": "usd",
        "status": status,
        "created": CREATED,
        "metadata": {
            "contribution": str(contribution.pk),
            "payment": str(payment.pk),
            "period": "0",
        },
        "last_payment_error": error,
    }


def refunded_charge(contribution, payment, refunds):
    return {
        "id": "ch_1",
        "object": "charge",
        "amount": 1000,
        "currency": "usd",
        "created": CREATED,
        "payment_intent": "pi_1",
        "metadata": {"contribution": str(contribution.pk), "payment": str(payment.pk)},
        "refunds": {
            "data": [
                {
                    "id": rid,
                    "amount": amount,
                    "currency": "usd",
                    "status": "succeeded",
                    "created": CREATED,
                }
                for rid, amount in refunds
            ]
        },
    }


def dispute(amount=1000):
    return {
        "id": "dp_1",
        "object": "dispute",
        "amount": amount,
        "currency": "usd",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "created": CREATED,
        "reason": "fraudulent",
    }


@pytest.fixture
def monthly(db):
    contribution = make_contribution(frequency="monthly", amount=1000, payment_method="pm_1")
    return contribution, make_payment(contribution, reference="pi_1")


@pytest.fixture
def deliver(client, stripe_settings, django_capture_on_commit_callbacks):
    def post(payload, **sign_options):
        body, headers = signed_webhook(payload, **sign_options)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/webhooks/stripe",
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": headers["Stripe-Signature"]},
            )

    return post


def ledger(contribution):
    return sorted(
        LedgerEntry.objects.filter(contribution=contribution).values_list(
            "kind", "amount", "reference"
        )
    )


def test_a_signed_payment_event_is_stored_and_applied(deliver, monthly):
    contribution, payment = monthly
    response = deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    assert response.status_code == 200
    assert ledger(contribution) == [("charge", 1000, "pi_1")]
    assert ProviderEvent.objects.get().applied_at is not None


def test_a_bad_signature_gets_403_and_stores_nothing(deliver, monthly):
    contribution, payment = monthly
    response = deliver(
        event("evt_1", "payment_intent.succeeded", intent(contribution, payment)),
        secret="whsec_wrong",
    )
    assert response.status_code == 403
    assert not ProviderEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_an_old_signature_is_refused(deliver, monthly):
    contribution, payment = monthly
    payload = event("evt_1", "payment_intent.succeeded", intent(contribution, payment))
    assert deliver(payload, timestamp=CREATED - 3600).status_code == 403


def test_a_tampered_body_is_refused(client, stripe_settings, monthly):
    contribution, payment = monthly
    body, headers = signed_webhook(
        event("evt_1", "payment_intent.succeeded", intent(contribution, payment))
    )
    response = client.post(
        "/webhooks/stripe",
        data=body.replace(b"1000", b"9000"),
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )
    assert response.status_code == 403
    assert not ProviderEvent.objects.exists()


def test_a_replayed_event_changes_nothing(deliver, monthly):
    contribution, payment = monthly
    payload = event("evt_1", "payment_intent.succeeded", intent(contribution, payment))
    deliver(payload)
    response = deliver(payload)
    assert response.status_code == 200 and response.json()["duplicate"] is True
    assert ProviderEvent.objects.count() == 1
    assert ledger(contribution) == [("charge", 1000, "pi_1")]


def test_the_same_fact_in_two_different_events_counts_once(deliver, monthly):
    contribution, payment = monthly
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    deliver(event("evt_2", "charge.refunded", refunded_charge(contribution, payment, [])))
    assert ledger(contribution) == [("charge", 1000, "pi_1")]


def test_partial_refunds_are_recorded_each_once(deliver, monthly):
    contribution, payment = monthly
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    deliver(
        event("evt_2", "charge.refunded", refunded_charge(contribution, payment, [("re_1", 300)]))
    )
    deliver(
        event(
            "evt_3",
            "charge.refunded",
            refunded_charge(contribution, payment, [("re_1", 300), ("re_2", 200)]),
        )
    )
    assert ledger(contribution) == [
        ("charge", 1000, "pi_1"),
        ("refund", -300, "re_1"),
        ("refund", -200, "re_2"),
    ]


def test_a_refund_that_arrives_before_the_payment_is_kept_and_the_charge_repaired(deliver, monthly):
    contribution, payment = monthly
    deliver(
        event("evt_2", "charge.refunded", refunded_charge(contribution, payment, [("re_1", 1000)]))
    )
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    assert ledger(contribution) == [("charge", 1000, "pi_1"), ("refund", -1000, "re_1")]


def test_a_dispute_flags_the_contribution_and_pauses_its_schedule(deliver, monthly):
    contribution, payment = monthly
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    deliver(event("evt_2", "charge.dispute.created", dispute()))
    contribution.refresh_from_db()
    assert contribution.disputed is True
    assert ("dispute", -1000, "dp_1") in ledger(contribution)
    Contribution.objects.filter(pk=contribution.pk).update(next_charge_on="2026-01-01")
    assert charge_due()["claimed"] == 0


def _settled(contribution, payment, deliver):
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    contribution.refresh_from_db()
    return contribution


def test_a_won_dispute_puts_the_money_back_once_and_resumes_the_schedule(deliver, monthly):
    contribution, payment = monthly
    contribution = _settled(contribution, payment, deliver)
    due = contribution.next_charge_on
    deliver(event("evt_2", "charge.dispute.created", dispute()))
    won = {**dispute(), "status": "won"}
    with time_machine.travel(due + timedelta(days=40)):  # paused past one period
        deliver(event("evt_3", "charge.dispute.closed", won))
        deliver(event("evt_3b", "charge.dispute.closed", won))  # reported twice
    assert ledger(contribution) == [
        ("charge", 1000, "pi_1"),
        ("dispute", -1000, "dp_1"),
        ("dispute", 1000, "dp_1:won"),
    ]
    contribution.refresh_from_db()
    assert contribution.disputed is False
    assert contribution.status == Contribution.Status.ACTIVE
    assert contribution.next_charge_on > due + timedelta(days=40)  # the paused periods: never


def test_a_won_dispute_reported_before_it_was_opened_changes_nothing_twice(deliver, monthly):
    contribution, payment = monthly
    contribution = _settled(contribution, payment, deliver)
    deliver(event("evt_3", "charge.dispute.closed", {**dispute(), "status": "won"}))
    deliver(event("evt_2", "charge.dispute.created", dispute()))  # late
    assert sum(e[1] for e in ledger(contribution)) == 1000
    contribution.refresh_from_db()
    assert contribution.disputed is False


def test_a_lost_dispute_ends_the_contribution(deliver, monthly):
    contribution, payment = monthly
    contribution = _settled(contribution, payment, deliver)
    deliver(event("evt_2", "charge.dispute.created", dispute()))
    deliver(event("evt_3", "charge.dispute.closed", {**dispute(), "status": "lost"}))
    contribution.refresh_from_db()
    assert (contribution.status, contribution.next_charge_on) == ("cancelled", None)
    assert ledger(contribution) == [("charge", 1000, "pi_1"), ("dispute", -1000, "dp_1")]


def test_a_failed_payment_event_marks_the_first_payment_failed(deliver, monthly):
    contribution, payment = monthly
    error = {"code": "card_declined", "decline_code": "insufficient_funds"}
    deliver(
        event(
            "evt_1",
            "payment_intent.payment_failed",
            intent(contribution, payment, "requires_payment_method", error=error),
        )
    )
    payment.refresh_from_db()
    contribution.refresh_from_db()
    assert payment.status == "failed" and payment.failure_code
    assert contribution.status == Contribution.Status.FAILED


def test_unknown_event_types_are_answered_and_not_stored(deliver, db):
    response = deliver(event("evt_9", "customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200
    assert not ProviderEvent.objects.exists()
    assert not LedgerEntry.objects.exists()


CARD_DETAILS = {
    "brand": "visa",
    "last4": "4242",
    "exp_month": 12,
    "exp_year": 2030,
    "fingerprint": "Xt5EWLLDS7FJjR1c",
    "country": "RU",
    "checks": {"address_postal_code_check": "pass"},
}


def test_an_event_is_stored_minimised_and_still_applies(deliver, db):
    contribution = make_contribution(make_contributor())
    payment = make_payment(contribution)
    body = intent(contribution, payment)
    body["metadata"]["note"] = "anything else in metadata goes too"
    body["payment_method"] = "pm_1"
    body["latest_charge"] = {
        "id": "ch_1",
        "created": CREATED,
        "billing_details": {"address": {"postal_code": "190000"}, "name": "Vera"},
        "payment_method_details": {"card": CARD_DETAILS},
        "balance_transaction": {"fee": 59, "currency": "usd", "id": "txn_1"},
    }
    body["last_payment_error"] = None

    assert deliver(event("evt_1", "payment_intent.succeeded", body)).status_code == 200

    stored = ProviderEvent.objects.get().payload
    text = str(stored)
    for detail in ("4242", "Xt5EWLLDS7FJjR1c", "190000", "RU", "2030", "Vera", "anything else"):
        assert detail not in text
    kept = stored["data"]["object"]
    assert kept["metadata"] == {
        "contribution": str(contribution.pk),
        "payment": str(payment.pk),
        "period": "0",
    }
    assert kept["latest_charge"]["balance_transaction"]["fee"] == 59
    assert sorted(LedgerEntry.objects.values_list("kind", "amount")) == [
        ("charge", 1000),
        ("fee", -59),
    ]


def test_applied_events_are_pruned_after_the_days_set(deliver, db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from contributions.tasks import prune_provider_events

    settings.PROVIDER_EVENTS_DAYS = 90
    contribution = make_contribution(make_contributor())
    deliver(
        event(
            "evt_old", "payment_intent.succeeded", intent(contribution, make_payment(contribution))
        )
    )
    ProviderEvent.objects.create(
        provider="stripe", event_id="evt_waiting", type="refund.created", payload={}
    )
    now = timezone.now()
    ProviderEvent.objects.update(received_at=now - timedelta(days=100))
    ProviderEvent.objects.filter(event_id="evt_old").update(applied_at=now - timedelta(days=91))

    assert prune_provider_events.call() == 1
    assert list(ProviderEvent.objects.values_list("event_id", flat=True)) == ["evt_waiting"]


def test_events_about_other_objects_are_applied_without_effect(deliver, db):
    stranger = {
        "id": "pi_x",
        "object": "payment_intent",
        "amount": 5,
        "currency": "usd",
        "status": "succeeded",
        "metadata": {},
    }
    assert deliver(event("evt_7", "payment_intent.succeeded", stranger)).status_code == 200
    assert not LedgerEntry.objects.exists()


def test_an_unknown_provider_is_404(client, db):
    assert (
        client.post("/webhooks/paypal", data=b"{}", content_type="application/json").status_code
        == 404
    )


def test_a_provider_without_webhooks_is_404_and_stores_nothing(client, db):
    response = client.post("/webhooks/offline", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert not ProviderEvent.objects.exists()


def test_an_event_that_cannot_be_applied_keeps_its_error_and_holds_up_no_other(deliver, monthly):
    contribution, payment = monthly
    broken = intent(contribution, payment)
    del broken["currency"]
    broken["id"] = "pi_broken"
    deliver(event("evt_bad", "payment_intent.succeeded", broken))
    deliver(event("evt_1", "payment_intent.succeeded", intent(contribution, payment)))
    bad = ProviderEvent.objects.get(event_id="evt_bad")
    assert bad.applied_at is None and "currency" in bad.error
    assert ProviderEvent.objects.get(event_id="evt_1").applied_at is not None
    assert ledger(contribution) == [("charge", 1000, "pi_1")]


def test_a_burst_of_webhooks_is_applied_by_one_drain(
    deliver, monthly, django_capture_on_commit_callbacks
):
    from contributions import tasks

    contribution, payment = monthly
    for n in range(5):
        body_event = event(f"evt_{n}", "customer.updated", {"id": "cus_1", "object": "customer"})
        deliver(body_event)
    assert not ProviderEvent.objects.filter(applied_at__isnull=True).exists()
    assert tasks.apply_pending_events.call() == 0  # nothing left: a second drain is a no-op


# The drain: stored events applied a batch at a time ---------------------------------------


def store(payload):
    """An event as the webhook view stores it, not applied yet."""
    return ProviderEvent.objects.create(
        provider="stripe", event_id=payload["id"], type=payload["type"], payload=payload
    )


PEOPLE = itertools.count()


def givers(count, frequency="monthly"):
    made = []
    for _ in range(count):
        email = f"g{next(PEOPLE)}@example.org"
        contribution = make_contribution(make_contributor(email), frequency=frequency)
        made.append((contribution, make_payment(contribution)))
    return made


def succeeded(n, contribution, payment, event_id=None):
    body = intent(contribution, payment)
    body["id"] = f"pi_{n}"
    return event(event_id or f"evt_{n}", "payment_intent.succeeded", body)


def drain(capture, receipts=True):
    """Run a drain; then, unless told not to, what it left for after its commit (the
    receipts). Returns (events applied, after-commit callbacks)."""
    from contributions import tasks

    with capture(execute=False) as callbacks:
        applied = tasks.apply_pending_events.call()
    if receipts:
        for callback in list(callbacks):
            with capture(execute=True):  # tasks run at once in tests; they enqueue on commit
                callback()
    return applied, callbacks


def test_a_drain_applies_a_mixed_batch_each_fact_once(
    db, django_capture_on_commit_callbacks, django_assert_max_num_queries, mailoutbox
):
    from funding import rollups
    from tests.funding.factories import snapshot

    monthly = givers(30)
    once = givers(5, frequency="once")
    for n, (contribution, payment) in enumerate(monthly + once):
        store(succeeded(n, contribution, payment))
    for n, (contribution, payment) in enumerate(monthly[:10]):  # reported again, new event ids
        store(succeeded(n, contribution, payment, event_id=f"evt_again_{n}"))
    declined, declined_payment = givers(1)[0]
    failed = intent(declined, declined_payment, status="requires_payment_method")
    failed.update(id="pi_declined", last_payment_error={"code": "card_declined"})
    store(event("evt_declined", "payment_intent.payment_failed", failed))
    store(event("evt_other", "customer.updated", {"id": "cus_1", "object": "customer"}))
    stranger = intent(monthly[0][0], monthly[0][1])
    stranger.update(id="pi_stranger", metadata={"contribution": "not-ours"})
    store(event("evt_stranger", "payment_intent.succeeded", stranger))

    with django_assert_max_num_queries(30):  # together: not a few statements per event
        applied, after_commit = drain(django_capture_on_commit_callbacks, receipts=False)
    assert applied == 48

    charges = LedgerEntry.objects.filter(kind="charge")
    assert charges.count() == 35
    assert sorted(charges.values_list("reference", flat=True)) == sorted(
        f"pi_{n}" for n in range(35)
    )
    for contribution, payment in monthly:
        contribution.refresh_from_db()
        payment.refresh_from_db()
        assert (payment.status, contribution.status) == ("succeeded", "active")
        assert contribution.next_charge_on == date(2026, 12, 1)
    for contribution, _ in once:
        contribution.refresh_from_db()
        assert contribution.status == "paid"
    declined_payment.refresh_from_db()
    assert (declined_payment.status, declined_payment.failure_code) == ("failed", "card_declined")
    assert not ProviderEvent.objects.filter(applied_at__isnull=True).exists()
    kept = snapshot()
    rollups.rebuild()
    assert snapshot() == kept
    # The declined checkout is counted by the breaker; one receipts task for the batch (not
    # one per event), then each paid payment's receipt.
    receipts = [callback for callback in after_commit if callback is not breaker.note_decline]
    assert len(after_commit) - len(receipts) == 1
    assert len(receipts) == 1
    with django_capture_on_commit_callbacks(execute=True):
        receipts[0]()
    assert len(mailoutbox) == 35
    assert not Payment.objects.filter(status="succeeded", receipt_sent_at__isnull=True).exists()


def test_a_batch_of_any_size_takes_the_same_few_statements(db, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(count, offset):
        for n, (contribution, payment) in enumerate(givers(count), start=offset):
            store(succeeded(n, contribution, payment))
        with CaptureQueriesContext(connection) as queries:
            drain(django_capture_on_commit_callbacks, receipts=False)
        return len(queries)

    assert statements(3, 0) == statements(60, 100)


def test_a_bad_event_in_a_batch_holds_up_none_of_the_others(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    (first, first_payment), (second, second_payment) = givers(2)
    store(succeeded(1, first, first_payment))
    broken = succeeded(2, second, second_payment, event_id="evt_bad")
    del broken["data"]["object"]["currency"]
    store(broken)
    store(succeeded(3, second, second_payment))

    assert drain(django_capture_on_commit_callbacks)[0] == 2
    bad = ProviderEvent.objects.get(event_id="evt_bad")
    assert bad.applied_at is None and "currency" in bad.error
    assert sorted(LedgerEntry.objects.values_list("reference", flat=True)) == ["pi_1", "pi_3"]
    assert len(mailoutbox) == 2  # the receipts of the two events applied, each once


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_apply_each_fact_once(mailoutbox):
    from contributions import tasks
    from funding import rollups
    from tests.funding.factories import snapshot

    paying = givers(150)
    for n, (contribution, payment) in enumerate(paying):
        store(succeeded(n, contribution, payment))
    for n, (contribution, payment) in enumerate(paying):  # each reported twice, far apart
        store(succeeded(n, contribution, payment, event_id=f"evt_again_{n}"))
    applied = at_once(tasks.apply_pending_events.call)
    assert sum(applied) == 300  # shared out: no event applied by both
    assert not ProviderEvent.objects.filter(applied_at__isnull=True).exists()
    assert LedgerEntry.objects.filter(kind="charge").count() == 150
    assert not Payment.objects.exclude(status="succeeded").exists()
    kept = snapshot()
    rollups.rebuild()
    assert snapshot() == kept
    assert len(mailoutbox) == 150  # one receipt each


def test_reconcile_applies_what_a_drain_left_and_names_events_it_cannot_apply(monthly):
    from io import StringIO

    from django.core.management import call_command

    contribution, payment = monthly
    store(succeeded(1, contribution, payment))
    broken = succeeded(2, contribution, payment, event_id="evt_bad")
    del broken["data"]["object"]["currency"]
    store(broken)
    out, err = StringIO(), StringIO()
    call_command("reconcile", stdout=out, stderr=err)
    assert "applied 1 stored events" in out.getvalue()
    assert "event evt_bad (payment_intent.succeeded) cannot be applied: KeyError" in err.getvalue()
    assert "1 stored events cannot be applied" in err.getvalue()
    assert ledger(contribution) == [("charge", 1000, "pi_1")]


def test_events_stored_before_minimising_are_cut_down_by_the_migration(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("contributions.migrations.0008_issue13_minimise_stored_events")
    contribution = make_contribution(make_contributor())
    whole = intent(contribution, make_payment(contribution))
    whole["latest_charge"] = {"id": "ch_1", "billing_details": {"postal_code": "190000"}}
    ProviderEvent.objects.create(
        provider="stripe", event_id="evt_1", type="payment_intent.succeeded",
        payload=event("evt_1", "payment_intent.succeeded", whole),
    )  # fmt: skip
    ProviderEvent.objects.create(
        provider="stripe", event_id="evt_2", type="customer.created",
        payload=event("evt_2", "customer.created", {"id": "cus_1", "email": "x@example.org"}),
    )  # fmt: skip

    migration.minimise_stored_events(apps, None)

    (kept,) = ProviderEvent.objects.all()
    assert "190000" not in str(kept.payload)
    assert kept.payload["data"]["object"]["metadata"]["contribution"] == str(contribution.pk)
